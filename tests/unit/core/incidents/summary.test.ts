import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIncidentSummary } from '../../../../src/core/incidents/summary.js';
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

/** An M2M incident opened at T0 + 4 min, over real stored logs and a real incident store. */
const world = (opts: { signal?: string; evidence?: Record<string, unknown> } = {}) => {
  const logs = new SqliteLogStore(db);
  const incidents = new SqliteIncidentStore(db);
  let seq = 0;
  const fail = (seconds: number) => {
    const parsed = parseLogEntry({
      log_id: `l${++seq}`,
      date: at(seconds),
      type: 'feccft',
      client_id: CLIENT,
      description: 'Invalid client_secret',
    });
    if (!parsed.ok) throw new Error(parsed.problem);
    db.transaction(() => logs.insert([classifyLog(parsed.entry, { botClientId: BOT })], 'poll', at(seconds)));
  };
  const { incident } = incidents.open({
    id: 'inc_m2m',
    signal: opts.signal ?? 'm2m_token_failures',
    scope: `client:${CLIENT}`,
    severity: 'high',
    title: `M2M token failures for ${CLIENT}`,
    at: at(240),
    ...(opts.evidence ? { evidence: opts.evidence } : {}),
  });
  incidents.setSteps(
    incident.id,
    [
      {
        stepId: 's1',
        kind: 'action',
        title: 'Roll back the secret',
        body: '',
        action: 'rollback_client_secret',
      },
      { stepId: 's2', kind: 'action', title: 'Check again', body: '', action: 'recheck_signal' },
    ],
    at(240),
  );
  const summarize = createIncidentSummary({ incidents, logs });
  return { incidents, fail, summarize, id: incident.id };
};

describe('the resolve summary', () => {
  it('dates the onset from the first failure of the unbroken run before the card opened', () => {
    const w = world();
    w.fail(10); // an isolated failure long before: not part of the run
    for (let s = 125; s < 300; s += 5) w.fail(s);
    w.incidents.acknowledge(w.id, 'U0ACK', at(300));
    w.incidents.appendEvent(w.id, {
      at: at(360),
      kind: 'step_succeeded',
      actor: 'U0OP',
      detail: { stepId: 's1', summary: 'rolled back' },
    });
    w.incidents.appendEvent(w.id, {
      at: at(420),
      kind: 'step_failed',
      actor: 'U0OP',
      detail: { stepId: 's2', summary: 'still failing' },
    });
    const resolved = w.incidents.resolve(w.id, 'U0OP', at(840), 'manual');
    if (!resolved.ok) throw new Error('not resolved');
    const s = w.summarize(resolved.incident);
    expect(s.onset).toBe(at(125));
    expect(s.onsetFromSignal).toBe(true);
    expect(s.acknowledged).toEqual({ by: 'U0ACK', at: at(300) });
    expect(s.mttaMs).toBe(60_000);
    expect(s.mttrMs).toBe(600_000);
    expect(s.durationMs).toBe((840 - 125) * 1000);
    expect(s.steps.map((x) => [x.title, x.outcome, x.result])).toEqual([
      ['Roll back the secret', 'succeeded', 'rolled back'],
      ['Check again', 'failed', 'still failing'],
    ]);
    expect(s.cause).toEqual({ kind: 'unknown' });
  });

  it('falls back to the card opening for a signal not counted from logs, and names a correlation as the cause', () => {
    const w = world({
      signal: 'certificate',
      evidence: {
        window: { from: at(0), to: at(240), minutes: 5 },
        failures: 0,
        rate: 0,
        suspects: [{ at: at(100), kind: 'tenant_change', who: 'deploy', what: 'PATCH x', expected: false }],
        correlation: {
          kind: 'secret_change',
          at: at(100),
          detail: 'failures began after the secret changed',
        },
      },
    });
    const resolved = w.incidents.resolve(w.id, 'system', at(600), 'auto');
    if (!resolved.ok) throw new Error('not resolved');
    const s = w.summarize(resolved.incident);
    expect(s.onset).toBe(at(240));
    expect(s.onsetFromSignal).toBe(false);
    expect(s.acknowledged).toBeNull();
    expect(s.mttaMs).toBeNull();
    expect(s.resolution).toBe('auto');
    expect(s.cause).toEqual({ kind: 'named', text: 'failures began after the secret changed' });
  });

  it("lists suspects, people's changes before the bot's own, when nothing is named", () => {
    const w = world({
      evidence: {
        window: { from: at(0), to: at(240), minutes: 5 },
        failures: 3,
        rate: 1,
        suspects: [
          { at: at(110), kind: 'own_rotation', who: 'auth0-oncall', what: 'rotated', expected: true },
          {
            at: at(100),
            kind: 'tenant_change',
            who: 'deploy',
            what: 'PATCH /api/v2/clients/x',
            expected: false,
          },
        ],
      },
    });
    const resolved = w.incidents.resolve(w.id, 'U0OP', at(600), 'manual');
    if (!resolved.ok) throw new Error('not resolved');
    const s = w.summarize(resolved.incident);
    expect(s.cause.kind).toBe('suspects');
    if (s.cause.kind === 'suspects')
      expect(s.cause.suspects.map((x) => x.who)).toEqual(['deploy', 'auth0-oncall']);
  });
});
