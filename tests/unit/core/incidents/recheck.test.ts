import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Detector } from '../../../../src/core/detection/detector.js';
import { createIncidentEvaluation } from '../../../../src/core/incidents/evaluation.js';
import { createRecheck, recheckText } from '../../../../src/core/incidents/recheck.js';
import { classifyLog, parseLogEntry } from '../../../../src/core/logs/classification.js';
import { openDatabase, SqliteIncidentStore, type StoreDatabase } from '../../../../src/store/index.js';
import { SqliteLogStore } from '../../../../src/store/sqlite-log-store.js';

const BOT = 'botClient0001';
const CLIENT = 'billingWorker01';
const T0 = Date.parse('2026-03-10T12:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

let db: StoreDatabase;
beforeEach(() => {
  db = openDatabase({ path: ':memory:' });
});
afterEach(() => {
  db.close();
});

/** An M2M incident opened at T0 with a rollback step, over real stored logs. */
const world = () => {
  const logs = new SqliteLogStore(db);
  const incidents = new SqliteIncidentStore(db);
  let seq = 0;
  const add = (seconds: number, fields: Record<string, unknown>) => {
    const parsed = parseLogEntry({ log_id: `l${++seq}`, date: at(seconds), ...fields });
    if (!parsed.ok) throw new Error(parsed.problem);
    db.transaction(() => logs.insert([classifyLog(parsed.entry, { botClientId: BOT })], 'poll', at(seconds)));
  };
  /** `perMinute` secret failures for the client from `from` to `to` seconds. */
  const failing = (from: number, to: number, perMinute: number) => {
    for (let s = from; s < to; s += 60 / perMinute)
      add(s, { type: 'feccft', client_id: CLIENT, description: 'Invalid client_secret' });
  };
  const { incident } = incidents.open({
    id: 'inc_m2m',
    signal: 'm2m_token_failures',
    scope: `client:${CLIENT}`,
    severity: 'high',
    title: `M2M token failures for ${CLIENT}`,
    at: at(0),
  });
  incidents.setSteps(
    incident.id,
    [
      { stepId: 's1', kind: 'guidance', title: 'Look at the client', body: '' },
      {
        stepId: 's2',
        kind: 'action',
        title: 'Roll back the client secret',
        body: '',
        action: 'rollback_client_secret',
      },
      { stepId: 's3', kind: 'action', title: 'Check again', body: '', action: 'recheck_signal' },
    ],
    at(0),
  );
  const stepRan = (stepId: string, seconds: number) =>
    incidents.appendEvent(incident.id, {
      at: at(seconds),
      kind: 'step_succeeded',
      actor: 'U1',
      detail: { stepId },
    });
  let now = at(0);
  const recheck = createRecheck({ logs, incidents, now: () => new Date(now), windowMinutes: 5 });
  return {
    incidents,
    logs,
    add,
    failing,
    stepRan,
    recheck,
    setNow: (seconds: number) => (now = at(seconds)),
    id: incident.id,
  };
};

/** Detection still sees the failures of the last 5 min: it would keep the incident high. */
const stillFiring: Detector = {
  evaluate: () => [],
  onWatcherEvents: () => [],
  onHealthEvent: () => [],
};

describe('"is it still happening?" after a fix', () => {
  it('says it stopped right after a successful rollback, though the detection window still holds the failures from before', async () => {
    const w = world();
    w.failing(-180, 240, 40);
    w.stepRan('s2', 240);
    w.setNow(300);
    const evaluation = createIncidentEvaluation({
      detector: stillFiring,
      incidents: w.incidents,
      service: { apply: () => Promise.resolve(), repostMissingCards: () => Promise.resolve() },
      logsFresh: () => true,
      requestRunbook: () => undefined,
      onApplyError: () => undefined,
      count: w.recheck,
    });
    const answer = await evaluation.recheck(w.id);
    expect(answer).not.toMatch(/still high/);
    expect(answer).toMatch(/^It has stopped\./);
    // It says what it counted: since which step, how many, against how many before.
    expect(answer).toContain('Since step 2 (Roll back the client secret) 1 min ago: 0 failures');
    expect(answer).toContain('against 200 failures in the 5 min before it');
    expect(answer).toContain(`for client:${CLIENT}`);
  });

  it('says it is still happening when the failures go on after the step', () => {
    const w = world();
    w.failing(-180, 300, 40);
    w.stepRan('s2', 180);
    w.setNow(300);
    const result = w.recheck(w.id);
    expect(result.kind === 'counted' && result.verdict).toBe('still');
    expect(recheckText(result)).toMatch(/^It is still happening\. Since step 2 .* 2 min ago: 80 failures/);
  });

  it('anchors on a newer tenant change, never on a user-profile edit or on the check step itself', () => {
    const w = world();
    w.failing(-180, 120, 40);
    w.add(120, {
      type: 'sapi',
      client_id: 'adminCli',
      details: { request: { method: 'PATCH', path: `/api/v2/clients/${CLIENT}` } },
    });
    w.add(200, {
      type: 'sapi',
      client_id: 'adminCli',
      details: { request: { method: 'PATCH', path: '/api/v2/users/auth0|42' } },
    });
    w.stepRan('s3', 230);
    w.setNow(300);
    const text = recheckText(w.recheck(w.id));
    expect(text).toContain(`Since the tenant change PATCH /api/v2/clients/${CLIENT} 3 min ago: 0 failures`);
  });

  it('compares the last window with the one before when nothing ran or changed', () => {
    const w = world();
    w.failing(-300, 0, 20);
    w.setNow(300);
    const result = w.recheck(w.id);
    expect(result.kind === 'counted' && [result.after.count, result.before.count]).toEqual([0, 100]);
    expect(recheckText(result)).toContain(
      'No step ran and nothing changed since it opened, so I counted the last 5 min: 0 failures, against 100 failures in the 5 min before.',
    );
    expect(recheckText(w.recheck('inc_gone'))).toBe('The incident no longer exists.');
  });
});
