import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FakeAuth0, ManualClock, ALL_SCOPES } from '@auth0-oncall/fakes/auth0';
import { FakeSecretsManager } from '@auth0-oncall/fakes/aws';
import { FakeAnthropic, FakeBedrock, anthropicError, bedrockError } from '@auth0-oncall/fakes/llm';
import { FakeSlack, SlackDriver, type FakeSlackOptions } from '@auth0-oncall/fakes/slack';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Finding } from '../../src/core/doctor/model.js';
import { runShellDoctor } from '../../src/wiring/doctor.js';
import { BOT_CLIENT_ID, BOT_SECRET, capturingLogger, fakeEnv, testScope } from '../helpers/world.js';

const CLIENT = 'Zx81billing';
const SECRET = 'billing-secret-old-0123456789abcdefghijklmnopqrstuvwxyz';
const MANIFEST_SCOPES = (
  JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as {
    oauth_config: { scopes: { bot: string[] } };
  }
).oauth_config.scopes.bot;
const scope = testScope('doctor');

interface Setup {
  botScopes?: string[];
  slack?: FakeSlackOptions;
  auth0Clock?: ManualClock;
  /** The target's Secrets Manager value; undefined = no secret at all. */
  secretValue?: string | undefined;
  targetInAuth0?: boolean;
  anthropic?: 'good' | 'bad_key';
  bedrock?: 'good' | 'no_access';
  logStreamToken?: string;
}

/** The app against fakes configured as `setup` says; by default everything is right. */
const world = async (setup: Setup = {}) => {
  const slack = await FakeSlack.start({ botScopes: MANIFEST_SCOPES, ...setup.slack });
  scope.defer(() => slack.stop());
  const auth0 = await FakeAuth0.start({
    logRateLimits: false,
    secretPropagationMs: 200,
    ...(setup.auth0Clock ? { now: setup.auth0Clock.now } : {}),
  });
  scope.defer(() => auth0.stop());
  auth0.addClient({
    clientId: BOT_CLIENT_ID,
    name: 'auth0-oncall',
    secret: BOT_SECRET,
    scopes: setup.botScopes ?? [...ALL_SCOPES],
  });
  if (setup.targetInAuth0 !== false)
    auth0.addClient({ clientId: CLIENT, name: 'billing-worker', secret: SECRET });
  const sm = await FakeSecretsManager.start();
  scope.defer(() => sm.stop());
  const value = 'secretValue' in setup ? setup.secretValue : SECRET;
  if (value !== undefined) sm.seed('prod/billing', value);
  let anthropicEnv: Record<string, string> = {};
  let anthropic: FakeAnthropic | undefined;
  if (setup.anthropic) {
    anthropic = await FakeAnthropic.start();
    const fake = anthropic;
    scope.defer(() => fake.close());
    anthropic.script.always(
      setup.anthropic === 'good' ? { kind: 'text', text: 'p' } : anthropicError.authentication(),
    );
    anthropicEnv = { ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: anthropic.baseURL };
  }
  let bedrockEnv: Record<string, string> = {};
  if (setup.bedrock) {
    const bedrock = await FakeBedrock.start();
    scope.defer(() => bedrock.close());
    bedrock.script.always(
      setup.bedrock === 'good' ? { kind: 'text', text: 'p' } : bedrockError.accessDenied(),
    );
    bedrockEnv = {
      BEDROCK_MODEL_ID: 'anthropic.claude-test-v1:0',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.endpoint,
    };
  }
  const { logger, lines } = capturingLogger();
  const env = fakeEnv({ slack, auth0 }, scope.dbPath(), {
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.endpoint,
    ROTATION_TARGETS: `${CLIENT}:client_secret:prod/billing`,
    ROTATION_SCHEDULE: 'off',
    ...anthropicEnv,
    ...bedrockEnv,
    ...(setup.logStreamToken ? { LOG_STREAM_TOKEN: setup.logStreamToken } : {}),
  });
  const awsCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const app = buildApp({
    config: loadConfig(env),
    logger,
    version: 'test',
    overrides: { slackRetry: { retries: 0 }, awsCredentials, propagation: { attempts: 5, delayMs: 100 } },
  });
  scope.defer(async () => {
    await app.slack.stop();
    await app.scheduler.stop();
    await app.http.close();
    app.db.close();
  });
  return { slack, auth0, sm, anthropic, app, env, awsCredentials, lines };
};

const problems = (findings: readonly Finding[]) =>
  findings.filter((f) => f.level === 'error' || f.level === 'warn');

describe('the setup doctor against the fakes', () => {
  it('finds nothing wrong with a correct setup', async () => {
    const w = await world({ anthropic: 'good' });
    const report = await w.app.doctor.check();
    expect(problems(report.findings)).toEqual([]);
    expect(report.findings.map((f) => f.check)).toEqual(
      expect.arrayContaining([
        'Auth0 scopes',
        'Clock',
        `Rotation target ${CLIENT}`,
        'Anthropic API key',
        'Slack scopes',
        'Alert channel',
      ]),
    );
  });

  it('names update:client_keys and rotation when the token lacks it, and the rotation then fails at Auth0 with 403', async () => {
    const w = await world({ botScopes: ALL_SCOPES.filter((s) => s !== 'update:client_keys') });
    await w.app.slack.start();
    const report = await w.app.doctor.check();
    const scopes = report.findings.filter((f) => f.check === 'Auth0 scopes');
    const rotation = scopes.find((f) => f.what.includes('client-secret rotation'));
    expect(rotation).toMatchObject({ level: 'error' });
    expect(rotation?.what).toContain('`update:client_keys`');
    expect(rotation?.fix).toContain('Machine To Machine Applications');
    // The rollback button needs it too, but an operator's optional action is only a warning.
    expect(scopes.find((f) => f.what.includes('rollback_client_secret'))).toMatchObject({ level: 'warn' });

    const driver = new SlackDriver(w.slack, { command: '/auth0' });
    await driver.command('U0OPERATOR', `rotate ${CLIENT}`);
    const modal = await w.slack.waitFor(() => w.slack.openModals('U0OPERATOR')[0]);
    await driver.submitView('U0OPERATOR', modal.id, {});
    const refused = await w.slack.waitFor(
      () => w.auth0.requestsTo(`/api/v2/clients/${CLIENT}`, 'PATCH').find((r) => r.status === 403),
      { timeoutMs: 15_000 },
    );
    expect(refused.body).toHaveProperty('client_secret');
    expect(w.auth0.clients.get(CLIENT)?.secret).toBe(SECRET);
  });

  it('says the target is missing from Auth0 and its secret from Secrets Manager', async () => {
    const w = await world({ targetInAuth0: false, secretValue: undefined });
    const report = await w.app.doctor.check();
    const target = report.findings.filter((f) => f.check === `Rotation target ${CLIENT}`);
    expect(target.map((f) => f.what)).toEqual([
      `No client ${CLIENT} in the Auth0 tenant`,
      'Secret `prod/billing` has no AWSCURRENT value',
    ]);
    expect(target.every((f) => f.level === 'error' && f.fix !== undefined)).toBe(true);
  });

  it('refuses a Secrets Manager value in an unsupported form, and accepts the JSON form', async () => {
    const bad = await world({ secretValue: '{"clientSecret": "camelCase is not the convention"}' });
    const badFinding = (await bad.app.doctor.check()).findings.find(
      (f) => f.check === `Rotation target ${CLIENT}`,
    );
    expect(badFinding).toMatchObject({ level: 'error' });
    expect(badFinding?.what).toContain('"client_secret"');
    expect(JSON.stringify(badFinding)).not.toContain('camelCase is not');

    const json = await world({ secretValue: JSON.stringify({ client_id: CLIENT, client_secret: SECRET }) });
    const ok = (await json.app.doctor.check()).findings.find((f) => f.check === `Rotation target ${CLIENT}`);
    expect(ok).toMatchObject({ level: 'ok', what: '`prod/billing` holds a json value' });
  });

  it('reports Slack scopes missing from the token, and a bot outside the alert channel', async () => {
    const w = await world({
      botScopes: [...ALL_SCOPES],
      slack: {
        botScopes: MANIFEST_SCOPES.filter((s) => s !== 'usergroups:read'),
        channels: ['C0OTHER'],
        nonMemberChannels: ['C0ALERTS'],
      },
    });
    const report = await w.app.doctor.check();
    expect(report.findings.find((f) => f.check === 'Slack scopes')).toMatchObject({
      level: 'error',
      what: 'The bot token lacks `usergroups:read`',
    });
    const channel = report.findings.find((f) => f.check === 'Alert channel');
    expect(channel).toMatchObject({ level: 'error' });
    expect(channel?.fix).toContain('/invite @auth0-oncall');
  });

  it('reports an alert channel Slack does not know', async () => {
    const w = await world({ slack: { channels: ['C0OTHER'] } });
    const channel = (await w.app.doctor.check()).findings.find((f) => f.check === 'Alert channel');
    expect(channel?.what).toContain('knows no channel C0ALERTS');
  });

  it('reports a host clock out of step with Auth0', async () => {
    const w = await world({ auth0Clock: new ManualClock(Date.now() - 5 * 60_000) });
    const clock = (await w.app.doctor.check()).findings.find((f) => f.check === 'Clock');
    expect(clock).toMatchObject({ level: 'error' });
    expect(clock?.what).toMatch(/^This host's clock is 3\d\d s ahead of Auth0's$/);
  });

  it('reports a refused Anthropic key, and asks the model only once an hour', async () => {
    const w = await world({ anthropic: 'bad_key' });
    const first = (await w.app.doctor.check()).findings.find((f) => f.check === 'Anthropic API key');
    expect(first).toMatchObject({ level: 'warn' });
    expect(first?.what).toContain('401');
    await w.app.doctor.check();
    expect(w.anthropic?.requests).toHaveLength(1);
  });

  it('reports a Bedrock model the account has no access to, with where to enable it', async () => {
    const w = await world({ bedrock: 'no_access' });
    const finding = (await w.app.doctor.check()).findings.find((f) => f.check.startsWith('Bedrock'));
    expect(finding).toMatchObject({ level: 'warn', check: 'Bedrock anthropic.claude-test-v1:0' });
    expect(finding?.what).toContain('AccessDeniedException');
    expect(finding?.fix).toContain('Model access');
    const good = await world({ bedrock: 'good' });
    expect((await good.app.doctor.check()).findings.find((f) => f.check.startsWith('Bedrock'))?.level).toBe(
      'ok',
    );
  });

  it('reports the Log Stream silent since start, then delivering after a push', async () => {
    const token = 'log-stream-token-0123456789';
    const w = await world({ logStreamToken: token });
    const before = (await w.app.doctor.check()).findings.find((f) => f.check === 'Log Stream');
    expect(before).toMatchObject({
      level: 'info',
      what: 'LOG_STREAM_TOKEN is set; no push has arrived since start yet',
    });
    const { port } = await w.app.http.listen(0, '127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${port}/auth0/log-stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify([]),
    });
    expect(res.status).toBeLessThan(300);
    const after = (await w.app.doctor.check()).findings.find((f) => f.check === 'Log Stream');
    expect(after).toMatchObject({ level: 'ok', what: 'Last push under a minute ago' });
  });

  it('answers /auth0 doctor for operators only, and audits both', async () => {
    const w = await world({ botScopes: ALL_SCOPES.filter((s) => s !== 'update:client_keys') });
    await w.app.slack.start();
    const driver = new SlackDriver(w.slack, { command: '/auth0' });
    const denied = await driver.command('U0VIEWER', 'doctor');
    expect(JSON.stringify(await driver.waitForResponse(denied))).toContain(
      'Only operators can run the setup doctor',
    );
    const asked = await driver.command('U0OPERATOR', 'doctor');
    const reply = JSON.stringify(await driver.waitForResponse(asked));
    expect(reply).toContain('update:client_keys');
    expect(reply).toContain('client-secret rotation');
    const audit = w.app.db.db
      .prepare<[], string>(
        "SELECT actor || ':' || outcome FROM audit_log WHERE action = 'doctor.run' ORDER BY id",
      )
      .pluck()
      .all();
    expect(audit).toEqual(['U0VIEWER:denied', 'U0OPERATOR:success']);
  });

  it('logs its findings at start-up without holding the start back', async () => {
    const w = await world({ botScopes: ALL_SCOPES.filter((s) => s !== 'update:client_keys') });
    await w.app.start();
    const line = await w.slack.waitFor(
      () =>
        w.lines.find((l) => l.includes('"event":"doctor.finding"') && l.includes('client-secret rotation')),
      { timeoutMs: 10_000 },
    );
    expect(JSON.parse(line)).toMatchObject({ level: 'error', check: 'Auth0 scopes' });
    expect(w.app.doctor.latest()).toBeDefined();
    expect(w.lines.join('')).not.toContain(BOT_SECRET);
  });

  it('runs from the shell with the same config and says when something is broken', async () => {
    const good = await world();
    const fine = await runShellDoctor(loadConfig(good.env), { awsCredentials: good.awsCredentials });
    expect(fine.broken).toBe(false);
    const broken = await world({ botScopes: ALL_SCOPES.filter((s) => s !== 'update:client_keys') });
    const result = await runShellDoctor(loadConfig(broken.env), { awsCredentials: broken.awsCredentials });
    expect(result.broken).toBe(true);
    expect(result.text).toMatch(/^BROKEN Auth0 scopes: .*`update:client_keys`.*client-secret rotation/m);
    expect(result.text).not.toContain(SECRET);
  });
});
