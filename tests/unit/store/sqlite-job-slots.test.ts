import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteJobSlots, openDatabase } from '../../../src/store/index.js';
import { at, memoryStore, open, tempDir } from './helpers.js';

const SLOT = '2025-03-03T02:00:00.000Z';

describe('SqliteJobSlots', () => {
  it('lets only the first claimer run a slot', () => {
    const slots = new SqliteJobSlots(memoryStore());
    expect(slots.claim('rotation', SLOT, at(0))).toBe(true);
    expect(slots.claim('rotation', SLOT, at(1))).toBe(false);
    expect(slots.claim('reminders', SLOT, at(1))).toBe(true);
  });

  it('never runs a slot twice across a restart', () => {
    const path = join(tempDir(), 'jobs.db');
    const before = openDatabase({ path });
    expect(new SqliteJobSlots(before).claim('rotation', SLOT, at(0))).toBe(true);
    before.close();
    expect(new SqliteJobSlots(open({ path })).claim('rotation', SLOT, at(5))).toBe(false);
  });

  it('records the outcome once', () => {
    const slots = new SqliteJobSlots(memoryStore());
    slots.claim('rotation', SLOT, at(0));
    expect(slots.finish('rotation', SLOT, 'succeeded', at(3))).toBe(true);
    expect(slots.finish('rotation', SLOT, 'failed', at(4))).toBe(false);
    expect(slots.finish('rotation', 'unknown', 'failed', at(4))).toBe(false);
    expect(slots.latest('rotation')).toEqual({
      job: 'rotation',
      slot: SLOT,
      startedAt: at(0),
      finishedAt: at(3),
      outcome: 'succeeded',
    });
  });

  it('reports the most recently started slot of a job, or null', () => {
    const slots = new SqliteJobSlots(memoryStore());
    expect(slots.latest('rotation')).toBeNull();
    slots.claim('rotation', 'slot-a', at(0));
    slots.claim('rotation', 'slot-b', at(10));
    slots.claim('other', 'slot-c', at(20));
    expect(slots.latest('rotation')).toMatchObject({ slot: 'slot-b', finishedAt: null, outcome: null });
  });
});
