import { describe, expect, it } from 'vitest';
import { createBackgroundTasks } from '../../../../src/core/background/tasks.js';

describe('createBackgroundTasks', () => {
  it('drains at once when nothing is running', async () => {
    await expect(createBackgroundTasks().drain(10)).resolves.toBe(true);
  });

  it('waits for running work to finish', async () => {
    const tracker = createBackgroundTasks();
    const a = tracker.begin();
    const b = tracker.begin();
    expect(tracker.count).toBe(2);
    const drained = tracker.drain(1_000);
    a();
    a(); // finishing twice counts once
    expect(tracker.count).toBe(1);
    setTimeout(b, 5);
    await expect(drained).resolves.toBe(true);
    expect(tracker.count).toBe(0);
  });

  it('gives up at the deadline while work is still running', async () => {
    const tracker = createBackgroundTasks();
    tracker.begin();
    await expect(tracker.drain(20)).resolves.toBe(false);
    expect(tracker.count).toBe(1);
  });
});

describe('background tasks', () => {
  it('owns a spawned promise: a rejection is reported with its name, counted, and never unhandled', async () => {
    const errors: Array<[string, unknown]> = [];
    const settled: string[] = [];
    const tasks = createBackgroundTasks({
      onError: (name, error) => errors.push([name, error]),
      onSettled: (name, outcome) => settled.push(`${name}:${outcome}`),
    });
    tasks.spawn('boom', () => Promise.reject(new Error('nope')));
    tasks.spawn('fine', () => Promise.resolve(1));
    expect(tasks.count).toBe(2);
    await expect(tasks.drain(1_000)).resolves.toBe(true);
    expect(errors.map(([n, e]) => [n, (e as Error).message])).toEqual([['boom', 'nope']]);
    expect(settled.sort()).toEqual(['boom:failed', 'fine:ok']);
  });

  it('reports work that throws before returning a promise instead of throwing at the caller', async () => {
    const errors: string[] = [];
    const tasks = createBackgroundTasks({ onError: (name) => errors.push(name) });
    expect(() => {
      tasks.spawn('sync-throw', () => {
        throw new Error('early');
      });
    }).not.toThrow();
    await tasks.drain(1_000);
    expect(errors).toEqual(['sync-throw']);
  });

  it('makes shutdown wait for a tracked promise until it settles', async () => {
    const tasks = createBackgroundTasks();
    let finish!: () => void;
    tasks.track('listener', new Promise<void>((resolve) => (finish = resolve)));
    await expect(tasks.drain(20)).resolves.toBe(false);
    const drained = tasks.drain(1_000);
    finish();
    await expect(drained).resolves.toBe(true);
  });

  it('survives a reporter that throws', async () => {
    const tasks = createBackgroundTasks({
      onError: () => {
        throw new Error('logger down');
      },
    });
    tasks.spawn('x', () => Promise.reject(new Error('y')));
    await expect(tasks.drain(1_000)).resolves.toBe(true);
  });
});
