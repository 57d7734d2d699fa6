import { Writable } from 'node:stream';
import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackgroundTasks } from '../../src/core/background/tasks.js';
import { incidentStats } from '../../src/core/incidents/incident-stats.js';
import { createMetrics } from '../../src/metrics/app-metrics.js';
import { createLogger } from '../../src/logger.js';
import { createSlackApp } from '../../src/slack/app.js';
import { createHomePublisher, type HomeInput } from '../../src/slack/home.js';
import { SqliteAuditLog, SqliteIncidentStore, openDatabase } from '../../src/store/index.js';
import { checkViewLimits, FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';

const running: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop();
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

/** The real Bolt pipeline over Socket Mode against the fake workspace, with a real SQLite store. */
const world = async () => {
  const fake = await FakeSlack.start();
  running.push(() => fake.stop());
  const db = openDatabase({ path: ':memory:' });
  running.push(() => {
    db.close();
  });
  const incidents = new SqliteIncidentStore(db);
  const audit = new SqliteAuditLog(db);
  const errors: unknown[] = [];
  const build = (): Promise<HomeInput> => {
    const now = new Date();
    return Promise.resolve({
      incidents: incidents.listOpen(),
      permalink: (i) => (i.slackTs ? `https://acme.slack.com/archives/C0ALERTS/p${i.slackTs}` : undefined),
      dependencies: [
        { name: 'Auth0', state: 'closed', lastSuccess: now },
        { name: 'Secrets Manager', state: 'closed' },
        { name: 'LLM', state: 'closed' },
        { name: 'Slack', state: 'closed' },
      ],
      intake: [{ title: 'Auth0', items: [{ label: 'log poll', value: 'not run yet', level: 'info' }] }],
      rotation: { title: 'Rotation', items: [] },
      stats: { week: incidentStats(incidents, now, 7), month: incidentStats(incidents, now, 30) },
      audit: audit.latest(5),
      now,
    });
  };
  const home = createHomePublisher({
    // The same kind of client the composition root passes: a WebClient with its retries off.
    client: new webApi.WebClient(fake.options.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
    }),
    build,
    isOperator: (userId) => userId === 'U0OPERATOR',
    throttleMs: 50,
    onError: (err) => errors.push(err),
  });
  running.push(() => {
    home.stop();
  });
  const metrics = createMetrics({ version: 'test' });
  const slack = createSlackApp({
    botToken: fake.options.botToken,
    appToken: fake.options.appToken,
    apiUrl: fake.apiUrl,
    logger: quiet(),
    metrics: metrics.slack,
    inflight: createBackgroundTasks(),
    retry: { retries: 0 },
    command: {
      command: '/auth0',
      version: 'test',
      now: () => new Date(),
      status: () => Promise.resolve([]),
    },
    register: [home.register],
  });
  await slack.start();
  running.push(() => slack.stop());
  const driver = new SlackDriver(fake, { command: '/auth0' });
  const publishes = (user: string) =>
    fake.callsTo('views.publish').filter((c) => c.args.user_id === user).length;
  return { fake, driver, home, incidents, errors, publishes };
};

const openAnIncident = (w: Awaited<ReturnType<typeof world>>, title: string) =>
  w.incidents.open({
    id: `inc-${title.length}`,
    signal: 'failed_logins',
    scope: 'tenant',
    severity: 'high',
    title,
    at: new Date().toISOString(),
  });

describe('the App Home through the real Bolt pipeline', () => {
  it('publishes a dashboard within Slack’s limits when a user opens the Home tab', async () => {
    const w = await world();
    await w.driver.openHome('U0VIEWER');
    const stored = await w.fake.waitFor(() => w.fake.homeView('U0VIEWER'));
    expect(checkViewLimits(stored.view)).toEqual([]);
    expect(JSON.stringify(stored.view)).toContain('No open incidents');
    expect(JSON.stringify(stored.view)).not.toContain('Recent audit entries');
    expect(w.fake.limitViolations).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  it('ignores app_home_opened for the Messages tab', async () => {
    const w = await world();
    await w.driver.openHome('U0VIEWER', { tab: 'messages' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(w.fake.homeView('U0VIEWER')).toBeUndefined();
  });

  it('republishes for recent viewers after an incident changes, coalescing a burst', async () => {
    const w = await world();
    await w.driver.openHome('U0OPERATOR');
    await w.fake.waitFor(() => w.fake.homeView('U0OPERATOR'));
    expect(w.publishes('U0OPERATOR')).toBe(1);

    openAnIncident(w, 'Failed-login spike on the tenant');
    for (let i = 0; i < 10; i += 1) w.home.changed();
    const updated = await w.fake.waitFor(() => {
      const view = w.fake.homeView('U0OPERATOR');
      return view && JSON.stringify(view.view).includes('Failed-login spike') ? view : undefined;
    });
    expect(checkViewLimits(updated.view)).toEqual([]);
    expect(JSON.stringify(updated.view)).toContain('Open incidents (1)');
    expect(JSON.stringify(updated.view)).toContain('Recent audit entries');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(w.publishes('U0OPERATOR')).toBe(2);
    expect(w.publishes('U0VIEWER')).toBe(0);
  });

  it('republishes for the user who clicks Refresh', async () => {
    const w = await world();
    await w.driver.openHome('U0VIEWER');
    const first = await w.fake.waitFor(() => w.fake.homeView('U0VIEWER'));
    openAnIncident(w, 'Signing key rotated');
    const click = await w.driver.clickButton('U0VIEWER', { viewId: first.id, actionId: 'home:refresh' });
    expect(click.ack.acked).toBe(true);
    await w.fake.waitFor(() =>
      JSON.stringify(w.fake.homeView('U0VIEWER')?.view).includes('Signing key rotated') ? true : undefined,
    );
    expect(w.errors).toEqual([]);
  });
});
