import { describe, expect, it } from 'vitest';
import type { Rotation } from '../../../../src/core/rotation/model.js';
import type { ResumedRotation } from '../../../../src/core/rotation/ports.js';
import { createRotationResumption } from '../../../../src/core/rotation/resumption.js';
import { stuckRotationDecisions } from '../../../../src/core/rotation/failure-incident.js';
import type { RotationTarget } from '../../../../src/core/rotation/target.js';

const TARGET: RotationTarget = {
  clientId: 'Zx81billing',
  strategy: 'client_secret',
  secretId: 'prod/billing',
};

const rotation = (over: Partial<Rotation> = {}): Rotation => ({
  id: 'rot-1',
  targetClientId: TARGET.clientId,
  strategy: 'client_secret',
  trigger: 'command',
  requestedBy: 'U0OPERATOR',
  state: 'tested',
  clientRequestToken: 'tok-0123456789abcdef0123456789abcdef',
  startedAt: '2026-03-02T03:00:00.000Z',
  updatedAt: '2026-03-02T03:00:05.000Z',
  finishedAt: null,
  outcome: null,
  error: 'InternalServiceError: Secrets Manager answered 500',
  detail: { secretId: TARGET.secretId, currentVersionId: 'ver-old-1' },
  ...over,
});

const resumed = (stuck: boolean): ResumedRotation => ({
  rotation: rotation(stuck ? {} : { outcome: 'succeeded' }),
  target: TARGET,
  result: stuck
    ? { ok: false, rotationId: 'rot-1', summary: 'stopped', rolledBack: false }
    : { ok: true, rotationId: 'rot-1', summary: 'Rotated' },
  stuck,
});

/** A resume whose passes answer from a script: stuck until `stuckPasses` have run. */
const harness = (stuckPasses: number) => {
  const delays: number[] = [];
  const seen: string[] = [];
  let passes = 0;
  const background: Promise<unknown>[] = [];
  const r = createRotationResumption({
    service: {
      resumeUnfinished: () => {
        passes += 1;
        return Promise.resolve([resumed(passes <= stuckPasses)]);
      },
    },
    finished: (x) => {
      seen.push(`finished ${x.rotation.id}`);
      return Promise.resolve();
    },
    stuck: (x) => {
      seen.push(`stuck ${x.rotation.id}`);
      return Promise.resolve();
    },
    spawn: (_name, work) => {
      background.push(work());
    },
    sleep: (ms, signal) => {
      delays.push(ms);
      return signal.aborted ? Promise.reject(new Error('aborted')) : Promise.resolve();
    },
    backoff: { firstMs: 100, maxMs: 400 },
    onError: (e) => {
      throw e;
    },
  });
  return { r, delays, seen, background, passes: () => passes };
};

describe('resuming unfinished rotations', () => {
  it('retries a stuck rotation with doubling, capped backoff until it finishes, reporting each pass', async () => {
    const h = harness(4);
    expect(await h.r.resume()).toBe(1);
    await Promise.all(h.background);
    expect(h.delays).toEqual([100, 200, 400, 400]);
    expect(h.seen).toEqual(['stuck rot-1', 'stuck rot-1', 'stuck rot-1', 'stuck rot-1', 'finished rot-1']);
    expect(h.passes()).toBe(5);
  });

  it('starts no loop when nothing is stuck, and none after stop', async () => {
    const h = harness(0);
    expect(await h.r.resume()).toBe(0);
    expect(h.background).toHaveLength(0);
    h.r.stop();
    h.r.kick();
    expect(h.background).toHaveLength(0);
  });
});

describe('the incident of a stuck rotation', () => {
  it('says which side holds which secret, by version, with the steps to finish or roll back', () => {
    const [d] = stuckRotationDecisions(TARGET, rotation(), new Date('2026-03-02T03:10:00.000Z'));
    expect(d).toMatchObject({
      kind: 'open',
      signal: 'rotation_failed',
      scope: 'client:Zx81billing/rotation',
      severity: 'high',
      title: 'Rotation of Zx81billing is stuck in state tested',
    });
    const summary = d?.kind === 'open' ? (d.evidence.summary ?? '') : '';
    expect(summary).toContain(
      'Auth0 holds the new secret (version tok-0123456789abcdef0123456789abcdef of "prod/billing", staged AWSPENDING)',
    );
    expect(summary).toContain(
      'Secrets Manager still serves the old secret (AWSCURRENT of "prod/billing", version ver-old-1)',
    );
    expect(summary).toContain('--remove-from-version-id ver-old-1');
    expect(summary).toContain('To roll back');
    expect(summary).toContain('Secrets Manager answered 500');
  });

  it('says Auth0 may hold either secret while the PATCH is unconfirmed', () => {
    const [d] = stuckRotationDecisions(TARGET, rotation({ state: 'set' }), new Date());
    expect(d?.kind === 'open' && d.evidence.summary).toMatch(
      /^Auth0 may hold the new secret .* or still the old secret/,
    );
  });
});
