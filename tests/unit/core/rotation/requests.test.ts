import { describe, expect, it } from 'vitest';
import { createEventBus, type EventOf } from '../../../../src/core/events/bus.js';
import type { RotationResult } from '../../../../src/core/rotation/ports.js';
import {
  createRotationRequests,
  type RotationAnnouncements,
} from '../../../../src/core/rotation/requests.js';
import { SqliteIdempotencyClaims } from '../../../../src/store/index.js';
import { CLIENT, everythingSaid, world, type World } from './world.js';

const OPERATOR = 'U0OPERATOR';

/** The real rotation machine over the in-memory world, behind the use case every trigger shares. */
const harness = (w: World, service = w.service()) => {
  const said: string[] = [];
  const finished: Array<EventOf<'rotation_finished'>> = [];
  const errors: unknown[] = [];
  const events = createEventBus();
  events.subscribe('rotation_finished', (e) => {
    finished.push(e);
  });
  const announce: RotationAnnouncements = {
    started: (t, trigger, by) => {
      said.push(`started ${t.clientId} ${trigger} ${by}`);
      return Promise.resolve();
    },
    finished: (t, r, trigger, by) => {
      said.push(`finished ${t.clientId} ${trigger} ${by} ${r.ok ? 'ok' : 'failed'}`);
      return Promise.resolve();
    },
  };
  const requests = createRotationRequests({
    targets: [w.target],
    service,
    claims: new SqliteIdempotencyClaims(w.db),
    operators: { isOperator: (u) => Promise.resolve(u === OPERATOR) },
    control: { isPaused: (id) => w.paused.has(id) },
    audit: w.audit,
    announce,
    events,
    now: () => new Date('2026-01-01T00:00:00.000Z'),
    onError: (e) => errors.push(e),
  });
  const audited = () =>
    w.audit
      .latest(20)
      .reverse()
      .map((e) => `${e.action}:${e.outcome}:${e.actor}`);
  return { requests, said, finished, errors, audited };
};

describe('the rotation request use case', () => {
  it('answers a repeated submission from its claim, records the step origin, and settles a submission a restart cut short', async () => {
    const w = world('client_secret');
    const h = harness(w);
    const first = await h.requests.request({
      clientId: CLIENT,
      trigger: 'command',
      by: OPERATOR,
      submission: 'V0VIEW1',
      origin: 'step:inc-1:s1',
    });
    expect(first).toMatchObject({ ok: true });
    expect(w.rotations.latestFor(CLIENT)?.detail).toMatchObject({ origin: 'step:inc-1:s1' });
    const again = await h.requests.request({
      clientId: CLIENT,
      trigger: 'command',
      by: OPERATOR,
      submission: 'V0VIEW1',
    });
    expect(again).toMatchObject({
      kind: 'duplicate_submission',
      claim: { state: 'succeeded', claimedBy: OPERATOR },
    });
    expect(w.rotations.recent(10)).toHaveLength(1);
    expect(h.audited()).toContain(`rotation.request:duplicate:${OPERATOR}`);

    const claims = new SqliteIdempotencyClaims(w.db);
    const at = '2026-01-01T00:00:00.000Z';
    claims.claim({ key: 'rotate-submission:V0VIEW2', scope: 'rotation_submission', actor: OPERATOR, at });
    claims.claim({ key: 'step:inc-1:s2', scope: 'step', actor: OPERATOR, at });
    expect(h.requests.settleInterrupted()).toBe(1);
    expect(claims.get('rotate-submission:V0VIEW2')).toMatchObject({ state: 'failed' });
    expect(claims.get('step:inc-1:s2')).toMatchObject({ state: 'running' });
  });

  it('rotates for an operator clicking the runbook step: audited, announced, published, exactly like the command', async () => {
    const w = world('client_secret');
    const h = harness(w);
    const outcome = await h.requests.request({ clientId: CLIENT, trigger: 'step', by: OPERATOR });
    expect(outcome).toMatchObject({ ok: true });
    expect(w.rotations.latestFor(CLIENT)).toMatchObject({
      trigger: 'step',
      requestedBy: OPERATOR,
      outcome: 'succeeded',
    });
    expect(h.said).toEqual([`started ${CLIENT} step ${OPERATOR}`, `finished ${CLIENT} step ${OPERATOR} ok`]);
    expect(h.audited()).toEqual(
      expect.arrayContaining([
        `rotation.request:allowed:${OPERATOR}`,
        `rotation.start:started:${OPERATOR}`,
        `rotation.finish:success:${OPERATOR}`,
      ]),
    );
    expect(h.finished.map((e) => [e.target.clientId, e.trigger, e.by, e.result.ok])).toEqual([
      [CLIENT, 'step', OPERATOR, true],
    ]);
    expect(everythingSaid(w, [h.said, h.finished])).not.toContain(w.secretValues.at(-1));
  });

  it('refuses a non-operator before anything happens, and audits the refusal', async () => {
    const w = world('client_secret');
    const h = harness(w);
    expect(await h.requests.request({ clientId: CLIENT, trigger: 'command', by: 'U0VIEWER' })).toBe('denied');
    expect(await h.requests.authorize('U0VIEWER', CLIENT, 'step')).toBe(false);
    expect(w.rotations.latestFor(CLIENT)).toBeNull();
    expect(h.said).toEqual([]);
    expect(h.finished).toEqual([]);
    expect(h.audited()).toEqual(['rotation.request:denied:U0VIEWER', 'rotation.request:denied:U0VIEWER']);
  });

  it('answers an unknown client without rotating or announcing', async () => {
    const w = world('client_secret');
    const h = harness(w);
    expect(await h.requests.request({ clientId: 'Nope', trigger: 'command', by: OPERATOR })).toBe(
      'unknown_target',
    );
    expect(h.said).toEqual([]);
    expect(h.finished).toEqual([]);
  });

  it('lets the schedule act as system without an operator, and skips a paused client with an audited, published skip', async () => {
    const w = world('client_secret');
    w.paused.add(CLIENT);
    const h = harness(w);
    const outcome = await h.requests.request({ clientId: CLIENT, trigger: 'schedule', by: 'system' });
    expect(outcome).toMatchObject({ ok: false, reason: 'paused' });
    expect(w.rotations.latestFor(CLIENT)).toBeNull();
    expect(h.audited()).toEqual(['rotation.schedule:skipped:system', 'rotation.finish:skipped:system']);
    expect(h.finished).toHaveLength(1);
    expect(h.said).toEqual([`finished ${CLIENT} schedule system failed`]);
  });

  it('turns a rotation that throws into a reported failure, still announced and published', async () => {
    const w = world('client_secret');
    const h = harness(w, {
      rotate: () => Promise.reject(new Error('bug in the machine')),
      resumeUnfinished: () => Promise.resolve([]),
    });
    const outcome = (await h.requests.request({
      clientId: CLIENT,
      trigger: 'command',
      by: OPERATOR,
    })) as RotationResult;
    expect(outcome).toMatchObject({
      ok: false,
      rolledBack: false,
      summary: 'the rotation failed unexpectedly',
    });
    expect(h.errors).toHaveLength(1);
    expect(h.finished[0]?.result.ok).toBe(false);
    expect(h.audited().at(-1)).toBe(`rotation.finish:failure:${OPERATOR}`);
  });

  it('still rotates when announcing fails: the post is reported, the audit is complete', async () => {
    const w = world('client_secret');
    const base = harness(w);
    const failing = createRotationRequests({
      targets: [w.target],
      service: w.service(),
      claims: new SqliteIdempotencyClaims(w.db),
      operators: { isOperator: () => Promise.resolve(true) },
      control: { isPaused: () => false },
      audit: w.audit,
      announce: {
        started: () => Promise.reject(new Error('slack down')),
        finished: () => Promise.reject(new Error('slack down')),
      },
      events: createEventBus(),
      now: () => new Date(),
      onError: (e) => base.errors.push(e),
    });
    expect(await failing.request({ clientId: CLIENT, trigger: 'command', by: OPERATOR })).toMatchObject({
      ok: true,
    });
    expect(base.errors).toHaveLength(2);
    expect(base.audited().at(-1)).toBe(`rotation.finish:success:${OPERATOR}`);
  });
});
