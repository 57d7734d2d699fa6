import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createBackgroundTasks } from '../../../src/core/background/tasks.js';
import { createAfterAck } from '../../../src/slack/after-ack.js';

describe('work after an ack', () => {
  it('starts one piece per turn of the event loop, in the order queued, and never in the acking turn', async () => {
    const tasks = createBackgroundTasks();
    const afterAck = createAfterAck(tasks.spawn);
    const started: number[] = [];
    for (const n of [1, 2, 3]) {
      afterAck('test.piece', () => {
        started.push(n);
        return Promise.resolve();
      });
    }
    // The acks of a burst are all sent in the turn that read its frames: no work has started yet.
    await Promise.resolve();
    expect(started).toEqual([]);
    await nextTurn();
    expect(started).toEqual([1]);
    await nextTurn();
    expect(started).toEqual([1, 2]);
    expect(await tasks.drain(5_000)).toBe(true);
    expect(started).toEqual([1, 2, 3]);
  });

  it('is owned by the background tasks from the moment it is queued: a shutdown drain waits for it', async () => {
    const tasks = createBackgroundTasks();
    const afterAck = createAfterAck(tasks.spawn);
    let done = false;
    afterAck('test.piece', async () => {
      await nextTurn();
      done = true;
    });
    expect(tasks.count).toBe(1);
    expect(await tasks.drain(5_000)).toBe(true);
    expect(done).toBe(true);
  });

  it('reports a failing piece to the background tasks and goes on with the next', async () => {
    const failures: Array<[string, unknown]> = [];
    const tasks = createBackgroundTasks({ onError: (name, error) => failures.push([name, error]) });
    const afterAck = createAfterAck(tasks.spawn);
    let next = false;
    afterAck('test.failing', () => Promise.reject(new Error('boom')));
    afterAck('test.next', () => {
      next = true;
      return Promise.resolve();
    });
    expect(await tasks.drain(5_000)).toBe(true);
    expect(failures.map(([name, error]) => [name, (error as Error).message])).toEqual([
      ['test.failing', 'boom'],
    ]);
    expect(next).toBe(true);
  });
});
