import { describe, expect, it } from 'vitest';
import { FakeSecretsManager } from '@auth0-oncall/fakes/aws';
import { SlackDriver } from '@auth0-oncall/fakes/slack';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import {
  BOT_CLIENT_ID as BOT,
  BOT_SECRET,
  capturingLogger,
  fakeEnv,
  startSlackAndAuth0,
  testScope,
} from '../helpers/world.js';

const CLIENT = 'Zx81billing';
const OLD = 'billing-secret-old-0123456789abcdefghijklmnopqrstuvwxyz';
const CHANNEL = 'C0ALERTS';
const scope = testScope('rotation-app');

/** The whole app, with rotation configured, against the fake Slack, Auth0 and Secrets Manager. */
const world = async (opts: { ownTarget?: boolean } = {}) => {
  const { slack, auth0 } = await startSlackAndAuth0(scope, { secretPropagationMs: 200 });
  auth0.addClient({ clientId: CLIENT, name: 'billing-worker', appType: 'non_interactive', secret: OLD });
  const sm = await FakeSecretsManager.start();
  scope.defer(() => sm.stop());
  const { versionId: oldVersion } = sm.seed('prod/billing', OLD);
  if (opts.ownTarget) sm.seed('prod/bot', BOT_SECRET);
  const { logger, lines: logs } = capturingLogger();
  // One database for this world: a rebuilt app is a restart of the same installation.
  const dbPath = scope.dbPath();
  const build = () =>
    buildApp({
      config: loadConfig(
        fakeEnv({ slack, auth0 }, dbPath, {
          AWS_REGION: 'us-east-1',
          AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.endpoint,
          ROTATION_TARGETS: `${CLIENT}:client_secret:prod/billing${opts.ownTarget ? `,${BOT}:client_secret:prod/bot` : ''}`,
          ROTATION_SCHEDULE: 'off',
        }),
      ),
      logger,
      version: 'test',
      overrides: {
        slackRetry: { retries: 0 },
        awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        propagation: { attempts: 10, delayMs: 100 },
      },
    });
  const app = build();
  await app.slack.start();
  scope.defer(async () => {
    await app.slack.stop();
    app.db.close();
  });
  const channelText = () =>
    slack
      .channelMessages(CHANNEL)
      .map((m) => m.text ?? '')
      .join('\n');
  return {
    slack,
    auth0,
    sm,
    app,
    build,
    logs,
    oldVersion,
    channelText,
    driver: new SlackDriver(slack, { command: '/auth0' }),
  };
};

describe('rotation through the app', () => {
  it('rotates a client secret on an operator’s confirmed /auth0 rotate, and the new AWSCURRENT works', async () => {
    const w = await world();
    const listed = await w.driver.command('U0VIEWER', 'rotate');
    expect(JSON.stringify(listed.reply ?? (await w.driver.waitForResponse(listed)))).toContain(CLIENT);

    const denied = await w.driver.command('U0VIEWER', `rotate ${CLIENT}`);
    expect(denied.ack.acked).toBe(true);
    expect(w.slack.openModals('U0VIEWER')).toHaveLength(0);

    const asked = await w.driver.command('U0OPERATOR', `rotate ${CLIENT}`);
    expect(asked.ack.acked).toBe(true);
    const modal = await w.slack.waitFor(() => w.slack.openModals('U0OPERATOR')[0]);
    await w.driver.submitView('U0OPERATOR', modal.id, {});
    await w.slack.waitFor(() => (/Rotated|rotated .*succe/i.test(w.channelText()) ? true : undefined), {
      timeoutMs: 15_000,
    });

    const stages = w.sm.stagesOf('prod/billing');
    expect(stages[w.oldVersion]).toEqual(['AWSPREVIOUS']);
    const current = Object.entries(stages).find(([, s]) => s.includes('AWSCURRENT'))?.[0];
    expect(current).toBeDefined();
    expect(current).not.toBe(w.oldVersion);
    expect(w.auth0.clients.get(CLIENT)?.secret).not.toBe(OLD);
    const audit = w.app.db.db
      .prepare<[], string>(
        "SELECT action || ':' || outcome FROM audit_log WHERE action LIKE 'rotation.%' ORDER BY id",
      )
      .pluck()
      .all();
    expect(audit).toEqual(expect.arrayContaining(['rotation.request:denied', 'rotation.start:started']));
    const newSecret = w.auth0.clients.get(CLIENT)?.secret ?? '';
    const everything =
      JSON.stringify(w.slack.calls) +
      w.logs.join('') +
      JSON.stringify(w.app.db.db.prepare('SELECT * FROM audit_log').all());
    expect(everything).not.toContain(newSecret);
    expect(everything).not.toContain(OLD);
  });

  it('rolls back when Auth0 fails to take the new secret, and opens an incident with rollback as a step', async () => {
    const w = await world();
    // Only the PATCH of the new secret fails: the rollback's own PATCH then restores Auth0.
    w.auth0.failNext('/api/v2/clients/', { status: 503, times: 1 });
    await w.driver.command('U0OPERATOR', `rotate ${CLIENT}`);
    const modal = await w.slack.waitFor(() => w.slack.openModals('U0OPERATOR')[0]);
    await w.driver.submitView('U0OPERATOR', modal.id, {});
    const incident = await w.slack.waitFor(
      () =>
        w.app.db.db
          .prepare<[], { id: string; severity: string }>(
            "SELECT id, severity FROM incidents WHERE signal = 'rotation_failed'",
          )
          .get(),
      { timeoutMs: 15_000 },
    );
    expect(w.sm.stagesOf('prod/billing')).toEqual({ [w.oldVersion]: ['AWSCURRENT'] });
    expect(w.auth0.clients.get(CLIENT)?.secret).toBe(OLD);
    const steps = await w.slack.waitFor(() => {
      const rows = w.app.db.db
        .prepare<[string], string>(
          'SELECT action FROM incident_steps WHERE incident_id = ? AND action IS NOT NULL',
        )
        .pluck()
        .all(incident.id);
      return rows.length > 0 ? rows : undefined;
    });
    expect(steps).toContain('rollback_client_secret');
    expect(incident.severity).toBe('medium');
    expect(w.channelText()).toMatch(/rolled back/i);
  });

  it('rotates the bot’s own secret, switches to it, and keeps working after the old one stops — and after a restart', async () => {
    const w = await world({ ownTarget: true });
    await w.driver.command('U0OPERATOR', `rotate ${BOT}`);
    const modal = await w.slack.waitFor(() => w.slack.openModals('U0OPERATOR')[0]);
    await w.driver.submitView('U0OPERATOR', modal.id, {});
    await w.slack.waitFor(
      () => (/switched to its new credential and it works/.test(w.channelText()) ? true : undefined),
      {
        timeoutMs: 15_000,
      },
    );
    expect(w.auth0.clients.get(BOT)?.secret).not.toBe(BOT_SECRET);
    await new Promise((resolve) => setTimeout(resolve, 300)); // past the fake's 200 ms propagation window
    await expect(w.app.watching.tenant.listSigningKeys()).resolves.not.toHaveLength(0);

    // A restart with AUTH0_CLIENT_SECRET still set to the old (now refused) secret adopts AWSCURRENT.
    await w.app.slack.stop();
    w.app.db.close();
    const restarted = w.build();
    scope.defer(async () => {
      await restarted.slack.stop();
      await restarted.scheduler.stop();
      await restarted.http.close();
      restarted.db.close();
    });
    await restarted.start();
    await expect(restarted.watching.tenant.listSigningKeys()).resolves.not.toHaveLength(0);
    expect(w.logs.join('')).toContain('"event":"auth0.credential_switched"');
    const everything = JSON.stringify(w.slack.calls) + w.logs.join('');
    expect(everything).not.toContain(w.auth0.clients.get(BOT)?.secret ?? 'unreachable');
  });
});
