import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FakeAuth0, ManualClock } from '@auth0-oncall/fakes/auth0';
import { checkBlockKitLimits, FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { validEnv } from '../helpers/env.js';

const BOT = 'botClient0001';
const CHANNEL = 'C0ALERTS';
const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-incidents-'));
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const quiet = () =>
  createLogger(
    { level: 'warn' },
    new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
  );

/**
 * The real app (buildApp: the production wiring) against the fake Slack and the fake tenant, on
 * one manual clock, driven step by step: poll, detect, click.
 */
const world = async () => {
  const clock = new ManualClock(Date.parse('2026-03-02T09:00:00.000Z'));
  const slack = await FakeSlack.start({ usergroups: { S0ONCALL: ['U0OPERATOR'] } });
  cleanup.push(() => slack.stop());
  // The manual clock only refills buckets when moved: limits high enough not to matter here.
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
    }),
  );
  const signal = new AbortController().signal;
  const boot = async (): Promise<App> => {
    const app = buildApp({
      config,
      logger: quiet(),
      version: 'test',
      overrides: {
        now: () => new Date(clock.now()),
        slackRetry: { retries: 0 },
      },
    });
    await app.slack.start(); // the socket only: this test drives polls and detection itself
    cleanup.push(async () => {
      await app.slack.stop();
      app.db.close();
    });
    return app;
  };
  const app = await boot();
  const driver = new SlackDriver(slack, { command: '/auth0' });
  const cards = () =>
    slack.channelMessages(CHANNEL).filter((m) => m.threadTs === undefined || m.threadTs === m.ts);
  const thread = (ts: string) => slack.threadReplies(CHANNEL, ts).filter((m) => m.ts !== ts);
  /** One poll-interval step: a minute of the given traffic, a poll, a detection pass. */
  const step = async (a: App, traffic: () => void) => {
    clock.advance(60_000);
    traffic();
    await a.watching.poller.poll(signal);
    await a.incidents.evaluate();
  };
  return { clock, slack, auth0, app, boot, driver, cards, thread, step, signal };
};

const spike = (w: Awaited<ReturnType<typeof world>>, ratio: number) => () =>
  w.auth0.traffic.failedLoginSpike({
    ratio,
    perMinute: 120,
    minutes: 1,
    connection: 'Username-Password-Authentication',
  });
const normal = (w: Awaited<ReturnType<typeof world>>) => () =>
  w.auth0.traffic.failedLoginSpike({
    ratio: 0.04,
    perMinute: 120,
    minutes: 1,
    connection: 'Username-Password-Authentication',
  });

const textOf = (blocks: unknown[] | undefined) => JSON.stringify(blocks ?? []);

describe('incidents end to end through the real Bolt pipeline', () => {
  it('turns a failed-login spike into one card, updated in place, with one thread line when severity rises', async () => {
    const w = await world();
    await w.app.watching.poller.poll(w.signal);
    for (let i = 0; i < 6; i += 1) await w.step(w.app, spike(w, 0.35));
    expect(w.cards()).toHaveLength(1);
    const card = w.cards()[0]!;
    expect(textOf(card.blocks)).toContain('Medium');
    expect(card.edits).toBeGreaterThanOrEqual(3);
    expect(w.thread(card.ts)).toHaveLength(0);

    for (let i = 0; i < 5; i += 1) await w.step(w.app, spike(w, 0.8));
    expect(w.cards()).toHaveLength(1);
    const updated = w.slack.message(CHANNEL, card.ts)!;
    expect(textOf(updated.blocks)).toContain('High');
    const lines = w.thread(card.ts).map((m) => m.text ?? '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Medium → .*High/);
    expect(w.slack.limitViolations).toEqual([]);
    for (const m of w.slack.channelMessages(CHANNEL))
      expect(checkBlockKitLimits(m.blocks ?? [], { surface: 'message' })).toEqual([]);
  });

  it('acknowledges by anyone, escalates with the group, denies resolve to a non-operator, and stops reminders', async () => {
    const w = await world();
    await w.app.watching.poller.poll(w.signal);
    for (let i = 0; i < 6; i += 1) await w.step(w.app, spike(w, 0.8));
    const card = w.cards()[0]!;
    const incident = w.app.db.db.prepare<[], { id: string }>('SELECT id FROM incidents').get()!;

    const denied = await w.driver.clickButton('U0VIEWER', {
      actionId: `incident:resolve:${incident.id}`,
      channelId: CHANNEL,
      messageTs: card.ts,
    });
    expect(denied.ack.acked).toBe(true);
    expect(denied.ack.latencyMs).toBeLessThan(3_000);
    await w.slack.waitFor(() =>
      w.slack.ephemeralsFor('U0VIEWER').find((e) => e.text?.includes('Only operators')),
    );
    expect(w.app.db.db.prepare('SELECT state FROM incidents').pluck().get()).toBe('open');

    // Two people click Acknowledge at the same moment: one wins, the other is told who did.
    const ack = { actionId: `incident:ack:${incident.id}`, channelId: CHANNEL, messageTs: card.ts };
    await Promise.all([w.driver.clickButton('U0VIEWER', ack), w.driver.clickButton('U0OPERATOR', ack)]);
    await w.slack.waitFor(() =>
      textOf(w.slack.message(CHANNEL, card.ts)?.blocks).includes(`incident:ack:${incident.id}`)
        ? undefined
        : true,
    );
    const winner = w.app.db.db.prepare<[], string>('SELECT acknowledged_by FROM incidents').pluck().get()!;
    const loser = winner === 'U0VIEWER' ? 'U0OPERATOR' : 'U0VIEWER';
    expect(textOf(w.slack.message(CHANNEL, card.ts)?.blocks)).toContain(`Acknowledged by <@${winner}>`);
    await w.slack.waitFor(() =>
      w.slack.ephemeralsFor(loser).find((e) => e.text?.includes(`Already acknowledged by <@${winner}>`)),
    );

    // Escalate opens a modal; naming nobody pages the escalation group.
    await w.driver.clickButton('U0VIEWER', {
      actionId: `incident:escalate:${incident.id}`,
      channelId: CHANNEL,
      messageTs: card.ts,
    });
    const modal = await w.slack.waitFor(() => w.slack.openModals('U0VIEWER')[0]);
    await w.driver.submitView('U0VIEWER', modal.id, {});
    await w.slack.waitFor(() => w.thread(card.ts).find((m) => m.text?.includes('<!subteam^S0ONCALL>')));

    // Acknowledged: no more "unacknowledged" reminders; a high one reminds its owner, gently.
    const before = w.thread(card.ts).length;
    w.clock.advance(45 * 60_000);
    await w.app.scheduler.runNow('incidents.remind');
    const after = w.thread(card.ts).slice(before);
    expect(after.map((m) => m.text)).toEqual([expect.stringContaining(`<@${winner}> this is still open`)]);
    expect(after.some((m) => m.text?.includes('Still unacknowledged'))).toBe(false);
    const audit = w.app.db.db
      .prepare<[], string>(
        "SELECT action || ':' || outcome FROM audit_log WHERE incident_id IS NOT NULL ORDER BY id",
      )
      .pluck()
      .all();
    expect(audit).toEqual(
      expect.arrayContaining([
        'incident.resolve:denied',
        'incident.ack:success',
        'incident.escalate:success',
        'incident.ack:duplicate',
      ]),
    );
  });

  it('reminds an unacknowledged incident in its thread and mentions the group after 30 minutes', async () => {
    const w = await world();
    await w.app.watching.poller.poll(w.signal);
    for (let i = 0; i < 6; i += 1) await w.step(w.app, spike(w, 0.8));
    const card = w.cards()[0]!;
    w.clock.advance(10 * 60_000);
    await w.app.scheduler.runNow('incidents.remind');
    expect(w.thread(card.ts).at(-1)?.text).toMatch(/Still unacknowledged/);
    w.clock.advance(20 * 60_000);
    await w.app.scheduler.runNow('incidents.remind');
    expect(w.thread(card.ts).at(-1)?.text).toContain('<!subteam^S0ONCALL>');
  });

  it('auto-resolves after the quiet period and says so in the thread', async () => {
    const w = await world();
    await w.app.watching.poller.poll(w.signal);
    for (let i = 0; i < 6; i += 1) await w.step(w.app, spike(w, 0.8));
    const card = w.cards()[0]!;
    for (let i = 0; i < 25; i += 1) await w.step(w.app, normal(w));
    expect(w.app.db.db.prepare("SELECT state || ':' || resolution FROM incidents").pluck().get()).toBe(
      'resolved:auto',
    );
    expect(
      w
        .thread(card.ts)
        .map((m) => m.text)
        .join('\n'),
    ).toMatch(/below threshold|Recovered|resolved/i);
    expect(textOf(w.slack.message(CHANNEL, card.ts)?.blocks)).not.toContain('incident:ack:');
    expect(w.cards()).toHaveLength(1);
  });

  it('keeps the same card across a restart in the middle of an incident', async () => {
    const w = await world();
    await w.app.watching.poller.poll(w.signal);
    // A real-user failure spike whose numbers keep moving, so every minute edits the card.
    for (let i = 0; i < 6; i += 1) await w.step(w.app, spike(w, 0.35));
    expect(w.cards()).toHaveLength(1);
    const card = w.cards()[0]!;
    const edits = w.slack.message(CHANNEL, card.ts)!.edits;
    await w.app.slack.stop();
    w.app.db.close();

    const restarted = await w.boot();
    for (let i = 0; i < 3; i += 1) await w.step(restarted, spike(w, 0.35));
    expect(w.cards()).toHaveLength(1);
    expect(w.slack.message(CHANNEL, card.ts)!.edits).toBeGreaterThan(edits);
  });

  it('lists open incidents with /auth0 incidents and shows MTTA/MTTR in /auth0 status', async () => {
    const w = await world();
    await w.app.watching.poller.poll(w.signal);
    for (let i = 0; i < 6; i += 1) await w.step(w.app, spike(w, 0.8));
    const list = await w.driver.command('U0VIEWER', 'incidents');
    expect(list.reply?.text).toBe('Open incidents (1)');
    // 80% of random users failing with wrong passwords from their own IPs reads as credential stuffing.
    expect(textOf(list.reply?.blocks)).toMatch(/Credential stuffing/i);
    const status = await w.driver.command('U0VIEWER', 'status');
    expect(status.reply?.text).toMatch(/Incidents: open 1 \(1 high/);
    expect(status.reply?.text).toMatch(/MTTA \(7d\)/);
  });

  it('keeps a card with 200 distinct attacking IPs within Block Kit limits', async () => {
    const w = await world();
    await w.app.watching.poller.poll(w.signal);
    w.clock.advance(60_000);
    for (let i = 0; i < 200; i += 1)
      w.auth0.traffic.attackProtection({ ip: `198.51.100.${i}`, code: 'limit_wc', count: 1 });
    await w.app.watching.poller.poll(w.signal);
    await w.app.incidents.evaluate();
    expect(w.cards().length).toBeGreaterThanOrEqual(1);
    expect(w.slack.limitViolations).toEqual([]);
    for (const m of w.slack.channelMessages(CHANNEL))
      expect(checkBlockKitLimits(m.blocks ?? [], { surface: 'message' })).toEqual([]);
  });
});
