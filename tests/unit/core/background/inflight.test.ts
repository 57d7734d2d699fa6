import { describe, expect, it } from 'vitest';
import { createInflightTracker } from '../../../../src/core/background/inflight.js';

describe('createInflightTracker', () => {
  it('drains at once when nothing is running', async () => {
    await expect(createInflightTracker().drain(10)).resolves.toBe(true);
  });

  it('waits for running work to finish', async () => {
    const tracker = createInflightTracker();
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
    const tracker = createInflightTracker();
    tracker.begin();
    await expect(tracker.drain(20)).resolves.toBe(false);
    expect(tracker.count).toBe(1);
  });
});
