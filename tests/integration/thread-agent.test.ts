import { describe, expect, it } from 'vitest';
import { bedrockError, FakeBedrock, goodRunbookInput, toolUse } from '@auth0-oncall/fakes/llm';
import { SlackDriver } from '@auth0-oncall/fakes/slack';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { eventually } from '../helpers/eventually.js';
import { capturingLogger, fakeEnv, startSlackAndAuth0, testScope } from '../helpers/world.js';

const CLIENT = 'Zx81billing';
const CHANNEL = 'C0ALERTS';
const CALLER_IP = '198.51.100.77';
const scope = testScope('agent');

/**
 * An M2M incident with its card, the app using a scripted Bedrock for runbooks and the agent (or no
 * model at all), and an admin's change to the client in the tenant logs.
 */
const world = async (options: { model?: boolean; change?: boolean } = {}) => {
  const { model = true, change = true } = options;
  const { slack, auth0 } = await startSlackAndAuth0(scope, {
    rateLimits: { logs: { burst: 1000, perMinute: 60_000 } },
  });
  auth0.addClient({
    clientId: CLIENT,
    name: 'billing-worker',
    appType: 'non_interactive',
    secret: 'billing-secret-0123456789abcdefghijklmnop',
  });
  const bedrock = await FakeBedrock.start();
  scope.defer(() => bedrock.close());
  bedrock.script.enqueue(toolUse(goodRunbookInput(CLIENT)));
  const modelEnv = {
    AWS_REGION: 'us-east-1',
    BEDROCK_MODEL_ID: 'us.anthropic.claude-sonnet-4-6',
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.endpoint,
  };
  const app = buildApp({
    config: loadConfig(fakeEnv({ slack, auth0 }, scope.dbPath(), model ? modelEnv : {})),
    logger: capturingLogger('warn').logger,
    version: 'test',
    overrides: {
      slackRetry: { retries: 0 },
      awsCredentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    },
  });
  await app.slack.start();
  scope.defer(async () => {
    await app.slack.stop();
    app.db.close();
  });
  const signal = new AbortController().signal;
  await app.watching.poller.poll(signal);
  auth0.appendLogs(
    Array.from({ length: 3 }, () => ({
      type: 'seccft',
      client_id: CLIENT,
      client_name: 'billing-worker',
      ip: CALLER_IP,
    })),
  );
  auth0.appendLogs(
    change
      ? [
          {
            type: 'sapi',
            client_id: 'dashboardCli',
            user_name: 'admin@acme.example',
            details: { request: { method: 'PATCH', path: `/api/v2/clients/${CLIENT}` } },
          },
        ]
      : [],
  );
  auth0.traffic.m2mSecretBroken(CLIENT, { perMinute: 40, minutes: 2 });
  await app.watching.poller.poll(signal);
  await app.incidents.evaluate();
  const card = await eventually(() =>
    Promise.resolve(
      app.db.db
        .prepare<[], { slack_ts: string }>(
          "SELECT slack_ts FROM incidents WHERE signal = 'm2m_token_failures' AND slack_ts IS NOT NULL",
        )
        .get(),
    ),
  );
  // The runbook (Bedrock) is attached before the agent's replies are scripted.
  await eventually(() =>
    Promise.resolve(
      app.db.db.prepare('SELECT count(*) FROM incident_steps').pluck().get() ? true : undefined,
    ),
  );
  const replies = () =>
    slack
      .threadReplies(CHANNEL, card.slack_ts)
      .filter((m) => m.ts !== card.slack_ts && m.botId !== undefined)
      .map((m) => m.text ?? '');
  return { slack, auth0, bedrock, app, card, replies, driver: new SlackDriver(slack) };
};

describe('the runbook agent in incident threads', () => {
  it('answers a question in the card’s thread with a read-only tool result, once even if Slack redelivers', async () => {
    const w = await world();
    w.bedrock.script.enqueue(toolUse({ clientId: CLIENT, minutes: 30 }, { toolName: 'recent_logs' }), {
      kind: 'text',
      text: `The failing calls come from the billing worker; its last good token was from ${CALLER_IP}.`,
    });
    const searchesBefore = w.auth0.requestsTo('/api/v2/logs').filter((r) => r.query.q !== undefined).length;
    const asked = await w.driver.postInThread(
      'U0OPERATOR',
      CHANNEL,
      w.card.slack_ts,
      `<@UBOT> who is still calling with the old secret?`,
    );
    await w.slack.waitFor(() => w.replies().find((t) => t.includes(CALLER_IP)), { timeoutMs: 10_000 });

    const searches = w.auth0.requestsTo('/api/v2/logs').filter((r) => r.query.q !== undefined);
    expect(searches.length).toBeGreaterThan(searchesBefore);
    expect(searches.at(-1)?.query.q).toContain(CLIENT);
    // The tool's data reached the model: its second request carries the search result.
    expect(JSON.stringify(w.bedrock.requests.at(-1))).toContain(CALLER_IP);

    for (const delivery of asked.deliveries) await w.driver.redeliver(delivery);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(w.replies().filter((t) => t.includes(CALLER_IP))).toHaveLength(1);
  });

  it('never runs a step when asked to, and says which button to press', async () => {
    const w = await world();
    w.bedrock.script.enqueue({ kind: 'text', text: 'I would run step 2 now.' });
    const claimsBefore = w.app.db.db.prepare('SELECT count(*) FROM idempotency_claims').pluck().get();
    await w.driver.postInThread('U0OPERATOR', CHANNEL, w.card.slack_ts, '<@UBOT> run step 2');
    const answer = await w.slack.waitFor(() => w.replies().find((t) => /button/i.test(t)), {
      timeoutMs: 10_000,
    });
    expect(answer).toMatch(/cannot|can't|can not/i);
    expect(w.app.db.db.prepare('SELECT count(*) FROM idempotency_claims').pluck().get()).toBe(claimsBefore);
  });

  it('answers "what changed in the last hour?" with a model through the incident_facts tool, from the log store', async () => {
    const w = await world();
    w.bedrock.script.enqueue(toolUse({ topic: 'changes', minutes: 60 }, { toolName: 'incident_facts' }), {
      kind: 'text',
      text: 'An admin changed the billing worker just before it started failing.',
    });
    await w.driver.postInThread(
      'U0OPERATOR',
      CHANNEL,
      w.card.slack_ts,
      '<@UBOT> what changed in the last hour?',
    );
    await w.slack.waitFor(() => w.replies().find((t) => t.includes('An admin changed')), {
      timeoutMs: 10_000,
    });
    // The tool's answer reached the model: the admin's change from the log store, newest first.
    const sent = JSON.stringify(w.bedrock.requests.at(-1));
    expect(sent).toContain('In the last 60 min, 1 change (newest first)');
    expect(sent).toContain(`PATCH /api/v2/clients/${CLIENT} by admin@acme.example`);
  });

  it('without a model answers the common questions from data and stays quiet on messages not addressed to it', async () => {
    const w = await world({ model: false });
    await w.driver.postInThread('U0OPERATOR', CHANNEL, w.card.slack_ts, "ok I'm on it");
    await w.driver.postInThread(
      'U0OPERATOR',
      CHANNEL,
      w.card.slack_ts,
      '<@U0DANA> can you look at the logs?',
    );
    await w.driver.postInThread(
      'U0OPERATOR',
      CHANNEL,
      w.card.slack_ts,
      '<@UBOT> what changed in the last hour?',
    );
    const changes = await w.slack.waitFor(() => w.replies().find((t) => t.includes('In the last 60 min')), {
      timeoutMs: 10_000,
    });
    expect(changes).toContain(`PATCH /api/v2/clients/${CLIENT} by admin@acme.example`);
    await w.driver.postInThread('U0OPERATOR', CHANNEL, w.card.slack_ts, 'which IPs are failing?');
    const failing = await w.slack.waitFor(() => w.replies().find((t) => t.includes('• IPs:')), {
      timeoutMs: 10_000,
    });
    expect(failing).toContain(`client:${CLIENT}`);
    // Two questions, two answers: the messages between people got none.
    const turns = await eventually(() => {
      const rows = w.app.db.db
        .prepare<[], { role: string; text: string }>('SELECT role, text FROM thread_messages ORDER BY id')
        .all();
      return Promise.resolve(rows.length >= 4 ? rows : undefined);
    });
    expect(turns.map((t) => t.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(turns.map((t) => t.text).join('\n')).not.toContain("I'm on it");
  });

  it('answers without the model when it is down, and ignores other threads and its own messages', async () => {
    const w = await world({ change: false });
    w.bedrock.script.always(bedrockError.throttling());
    await w.driver.postInThread('U0OPERATOR', CHANNEL, w.card.slack_ts, '<@UBOT> what should I do?');
    const degraded = await w.slack.waitFor(
      () => w.replies().find((t) => t !== 'Looking into it…' && t.length > 40),
      { timeoutMs: 15_000 },
    );
    expect(degraded.length).toBeGreaterThan(40);
    const count = w.replies().length;
    const other = await w.driver.postMessage('U0OPERATOR', CHANNEL, 'unrelated top-level message <@UBOT>');
    await w.driver.postInThread('U0OPERATOR', CHANNEL, other.ts, '<@UBOT> and here?');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(w.replies()).toHaveLength(count);
    expect(w.slack.threadReplies(CHANNEL, other.ts).filter((m) => m.botId !== undefined)).toHaveLength(0);
  });
});
