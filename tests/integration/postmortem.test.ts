import { describe, expect, it } from 'vitest';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { FakeAnthropic, toolUse } from '@auth0-oncall/fakes/llm';
import { FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { SLACK_BOT_SCOPES } from '../../src/slack/bot-scopes.js';
import { SqliteIncidentStore } from '../../src/store/index.js';
import { BOT_CLIENT_ID, BOT_SECRET, capturingLogger, fakeEnv, testScope } from '../helpers/world.js';

/**
 * `/auth0 postmortem <id>` through the real Bolt app against the fake Slack: the Markdown file
 * lands in the incident's thread through files.uploadV2, written by the scripted model or by the
 * template, and every request is audited.
 */

const scope = testScope('postmortem');
const CHANNEL = 'C0ALERTS';
const ID = 'inc_pm_int1';

const GOOD_DRAFT = {
  summary: 'Token requests for the billing worker failed for a few minutes.',
  cause: 'Not confirmed by the evidence.',
  whatWasDone: 'The incident was resolved by an operator.',
  followUps: ['Find out what changed before the failures began.'],
};

const world = async (opts: { model?: boolean; botScopes?: string[] } = {}) => {
  const slack = await FakeSlack.start(opts.botScopes ? { botScopes: opts.botScopes } : {});
  scope.defer(() => slack.stop());
  const auth0 = await FakeAuth0.start({ logRateLimits: false });
  scope.defer(() => auth0.stop());
  auth0.addClient({
    clientId: BOT_CLIENT_ID,
    name: 'auth0-oncall',
    appType: 'non_interactive',
    secret: BOT_SECRET,
  });
  let anthropic: FakeAnthropic | undefined;
  if (opts.model) {
    const fake = await FakeAnthropic.start();
    scope.defer(() => fake.close());
    anthropic = fake;
  }
  const env = fakeEnv({ slack, auth0 }, scope.dbPath(), {
    ...(anthropic ? { ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: anthropic.baseURL } : {}),
  });
  const app = buildApp({
    config: loadConfig(env),
    logger: capturingLogger('warn').logger,
    version: 'test',
    overrides: { slackRetry: { retries: 0 } },
  });
  await app.slack.start();
  scope.defer(async () => {
    await app.slack.stop();
    app.db.close();
  });
  // An incident with its card in the alert channel, resolved by an operator.
  const at = new Date().toISOString();
  const incidents = new SqliteIncidentStore(app.db);
  incidents.open({
    id: ID,
    signal: 'm2m_token_failures',
    scope: 'client:billing',
    severity: 'high',
    title: 'M2M token failures for billing',
    at,
  });
  await app.incidents.service.repostMissingCards();
  incidents.resolve(ID, 'U0OPERATOR', new Date().toISOString(), 'manual');
  const cardTs = incidents.get(ID)?.slackTs;
  if (!cardTs) throw new Error('no card');
  const driver = new SlackDriver(slack, { command: '/auth0' });
  const ask = async (user: string, text: string) => {
    const result = await driver.command(user, text);
    expect(result.ack.acked).toBe(true);
    return (await driver.waitForResponse(result)).body;
  };
  const audited = () =>
    app.db.db
      .prepare<[], string>("SELECT outcome FROM audit_log WHERE action = 'incident.postmortem' ORDER BY id")
      .pluck()
      .all();
  return { slack, app, driver, anthropic, cardTs, ask, audited };
};

describe('/auth0 postmortem through the real Bolt app', () => {
  it('posts the template postmortem as a Markdown file in the incident thread when no model is configured', async () => {
    const w = await world();
    const reply = await w.ask('U0VIEWER', `postmortem \`${ID}\``);
    expect(String(reply.text)).toContain(
      `The postmortem of \`${ID}\` is in the incident's thread (written by the built-in template)`,
    );
    const [file] = w.driver.threadFiles(w.cardTs);
    expect(file).toMatchObject({ name: `postmortem-${ID}.md`, title: `Postmortem ${ID}`, completed: true });
    expect(file!.text).toContain('# Postmortem: M2M token failures for billing');
    expect(file!.text).toContain('## Timeline (UTC)');
    expect(file!.text).toContain('Resolved by U0OPERATOR');
    // The share is a reply in the card's thread, introduced by who asked.
    const share = w.slack.threadReplies(CHANNEL, w.cardTs).find((m) => m.files !== undefined);
    expect(share?.text).toContain('requested by <@U0VIEWER>');
    expect(w.slack.callsTo('files.completeUploadExternal')[0]?.args).toMatchObject({
      channel_id: CHANNEL,
      thread_ts: w.cardTs,
    });
    expect(w.audited()).toEqual(['success']);
    expect(w.slack.limitViolations).toEqual([]);
  });

  it('answers a missing or unknown id without posting anything, and audits the refusal', async () => {
    const w = await world();
    const usage = await w.driver.command('U0VIEWER', 'postmortem');
    expect(usage.reply?.text).toContain('needs the incident id shown on its card');
    const unknown = await w.ask('U0VIEWER', 'postmortem inc_nope');
    expect(String(unknown.text)).toContain('There is no incident `inc_nope`');
    expect(w.slack.files).toEqual([]);
    expect(w.audited()).toEqual(['denied']);
    const help = await w.driver.command('U0VIEWER', 'help');
    expect(help.reply?.text).toContain('/auth0 postmortem <incident id>');
  });

  it("uses the configured model's draft, and the template when the model's draft is junk", async () => {
    const w = await world({ model: true });
    w.anthropic!.script.enqueue(toolUse(GOOD_DRAFT, { toolName: 'emit_postmortem' }));
    const first = await w.ask('U0OPERATOR', `postmortem ${ID}`);
    expect(String(first.text)).toContain('written by the model (anthropic)');
    expect(w.driver.threadFiles(w.cardTs)[0]!.text).toContain(
      'Find out what changed before the failures began.',
    );
    expect(w.anthropic!.prompts().at(-1)?.user).toContain('<data>');

    w.anthropic!.script.enqueue(
      toolUse(
        { ...GOOD_DRAFT, summary: 'Visit https://evil.example now <!channel>' },
        { toolName: 'emit_postmortem' },
      ),
    );
    const second = await w.ask('U0OPERATOR', `postmortem ${ID}`);
    expect(String(second.text)).toContain('written by the built-in template');
    const files = w.driver.threadFiles(w.cardTs);
    expect(files).toHaveLength(2);
    expect(files[1]!.text).not.toContain('evil.example');
    expect(w.audited()).toEqual(['success', 'success']);
  });

  it('says so, and audits a failure, when the bot token lacks files:write', async () => {
    const w = await world({ botScopes: SLACK_BOT_SCOPES.filter((s) => s !== 'files:write') });
    const reply = await w.ask('U0OPERATOR', `postmortem ${ID}`);
    expect(String(reply.text)).toContain('could not be posted');
    expect(String(reply.text)).toContain('missing_scope');
    expect(w.slack.files).toEqual([]);
    expect(w.audited()).toEqual(['failure']);
    // The setup doctor names the missing scope.
    const report = await w.app.doctor.check();
    expect(report.findings.find((f) => f.check === 'Slack scopes')).toMatchObject({
      level: 'error',
      what: 'The bot token lacks `files:write`',
    });
  });
});
