import { describe, expect, it } from 'vitest';
import { FakeSecretsManager } from '@auth0-oncall/fakes/aws';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { SqliteAuditLog } from '../../src/store/index.js';
import { capturingLogger, fakeEnv, startSlackAndAuth0, testScope } from '../helpers/world.js';

const CLIENT = 'Zx81billing';
const OLD = 'billing-secret-old-0123456789abcdefghijklmnopqrstuvwxyz';
const CHANNEL = 'C0ALERTS';
const scope = testScope('maintenance-rotation');

interface WindowRow {
  scope_kind: string;
  scope_value: string;
  origin: string;
  created_by: string;
  ended_by: string | null;
  starts_at: string;
  ends_at: string;
  ended_at: string | null;
}

/** The whole app, started, with a scheduled rotation of one client every second. */
const world = async () => {
  const { slack, auth0 } = await startSlackAndAuth0(scope, { secretPropagationMs: 50 });
  auth0.addClient({ clientId: CLIENT, name: 'billing-worker', appType: 'non_interactive', secret: OLD });
  const sm = await FakeSecretsManager.start();
  scope.defer(() => sm.stop());
  sm.seed('prod/billing', OLD);
  const app = buildApp({
    config: loadConfig(
      fakeEnv({ slack, auth0 }, scope.dbPath(), {
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.endpoint,
        ROTATION_TARGETS: `${CLIENT}:client_secret:prod/billing`,
        ROTATION_SCHEDULE: '* * * * * *',
      }),
    ),
    logger: capturingLogger().logger,
    version: 'test',
    overrides: {
      slackRetry: { retries: 0 },
      awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      propagation: { attempts: 10, delayMs: 100 },
    },
  });
  await app.start();
  scope.defer(async () => {
    for (const step of app.shutdownPlan.stopIntake) await step.run();
    await app.shutdownPlan.drain(5_000);
    for (const step of app.shutdownPlan.release) await step.run();
  });
  const windows = () =>
    app.db.db.prepare<[], WindowRow>('SELECT * FROM maintenance_windows ORDER BY starts_at').all();
  const closedWindow = () =>
    slack.waitFor(() => windows().find((w) => w.ended_at !== null), { timeoutMs: 15_000 });
  return { slack, auth0, app, windows, closedWindow };
};

describe('maintenance windows of planned rotations', () => {
  it('opens a window on the client for a scheduled rotation and closes it when the rotation finishes, as system', async () => {
    const w = await world();
    const window = await w.closedWindow();
    expect(window).toMatchObject({
      scope_kind: 'client',
      scope_value: CLIENT,
      origin: 'rotation',
      created_by: 'system',
      ended_by: 'system',
    });
    // Ended by the rotation's end, well before its expected duration was up.
    expect(Date.parse(window.ended_at!)).toBeLessThan(Date.parse(window.ends_at));
    const audit = new SqliteAuditLog(w.app.db)
      .latest(200)
      .filter((e) => e.action.startsWith('maintenance.'))
      .map((e) => `${e.actor} ${e.action} ${String(e.detail.origin)} ${String(e.detail.value)}`);
    expect(audit).toContain(`system maintenance.open rotation ${CLIENT}`);
    expect(audit).toContain(`system maintenance.end rotation ${CLIENT}`);
  });

  it('closes the window before a failed rotation opens its incident, so the failure is not quiet', async () => {
    const w = await world();
    // Auth0 refuses the client API for a while: the scheduled rotation fails.
    w.auth0.failNext('/api/v2/clients/', { status: 503, times: 30 });
    const incident = await w.slack.waitFor(
      () =>
        w.app.db.db
          .prepare<[], { id: string; slack_ts: string | null }>(
            "SELECT id, slack_ts FROM incidents WHERE signal = 'rotation_failed' AND slack_ts IS NOT NULL",
          )
          .get(),
      { timeoutMs: 15_000 },
    );
    const card = w.slack.message(CHANNEL, incident.slack_ts!);
    expect(JSON.stringify(card?.blocks ?? [])).toContain('incident-snooze:');
    expect(JSON.stringify(card?.blocks ?? [])).not.toContain('In maintenance window');
    expect(w.windows()[0]).toMatchObject({ origin: 'rotation', ended_by: 'system' });
  });
});
