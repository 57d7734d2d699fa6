import { describe, expect, it } from 'vitest';
import { coalesce } from '../../../../src/core/background/coalesce.js';
import { createBackgroundTasks } from '../../../../src/core/background/tasks.js';

const gate = () => {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
};

describe('coalesce', () => {
  it('runs once for a single trigger', async () => {
    let runs = 0;
    const tasks = createBackgroundTasks();
    const c = coalesce(
      () => {
        runs += 1;
        return Promise.resolve();
      },
      (w) => {
        tasks.spawn('t', w);
      },
    );
    c.trigger();
    await c.idle();
    expect(runs).toBe(1);
  });

  it('collapses every trigger that arrives during a run into exactly one more run', async () => {
    const gates = [gate(), gate()];
    let runs = 0;
    const tasks = createBackgroundTasks();
    const c = coalesce(
      async () => {
        const g = gates[runs];
        runs += 1;
        await g?.promise;
      },
      (w) => {
        tasks.spawn('t', w);
      },
    );
    c.trigger();
    for (let i = 0; i < 50; i += 1) c.trigger();
    expect(runs).toBe(1);
    gates[0]!.open();
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect(runs).toBe(2);
    gates[1]!.open();
    await c.idle();
    expect(runs).toBe(2);
    await expect(tasks.drain(1_000)).resolves.toBe(true);
  });

  it('keeps triggering after a run fails, and the failure reaches the task runner', async () => {
    const errors: unknown[] = [];
    const tasks = createBackgroundTasks({ onError: (_n, e) => errors.push(e) });
    let runs = 0;
    const c = coalesce(
      () => {
        runs += 1;
        return runs === 1 ? Promise.reject(new Error('first fails')) : Promise.resolve();
      },
      (w) => {
        tasks.spawn('detect', w);
      },
    );
    c.trigger();
    await c.idle();
    await tasks.drain(1_000);
    c.trigger();
    await c.idle();
    expect(runs).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('with a spacing, joins the triggers that follow a finished run into one later run', async () => {
    const starts: number[] = [];
    const tasks = createBackgroundTasks();
    const c = coalesce(
      () => {
        starts.push(performance.now());
        return Promise.resolve();
      },
      (w) => {
        tasks.spawn('t', w);
      },
      { spacingMs: 50 },
    );
    c.trigger();
    await c.idle();
    // Each trigger arrives after the previous run has finished, as pages of a drain do.
    for (let i = 0; i < 20; i += 1) {
      c.trigger();
      await new Promise((r) => setImmediate(r));
    }
    expect(starts).toHaveLength(1);
    await c.idle();
    expect(starts).toHaveLength(2);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(48);
    await expect(tasks.drain(1_000)).resolves.toBe(true);
  });
});
