import { describe, expect, it } from 'vitest';
import type { RotationTarget } from '../../../../src/core/rotation/target.js';
import { CLIENT, everythingSaid, invariant, Process, world } from './world.js';

/**
 * A crash at every point: either right after a state was persisted (the next port call dies, and
 * with it the whole process, store included), or right after a side effect took place (its answer
 * is lost). A fresh service over the same store then resumes. Each row: where it crashed, the
 * persisted state it left, and the outcome the resume reached.
 */
type Point = { readonly at: string; readonly left: string; readonly outcome: 'succeeded' | 'rolled_back' };

const SECRET_POINTS: Point[] = [
  { at: 'started', left: 'created', outcome: 'rolled_back' },
  { at: 'after putPending', left: 'created', outcome: 'succeeded' },
  { at: 'state set', left: 'set', outcome: 'succeeded' },
  { at: 'after setClientSecret', left: 'set', outcome: 'succeeded' },
  { at: 'state tested', left: 'tested', outcome: 'succeeded' },
  { at: 'state finished', left: 'finished', outcome: 'succeeded' },
  { at: 'after moveStage:AWSCURRENT', left: 'finished', outcome: 'succeeded' },
  { at: 'after moveStage:AWSPENDING', left: 'finished', outcome: 'succeeded' },
];

const KEY_POINTS: Point[] = [
  { at: 'started', left: 'created', outcome: 'rolled_back' },
  { at: 'state created', left: 'created', outcome: 'rolled_back' },
  { at: 'after putPending', left: 'created', outcome: 'succeeded' },
  { at: 'state credential_added', left: 'credential_added', outcome: 'succeeded' },
  { at: 'after createCredential', left: 'credential_added', outcome: 'succeeded' },
  { at: 'state enabled_both', left: 'enabled_both', outcome: 'succeeded' },
  { at: 'after setActiveCredentials', left: 'enabled_both', outcome: 'succeeded' },
  { at: 'state tested', left: 'tested', outcome: 'succeeded' },
  { at: 'state finished', left: 'finished', outcome: 'succeeded' },
  { at: 'after moveStage:AWSCURRENT', left: 'finished', outcome: 'succeeded' },
  { at: 'state cleanup_pending', left: 'cleanup_pending', outcome: 'succeeded' },
  { at: 'after setActiveCredentials#2', left: 'cleanup_pending', outcome: 'succeeded' },
  { at: 'after deleteCredential', left: 'cleanup_pending', outcome: 'succeeded' },
];

const crashAt = async (strategy: RotationTarget['strategy'], point: Point) => {
  const w = world(strategy);
  const proc = new Process();
  if (point.at.startsWith('after ')) {
    const [op = '', nth = '1'] = point.at.slice('after '.length).split('#');
    proc.crashAfter = { op, nth: Number(nth) };
  }
  const service = w.service(proc, {
    onEvent: (e) => {
      w.events.push(e);
      if (point.at === 'started' && e.type === 'started') proc.crashed = true;
      if (e.type === 'state' && point.at === `state ${e.state}`) proc.crashed = true;
    },
  });
  const first = await service.rotate(w.target, { trigger: 'command', by: 'U1' });
  expect(proc.crashed).toBe(true);
  expect(first).toMatchObject({ ok: false, rolledBack: false });
  const left = w.rotations.latestFor(CLIENT);
  const resumed = await w.service().resumeUnfinished();
  const after = w.rotations.get(left?.id ?? '');
  return { w, first, left, resumed, after };
};

describe.each([
  ['client_secret', SECRET_POINTS],
  ['private_key_jwt', KEY_POINTS],
] as const)('a %s rotation that crashes', (strategy, points) => {
  it.each(points)(
    'at $at is left in $left and resumes to $outcome, consistent and working',
    async (point) => {
      const { w, left, resumed, after } = await crashAt(strategy, point);
      expect(left).toMatchObject({ state: point.left, outcome: null });
      expect(resumed).toHaveLength(1);
      expect(after).toMatchObject({ outcome: point.outcome });
      expect(w.rotations.listUnfinished()).toHaveLength(0);
      const end = await invariant(w);
      expect(end).toMatchObject({ currentCount: 1, pendingLeft: 0, works: true });
      if (strategy === 'private_key_jwt') expect(end).toMatchObject({ credentials: 1, active: 1 });
      if (point.outcome === 'succeeded') {
        expect(w.secrets.versionWith('AWSCURRENT')).toBe(after?.clientRequestToken);
      }
      const said = everythingSaid(w);
      for (const value of w.secretValues) expect(said).not.toContain(value);
    },
  );
});

describe('a rollback that crashes', () => {
  it('is finished by the resume: Auth0 back on AWSCURRENT, AWSPENDING removed', async () => {
    const w = world('client_secret');
    const original = w.secrets.valueOf('AWSCURRENT');
    w.tenant.refuse = (p) => p.kind === 'secret' && p.secret !== original;
    const proc = new Process();
    const service = w.service(proc, {
      onEvent: (e) => {
        if (e.type === 'state' && e.state === 'rolling_back') proc.crashed = true;
      },
    });
    await service.rotate(w.target, { trigger: 'command', by: 'U1' });
    expect(w.rotations.latestFor(CLIENT)).toMatchObject({ state: 'rolling_back', outcome: null });
    expect(w.tenant.secret).not.toBe(original);
    await w.service().resumeUnfinished();
    expect(w.rotations.latestFor(CLIENT)).toMatchObject({ outcome: 'rolled_back' });
    expect(w.tenant.secret).toBe(original);
    expect(await invariant(w)).toMatchObject({ currentCount: 1, pendingLeft: 0, works: true });
  });
});
