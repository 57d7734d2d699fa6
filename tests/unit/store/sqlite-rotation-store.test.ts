import { describe, expect, it } from 'vitest';
import type { NewRotation } from '../../../src/core/rotation/model.js';
import { SqliteRotationStore } from '../../../src/store/index.js';
import { at, memoryStore } from './helpers.js';

const newRotation = (overrides: Partial<NewRotation> = {}): NewRotation => ({
  id: 'rot1',
  targetClientId: 'client-a',
  strategy: 'client_secret',
  trigger: 'schedule',
  requestedBy: 'system',
  state: 'pending',
  at: at(0),
  ...overrides,
});

const setup = () => new SqliteRotationStore(memoryStore());

describe('SqliteRotationStore', () => {
  it('starts a rotation and reads it back', () => {
    const rotations = setup();
    const started = rotations.start(newRotation({ detail: { secretId: 'prod/a' } }));
    expect(started).toEqual({
      ok: true,
      rotation: {
        id: 'rot1',
        targetClientId: 'client-a',
        strategy: 'client_secret',
        trigger: 'schedule',
        requestedBy: 'system',
        state: 'pending',
        clientRequestToken: null,
        startedAt: at(0),
        updatedAt: at(0),
        finishedAt: null,
        outcome: null,
        error: null,
        detail: { secretId: 'prod/a' },
      },
    });
    expect(rotations.get('rot1')).toEqual(started.ok ? started.rotation : null);
    expect(rotations.get('nope')).toBeNull();
  });

  it('allows one unfinished rotation per target', () => {
    const rotations = setup();
    rotations.start(newRotation());
    const second = rotations.start(newRotation({ id: 'rot2', trigger: 'command', requestedBy: 'U1' }));
    expect(second).toMatchObject({ ok: false, reason: 'already_running', existing: { id: 'rot1' } });
    expect(rotations.get('rot2')).toBeNull();
    expect(
      rotations.start(newRotation({ id: 'rot3', targetClientId: 'client-b', strategy: 'private_key_jwt' }))
        .ok,
    ).toBe(true);
  });

  it('allows a new rotation of a target once the previous one finished', () => {
    const rotations = setup();
    rotations.start(newRotation());
    rotations.finish('rot1', { outcome: 'succeeded', state: 'done', at: at(5) });
    expect(rotations.start(newRotation({ id: 'rot2', at: at(10) })).ok).toBe(true);
    expect(rotations.latestFor('client-a')?.id).toBe('rot2');
    expect(rotations.latestFor('client-z')).toBeNull();
  });

  it('refuses a reused rotation id as a conflict', () => {
    const rotations = setup();
    rotations.start(newRotation());
    rotations.finish('rot1', { outcome: 'failed', at: at(1) });
    expect(() => rotations.start(newRotation())).toThrow(expect.objectContaining({ code: 'conflict' }));
  });

  it('persists state changes, keeping fields that are not patched', () => {
    const rotations = setup();
    rotations.start(newRotation({ clientRequestToken: 'tok-1' }));
    const updated = rotations.update('rot1', {
      state: 'pending_stored',
      detail: { versionId: 'v2' },
      at: at(1),
    });
    expect(updated).toMatchObject({
      ok: true,
      rotation: {
        state: 'pending_stored',
        clientRequestToken: 'tok-1',
        detail: { versionId: 'v2' },
        updatedAt: at(1),
      },
    });
    expect(rotations.update('rot1', { clientRequestToken: 'tok-2', error: 'slow', at: at(2) })).toMatchObject(
      {
        ok: true,
        rotation: {
          state: 'pending_stored',
          clientRequestToken: 'tok-2',
          error: 'slow',
          detail: { versionId: 'v2' },
        },
      },
    );
  });

  it('applies a compare-and-set update only from the expected state', () => {
    const rotations = setup();
    rotations.start(newRotation());
    expect(
      rotations.update('rot1', { state: 'auth0_set', expectedState: 'verified', at: at(1) }),
    ).toMatchObject({
      ok: false,
      reason: 'state_mismatch',
      rotation: { state: 'pending' },
    });
    expect(rotations.update('rot1', { state: 'auth0_set', expectedState: 'pending', at: at(1) }).ok).toBe(
      true,
    );
  });

  it('finishes once and refuses changes afterwards', () => {
    const rotations = setup();
    rotations.start(newRotation());
    expect(
      rotations.finish('rot1', { outcome: 'rolled_back', error: 'verify failed', at: at(4) }),
    ).toMatchObject({
      ok: true,
      rotation: { outcome: 'rolled_back', finishedAt: at(4), error: 'verify failed', state: 'pending' },
    });
    expect(rotations.update('rot1', { state: 'x', at: at(5) })).toMatchObject({
      ok: false,
      reason: 'already_finished',
    });
    expect(rotations.finish('rot1', { outcome: 'succeeded', at: at(5) })).toMatchObject({
      ok: false,
      reason: 'already_finished',
    });
    expect(rotations.finish('nope', { outcome: 'succeeded', at: at(5) })).toEqual({
      ok: false,
      reason: 'not_found',
    });
  });

  it('lists unfinished rotations oldest first and recent ones newest first', () => {
    const rotations = setup();
    rotations.start(newRotation({ id: 'r1', targetClientId: 'a', at: at(3) }));
    rotations.start(newRotation({ id: 'r2', targetClientId: 'b', at: at(1) }));
    rotations.start(newRotation({ id: 'r3', targetClientId: 'c', at: at(2) }));
    rotations.finish('r3', { outcome: 'succeeded', at: at(4) });
    expect(rotations.listUnfinished().map((r) => r.id)).toEqual(['r2', 'r1']);
    expect(rotations.recent(2).map((r) => r.id)).toEqual(['r1', 'r3']);
  });
});
