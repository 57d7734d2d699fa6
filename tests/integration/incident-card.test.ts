import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FakeAuth0, ManualClock } from '@auth0-oncall/fakes/auth0';
import { checkBlockKitLimits, checkViewLimits, FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { validEnv } from '../helpers/env.js';

/**
 * The compact card through the production wiring (buildApp) against the fake Slack and tenant:
 * since when the signal shows the problem, the last hour's curve, the link to the tenant's log
 * search, and the Details modal; clicks on its buttons as real block_actions envelopes.
 */

const BOT = 'botClient0001';
const CHANNEL = 'C0ALERTS';
const CONNECTION = 'Username-Password-Authentication';
const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-card-'));
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

const world = async () => {
  const clock = new ManualClock(Date.parse('2026-03-02T09:00:00.000Z'));
  const slack = await FakeSlack.start();
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
      AUTH0_DOMAIN: 'acme.eu.auth0.com',
      AUTH0_BASE_URL: auth0.baseUrl,
      AUTH0_CLIENT_ID: BOT,
      DATABASE_PATH: join(dir, `app-${Math.random().toString(36).slice(2)}.db`),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    }),
  );
  const signal = new AbortController().signal;
  const app = buildApp({
    config,
    logger: quiet(),
    version: 'test',
    overrides: { now: () => new Date(clock.now()), slackRetry: { retries: 0 } },
  });
  await app.slack.start();
  cleanup.push(async () => {
    await app.slack.stop();
    app.db.close();
  });
  const step = async () => {
    clock.advance(60_000);
    auth0.traffic.failedLoginSpike({ ratio: 0.8, perMinute: 120, minutes: 1, connection: CONNECTION });
    await app.watching.poller.poll(signal);
    await app.incidents.evaluate();
  };
  await app.watching.poller.poll(signal);
  for (let i = 0; i < 6; i += 1) await step();
  const card = slack.channelMessages(CHANNEL).find((m) => m.threadTs === undefined || m.threadTs === m.ts);
  if (!card) throw new Error('no card was posted');
  const incident = app.db.db
    .prepare<[], { id: string; opened_at: string }>('SELECT id, opened_at FROM incidents')
    .get()!;
  const blocks = () => JSON.stringify(slack.message(CHANNEL, card.ts)?.blocks ?? []);
  const driver = new SlackDriver(slack, { command: '/auth0' });
  const click = (user: string, actionId: string) =>
    driver.clickButton(user, { actionId, channelId: CHANNEL, messageTs: card.ts });
  const raw = (user: string, actionId: string) =>
    new SlackDriver(slack, { channelId: CHANNEL }).rawClick(user, { actionId, messageTs: card.ts });
  const audited = () =>
    app.db.db
      .prepare<[], string>("SELECT action || ':' || outcome FROM audit_log WHERE action LIKE 'incident.%'")
      .pluck()
      .all();
  return { slack, app, card, incident, blocks, click, raw, audited };
};

describe('the incident card', () => {
  it('says since when the signal failed (its first failure, before the card), draws the last hour and links to the log search', async () => {
    const w = await world();
    const first = w.app.db.db
      .prepare<[], string>("SELECT MIN(date) FROM log_events WHERE signal = 'login_failure'")
      .pluck()
      .get()!;
    expect(Date.parse(first)).toBeLessThan(Date.parse(w.incident.opened_at));
    const text = w.blocks();
    expect(text).toContain(`Since <!date^${String(Math.floor(Date.parse(first) / 1000))}^`);
    expect(text).toMatch(/`[▁▂▃▄▅▆▇█]{12}` last hour to <!date\^/);
    // No history before the spike: the card says when there will be a baseline.
    expect(text).toMatch(/baseline from <!date\^\d+\^\{time\}/);

    const link = new RegExp(`"action_id":"incident-link:${w.incident.id}","url":"([^"]+)"`).exec(text);
    const url = new URL(link?.[1] ?? 'about:blank');
    expect(`${url.origin}${url.pathname}`).toBe('https://manage.auth0.com/dashboard/eu/acme/logs');
    // A tenant-wide failed-login incident: the failed-login types of its sample, no client or connection.
    expect(url.searchParams.get('q')).toMatch(/^\(type:"f[pu]?"( OR type:"f[pu]?"){2}\)$/);
    for (const m of w.slack.channelMessages(CHANNEL))
      expect(checkBlockKitLimits(m.blocks ?? [], { surface: 'message' })).toEqual([]);
  });

  it('opens Details for anyone, with the whole evidence and runbook, and acks the link click; neither is audited', async () => {
    const w = await world();
    const details = await w.click('U0VIEWER', `incident-details:${w.incident.id}`);
    expect(details.ack.acked).toBe(true);
    expect(details.ack.latencyMs).toBeLessThan(3_000);
    const modal = await w.slack.waitFor(() => w.slack.openModals('U0VIEWER')[0]);
    const text = JSON.stringify(modal.view.blocks);
    expect(text).toContain('Failures in window');
    expect(text).toContain('Top connections');
    expect(text).toContain('Auth0 log search');
    expect(text).toContain('Runbook');
    expect(checkViewLimits(modal.view)).toEqual([]);

    const link = await w.click('U0VIEWER', `incident-link:${w.incident.id}`);
    expect(link.ack.acked).toBe(true);
    expect(w.audited().filter((a) => a.startsWith('incident.details'))).toEqual([]);
    expect(w.slack.limitViolations).toEqual([]);
  });

  it('refuses forged Details and link clicks with an ephemeral, audits each, and opens nothing', async () => {
    const w = await world();
    const forged = [
      'incident-details:',
      `incident-details:${'x'.repeat(200)}`,
      "incident-details:inc' OR 1=1 --",
      'incident-link:../../etc',
    ];
    for (const actionId of forged) expect((await w.raw('U0OPERATOR', actionId)).acked).toBe(true);
    await w.slack.waitFor(() =>
      w.slack.ephemeralsFor('U0OPERATOR').filter((e) => e.text === ':no_entry: That button is not valid.')
        .length === forged.length
        ? true
        : undefined,
    );
    expect(w.audited().filter((a) => a === 'incident.details:denied')).toHaveLength(forged.length);
    expect(w.slack.openModals('U0OPERATOR')).toEqual([]);

    expect((await w.raw('U0OPERATOR', 'incident-details:inc_gone')).acked).toBe(true);
    await w.slack.waitFor(() =>
      w.slack.ephemeralsFor('U0OPERATOR').find((e) => (e.text ?? '').includes('no longer exists')),
    );
    expect(w.slack.openModals('U0OPERATOR')).toEqual([]);
  });
});
