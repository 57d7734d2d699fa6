import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach } from 'vitest';
import { FakeAuth0, ManualClock } from '@auth0-oncall/fakes/auth0';
import { FakeSlack, SlackDriver, type StoredMessage } from '@auth0-oncall/fakes/slack';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { SqliteAuditLog } from '../../src/store/index.js';
import { validEnv } from '../helpers/env.js';

export const CHANNEL = 'C0ALERTS';
const BOT = 'botClient0001';
const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-quiet-'));
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const silent = () =>
  createLogger(
    { level: 'warn' },
    new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
  );

/**
 * The real app (buildApp) against the fake Slack and the fake tenant on one manual clock, driven
 * step by step as in incidents.test.ts: poll, detect, click, run a job now.
 */
export const quietWorld = async (env: Record<string, string> = {}) => {
  const clock = new ManualClock(Date.parse('2026-03-02T09:00:00.000Z'));
  const slack = await FakeSlack.start({ usergroups: { S0ONCALL: ['U0OPERATOR'] } });
  cleanup.push(() => slack.stop());
  const auth0 = await FakeAuth0.start({
    now: clock.now,
    logRateLimits: false,
    rateLimits: {
      logs: { burst: 100_000, perMinute: 100_000 },
      management: { burst: 100_000, perMinute: 100_000 },
    },
  });
  cleanup.push(() => auth0.stop());
  auth0.addClient({
    clientId: BOT,
    name: 'auth0-oncall',
    appType: 'non_interactive',
    secret: 'bot-client-secret-value-0001',
  });
  const config = loadConfig(
    validEnv({
      SLACK_BOT_TOKEN: slack.options.botToken,
      SLACK_APP_TOKEN: slack.options.appToken,
      SLACK_API_URL: slack.apiUrl,
      SLACK_ESCALATION_GROUP: 'S0ONCALL',
      AUTH0_BASE_URL: auth0.baseUrl,
      AUTH0_CLIENT_ID: BOT,
      DATABASE_PATH: join(dir, `app-${Math.random().toString(36).slice(2)}.db`),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      ...env,
    }),
  );
  const signal = new AbortController().signal;
  const app: App = buildApp({
    config,
    logger: silent(),
    version: 'test',
    overrides: { now: () => new Date(clock.now()), slackRetry: { retries: 0 } },
  });
  await app.slack.start();
  cleanup.push(async () => {
    await app.slack.stop();
    app.db.close();
  });
  const driver = new SlackDriver(slack, { command: '/auth0' });
  const cards = () =>
    slack.channelMessages(CHANNEL).filter((m) => m.threadTs === undefined || m.threadTs === m.ts);
  const thread = (ts: string) => slack.threadReplies(CHANNEL, ts).filter((m) => m.ts !== ts);
  const step = async (traffic: () => void) => {
    clock.advance(60_000);
    traffic();
    await app.watching.poller.poll(signal);
    await app.incidents.evaluate();
  };
  const spike = (ratio: number) => () =>
    auth0.traffic.failedLoginSpike({
      ratio,
      perMinute: 120,
      minutes: 1,
      connection: 'Username-Password-Authentication',
    });
  const audit = () => new SqliteAuditLog(app.db).latest(100);
  await app.watching.poller.poll(signal);
  return { clock, slack, auth0, app, driver, cards, thread, step, spike, audit };
};

export type QuietWorld = Awaited<ReturnType<typeof quietWorld>>;

export const blocksOf = (m: StoredMessage | undefined): string => JSON.stringify(m?.blocks ?? []);

/** The incident ID in a card's snooze menu. */
export const snoozeActionOf = (card: StoredMessage): string => {
  const id = /"action_id":"(incident-snooze:[A-Za-z0-9_-]+)"/.exec(blocksOf(card))?.[1];
  if (id === undefined) throw new Error('the card has no snooze menu');
  return id;
};

export const slackEpoch = (iso: string): string => `<!date^${String(Date.parse(iso) / 1000)}^`;
