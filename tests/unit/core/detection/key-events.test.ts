import { describe, expect, it } from 'vitest';
import { createKeyEventMemory } from '../../../../src/core/detection/key-events.js';
import type { WatcherEvent } from '../../../../src/core/watchers/model.js';
import { ago, NOW } from './world.js';

const rotated = (minutesAgo: number, kid = `kid-${minutesAgo}`): WatcherEvent => ({
  kind: 'signing_key_rotated',
  at: ago(minutesAgo),
  scope: `key:${kid}`,
  severity: 'info',
  kid,
  previousKid: null,
  currentSince: null,
});

describe('the signing-key event memory', () => {
  it('keeps at most 16 rotations, none older than a day, oldest first', () => {
    const memory = createKeyEventMemory(() => NOW);
    memory.remember([rotated(25 * 60)]);
    memory.remember(Array.from({ length: 20 }, (_, i) => rotated(i * 10)));
    const kept = memory.rotations();
    expect(kept).toHaveLength(16);
    expect(kept.map((r) => r.kid)).toEqual(Array.from({ length: 16 }, (_, i) => `kid-${(15 - i) * 10}`));
  });

  it('remembers the time of the latest key event of any kind, and ignores other events', () => {
    const memory = createKeyEventMemory(() => NOW);
    expect(memory.latestEventAt()).toBeUndefined();
    memory.remember([
      rotated(30),
      {
        kind: 'signing_key_revoked',
        at: ago(5),
        scope: 'key:kid-A',
        severity: 'info',
        kid: 'kid-A',
        revokedAt: null,
      },
      { kind: 'custom_domain_failed', at: ago(1), scope: 'domain:x', severity: 'high', domain: 'x' },
      { ...rotated(2), at: 'not a date' },
    ]);
    expect(memory.latestEventAt()).toBe(Date.parse(ago(5)));
    expect(memory.rotations().map((r) => r.kid)).toEqual(['kid-30']);
  });
});
