import { describe, expect, it } from 'vitest';
import type { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { SlackDriver, type FakeSlack } from '@auth0-oncall/fakes/slack';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { SqliteIncidentStore } from '../../src/store/index.js';
import { eventually } from '../helpers/eventually.js';
import { startHookReceiver } from '../helpers/hook-receiver.js';
import { capturingLogger, fakeEnv, startSlackAndAuth0, testScope } from '../helpers/world.js';

/**
 * JWKS-refresh hooks through the whole app: a signing-key rotation seen by the watcher or in the
 * logs reaches every configured receiver, signed, with retries; the incident thread says who
 * acknowledged; the runbook re-sends on a click; the secret goes nowhere but the signature.
 */
const scope = testScope('jwks-hooks');
const SECRET = 'jwks-refresh-secret-integration-0123456789abcdef';
const CHANNEL = 'C0ALERTS';

const world = async () => {
  const fakes = await startSlackAndAuth0(scope);
  const receiver = await startHookReceiver(SECRET);
  scope.defer(() => receiver.stop());
  const { logger, lines } = capturingLogger('debug');
  const config = loadConfig(
    fakeEnv(fakes, scope.dbPath(), {
      JWKS_REFRESH_WEBHOOKS: `${receiver.url('/api-one?token=query-token-1')},${receiver.url('/api-two')}`,
      JWKS_REFRESH_SECRET: SECRET,
    }),
  );
  const app = buildApp({
    config,
    logger,
    version: 'test',
    overrides: { slackRetry: { retries: 0 }, hookBackoff: { baseDelayMs: 20, maxAttempts: 4 } },
  });
  await app.start();
  scope.defer(async () => {
    for (const step of app.shutdownPlan.stopIntake) await step.run();
    await app.shutdownPlan.drain(5_000);
    for (const step of app.shutdownPlan.release) await step.run();
  });
  return { ...fakes, receiver, app, lines, incidents: new SqliteIncidentStore(app.db) };
};

/** Runs a job now, waiting out a run the scheduler already has in flight. */
const runJob = (app: App, name: string) =>
  eventually(async () => ((await app.scheduler.runNow(name)) === 'ran' ? true : undefined));

/** Rotates the fake tenant's signing key; returns the kid that is current now. */
const rotate = async (w: { auth0: FakeAuth0 }) => {
  const rotated = await w.auth0.keys.rotate();
  if (!rotated.ok) throw new Error(rotated.message);
  return (await w.auth0.keys.list()).find((k) => k.current)?.kid;
};

const threadOf = (slack: FakeSlack, incidents: SqliteIncidentStore) => {
  const incident = incidents.findOpen('signing_key', 'tenant');
  return incident?.slackTs ? slack.threadReplies(CHANNEL, incident.slackTs).map((m) => m.text ?? '') : [];
};

const hooksLine = (w: { slack: FakeSlack; incidents: SqliteIncidentStore }, re: RegExp) =>
  eventually(async () => {
    await Promise.resolve();
    return threadOf(w.slack, w.incidents).find((t) => re.test(t));
  });

const everythingSeen = (w: Awaited<ReturnType<typeof world>>): string =>
  JSON.stringify([
    w.lines,
    w.slack.channelMessages(CHANNEL),
    w.slack.callsTo('chat.postMessage'),
    w.slack.callsTo('chat.update'),
    w.app.db.db.prepare('SELECT * FROM audit_log').all(),
    w.app.db.db.prepare('SELECT * FROM jwks_hook_notifications').all(),
    w.app.db.db.prepare('SELECT * FROM jwks_hook_deliveries').all(),
  ]);

describe('JWKS-refresh hooks', () => {
  it('tells every receiver of a rotation the watcher sees, retries one that fails first, and says who acknowledged', async () => {
    const w = await world();
    await runJob(w.app, 'watch.signing_keys'); // the baseline
    const before = (await w.auth0.keys.list()).find((k) => k.current)?.kid;
    w.receiver.answer(503); // the first request fails
    const current = await rotate(w);
    await runJob(w.app, 'watch.signing_keys');

    const acknowledged = await eventually(async () => {
      await runJob(w.app, 'jwks.hooks');
      const ok = w.receiver.received.filter((r) => r.signatureValid);
      return ok.length >= 3 ? ok : undefined;
    });
    expect(w.receiver.received.every((r) => r.signatureValid)).toBe(true);
    const body = JSON.parse(acknowledged[0]?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({
      id: `rotated:${current}`,
      event: 'signing_key_rotated',
      tenant: 'acme.eu.auth0.com',
      kid: current,
      previous_kid: before,
      jwks_uri: `${w.auth0.baseUrl}/.well-known/jwks.json`,
      source: 'watcher',
    });
    expect(new Set(w.receiver.received.map((r) => r.path))).toEqual(
      new Set(['/api-one?token=query-token-1', '/api-two']),
    );

    const line = await hooksLine(w, /JWKS refresh hooks/);
    expect(line).toContain('rotated');
    expect(line).toMatch(
      /acknowledged by 127\.0\.0\.1:\d+\/api-one \(204\), 127\.0\.0\.1:\d+\/api-two \(204\)/,
    );
    // The query (a receiver's token) is never shown in Slack.
    expect(JSON.stringify(w.slack.callsTo('chat.postMessage'))).not.toContain('query-token-1');
    expect(everythingSeen(w)).not.toContain(SECRET);
  });

  it('tells the receivers of a rotation it first reads in the logs, with the kid, once however many sources report it', async () => {
    const w = await world();
    await runJob(w.app, 'watch.signing_keys');
    await w.auth0.traffic.signingKeyRotatedThenFailures({ perMinute: 1, minutes: 1 });
    const current = (await w.auth0.keys.list()).find((k) => k.current)?.kid;
    await runJob(w.app, 'auth0.logs.poll');
    const first = await eventually(async () => {
      await runJob(w.app, 'jwks.hooks');
      return w.receiver.received.length >= 2 ? w.receiver.received : undefined;
    });
    expect(JSON.parse(first[0]?.body ?? '{}')).toMatchObject({
      id: `rotated:${current}`,
      kid: current,
      source: 'log',
    });
    // The watcher sees the same rotation later: the same notification, not a second one.
    await runJob(w.app, 'watch.signing_keys');
    await runJob(w.app, 'jwks.hooks');
    expect(w.receiver.received).toHaveLength(2);
    expect(w.app.db.db.prepare('SELECT count(*) AS n FROM jwks_hook_notifications').get()).toEqual({ n: 1 });
  });

  it('re-sends the hooks when an operator clicks the runbook step, audited, and reports the result in the thread', async () => {
    const w = await world();
    await runJob(w.app, 'watch.signing_keys');
    const current = await rotate(w);
    await runJob(w.app, 'watch.signing_keys');
    await hooksLine(w, /JWKS refresh hooks/);
    const sentBefore = w.receiver.received.length;

    const incident = w.incidents.findOpen('signing_key', 'tenant');
    const step = await eventually(async () => {
      await Promise.resolve();
      return incident
        ? w.incidents.steps(incident.id).find((s) => s.action === 'resend_jwks_refresh_hooks')
        : undefined;
    });
    w.receiver.answer(401); // one receiver refuses this time
    await new SlackDriver(w.slack, { command: '/auth0' }).clickButton('U0OPERATOR', {
      actionId: `step:${step.incidentId}:${step.stepId}`,
      channelId: CHANNEL,
      messageTs: incident?.slackTs ?? '',
    });

    const result = await hooksLine(w, /re-sent for key/);
    expect(result).toMatch(/acknowledged by 127\.0\.0\.1:\d+\/api-(one|two) \(204\)/);
    expect(result).toMatch(/not acknowledged by 127\.0\.0\.1:\d+\/api-(one|two) \(HTTP 401, 1 attempt\)/);
    expect(w.receiver.received.length).toBe(sentBefore + 2);
    const resent = JSON.parse(w.receiver.received.at(-1)?.body ?? '{}') as Record<string, unknown>;
    expect(resent).toMatchObject({
      event: 'jwks_refresh_requested',
      kid: current,
      source: 'runbook',
    });

    const audit = w.app.db.db
      .prepare(`SELECT actor, action, outcome, summary FROM audit_log WHERE step_id = ? ORDER BY id`)
      .all(step.stepId);
    expect(audit).toContainEqual(
      expect.objectContaining({ actor: 'U0OPERATOR', action: 'step.run', outcome: 'success' }),
    );
    // Only the step's result reports a re-send: the delivery job adds no second line.
    await runJob(w.app, 'jwks.hooks');
    expect(threadOf(w.slack, w.incidents).filter((t) => /re-sent for key/.test(t))).toHaveLength(1);
    expect(everythingSeen(w)).not.toContain(SECRET);
  });
});
