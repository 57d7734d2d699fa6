import { describe, expect, it } from 'vitest';
import { FakeSecretsManager } from '@auth0-oncall/fakes/aws';
import { FakeBedrock, goodRunbookInput, toolUse } from '@auth0-oncall/fakes/llm';
import { SlackDriver } from '@auth0-oncall/fakes/slack';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { eventually } from '../helpers/eventually.js';
import { capturingLogger, fakeEnv, startSlackAndAuth0, testScope } from '../helpers/world.js';

const CLIENT = 'Zx81billing';
const OLD = 'billing-secret-old-0123456789abcdefghijklmnopqrstuvwxyz';
const NEW = 'billing-secret-new-0123456789abcdefghijklmnopqrstuvwxyz';
const CHANNEL = 'C0ALERTS';
const scope = testScope('actions');

/**
 * "A client secret is rotated elsewhere": Secrets Manager's AWSCURRENT holds a new secret that
 * Auth0 never got, so the billing worker's token requests fail. The real app, the real adapters,
 * and the fake Slack, Auth0 and Secrets Manager over their wire protocols.
 */
const world = async (env: Record<string, string> = {}) => {
  const { slack, auth0 } = await startSlackAndAuth0(scope, {
    rateLimits: { logs: { burst: 1000, perMinute: 60_000 } },
  });
  auth0.addClient({ clientId: CLIENT, name: 'billing-worker', appType: 'non_interactive', secret: OLD });
  const sm = await FakeSecretsManager.start();
  scope.defer(() => sm.stop());
  const { versionId: oldVersion } = sm.seed('prod/billing', OLD);
  const newVersion = sm.putVersion('prod/billing', NEW, ['AWSCURRENT']);
  sm.putVersion('prod/billing', OLD, ['AWSPREVIOUS'], oldVersion);
  const { logger, lines: logs } = capturingLogger();
  const config = loadConfig(
    fakeEnv({ slack, auth0 }, scope.dbPath(), {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.endpoint,
      ROTATION_TARGETS: `${CLIENT}:client_secret:prod/billing`,
      ...env,
    }),
  );
  const app: App = buildApp({
    config,
    logger,
    version: 'test',
    overrides: {
      slackRetry: { retries: 0 },
      awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      propagation: { attempts: 3, delayMs: 50 },
    },
  });
  await app.slack.start();
  scope.defer(async () => {
    await app.slack.stop();
    app.db.close();
  });
  const signal = new AbortController().signal;
  await app.watching.poller.poll(signal);
  auth0.traffic.m2mSecretBroken(CLIENT, { perMinute: 40, minutes: 2 });
  await app.watching.poller.poll(signal);
  await app.incidents.evaluate();
  const incident = app.db.db
    .prepare<[], { id: string; slack_ts: string }>(
      "SELECT id, slack_ts FROM incidents WHERE signal = 'm2m_token_failures'",
    )
    .get();
  if (!incident) throw new Error(`no incident; logs: ${logs.join('').slice(-2000)}`);
  const steps = await eventually(async () => {
    const rows = app.db.db
      .prepare<[string], { step_id: string; action: string | null }>(
        'SELECT step_id, action FROM incident_steps WHERE incident_id = ? ORDER BY position',
      )
      .all(incident.id);
    return Promise.resolve(rows.length > 0 ? rows : undefined);
  });
  return {
    slack,
    auth0,
    sm,
    app,
    logs,
    incident,
    steps,
    oldVersion,
    newVersion,
    driver: new SlackDriver(slack),
  };
};

const thread = (w: Awaited<ReturnType<typeof world>>) =>
  w.slack
    .threadReplies(CHANNEL, w.incident.slack_ts)
    .filter((m) => m.ts !== w.incident.slack_ts)
    .map((m) => m.text ?? '');

describe('runbook actions with real effects', () => {
  it('verifies the stored credential, then rolls back through the confirmation modal, with effects on Auth0 and Secrets Manager', async () => {
    const w = await world();
    const card = w.slack.message(CHANNEL, w.incident.slack_ts);
    expect(JSON.stringify(card?.blocks)).toContain('runbook by builtin');
    const verify = w.steps.find((s) => s.action === 'verify_client_credentials');
    const rollback = w.steps.find((s) => s.action === 'rollback_client_secret');
    expect(verify && rollback).toBeTruthy();
    const button = (stepId: string) => ({
      actionId: `step:${w.incident.id}:${stepId}`,
      channelId: CHANNEL,
      messageTs: w.incident.slack_ts,
    });

    const click = await w.driver.clickButton('U0OPERATOR', button(verify!.step_id));
    expect(click.ack.acked).toBe(true);
    await w.slack.waitFor(() => thread(w).find((t) => t.includes('refused it (HTTP 401')));

    await w.driver.clickButton('U0OPERATOR', button(rollback!.step_id));
    const modal = await w.slack.waitFor(() => w.slack.openModals('U0OPERATOR')[0]);
    await w.driver.submitView('U0OPERATOR', modal.id, {});
    await w.slack.waitFor(() => thread(w).find((t) => /Rolled .* back/.test(t)), { timeoutMs: 10_000 });
    expect(w.sm.stagesOf('prod/billing')).toEqual({
      [w.oldVersion]: ['AWSCURRENT'],
      [w.newVersion]: ['AWSPREVIOUS'],
    });
    expect(w.auth0.clients.get(CLIENT)?.secret).toBe(OLD);

    // Every click and outcome is audited; no secret value appears in Slack, the logs or the audit log.
    const audit = w.app.db.db
      .prepare<[], string>(
        "SELECT action || ':' || outcome FROM audit_log WHERE action LIKE 'step.%' ORDER BY id",
      )
      .pluck()
      .all();
    expect(audit).toEqual(expect.arrayContaining(['step.click:allowed', 'step.run:success']));
    const everything =
      JSON.stringify(w.slack.calls) +
      w.logs.join('') +
      JSON.stringify(w.app.db.db.prepare('SELECT * FROM audit_log').all());
    expect(everything).not.toContain(OLD);
    expect(everything).not.toContain(NEW);
  });

  it('uses the Bedrock runbook when BEDROCK_MODEL_ID is set, and says so on the card', async () => {
    const bedrock = await FakeBedrock.start();
    scope.defer(() => bedrock.close());
    bedrock.script.always(toolUse(goodRunbookInput(CLIENT)));
    const w = await world({
      BEDROCK_MODEL_ID: 'us.anthropic.claude-sonnet-4-6',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.endpoint,
    });
    await w.slack.waitFor(() =>
      JSON.stringify(w.slack.message(CHANNEL, w.incident.slack_ts)?.blocks).includes('runbook by bedrock')
        ? true
        : undefined,
    );
    expect(bedrock.requests.length).toBeGreaterThanOrEqual(1);
    expect(w.steps.map((s) => s.action)).toContain('verify_client_credentials');
  });
});
