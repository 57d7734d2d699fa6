import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { FakeSlack, SlackDriver, waitFor } from '@auth0-oncall/fakes/slack';
import { spawnApp } from '../../sandbox/app-process.js';
import { testScope } from '../helpers/world.js';
import { validEnv } from '../helpers/env.js';
import { eventually } from '../helpers/eventually.js';

const scope = testScope('e2e-tenant');

const BOT = 'botClient0001';

const world = async () => {
  const slack = await FakeSlack.start();
  scope.defer(() => slack.stop());
  // A generous logs bucket: this test is about crashes, not pacing.
  const auth0 = await FakeAuth0.start({
    logRateLimits: false,
    rateLimits: { logs: { burst: 50, perMinute: 6_000 } },
  });
  scope.defer(() => auth0.stop());
  auth0.addClient({
    clientId: BOT,
    name: 'auth0-oncall',
    appType: 'non_interactive',
    secret: 'bot-client-secret-value-0001',
  });
  const dbPath = scope.dbPath();
  const env = validEnv({
    SLACK_BOT_TOKEN: slack.options.botToken,
    SLACK_APP_TOKEN: slack.options.appToken,
    SLACK_API_URL: slack.apiUrl,
    AUTH0_BASE_URL: auth0.baseUrl,
    AUTH0_CLIENT_ID: BOT,
    DATABASE_PATH: dbPath,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_POLL_INTERVAL_SECONDS: '2',
    LOG_LOOKBACK_MINUTES: '60',
  });
  const start = () => {
    const app = spawnApp(env);
    scope.defer(() => app.stop());
    return app;
  };
  /** Reads the app's database from outside, as an operator would (WAL allows it while it runs). */
  const counts = () => {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const events = db.prepare<[], number>('SELECT count(*) FROM log_events').pluck().get() ?? 0;
      const signalled =
        db.prepare<[], number>("SELECT count(*) FROM log_events WHERE signal <> 'ignored'").pluck().get() ??
        0;
      const counted =
        db.prepare<[], number>('SELECT coalesce(sum(count), 0) FROM log_counts').pluck().get() ?? 0;
      return { events, signalled, counted };
    } finally {
      db.close();
    }
  };
  return { slack, auth0, start, counts, driver: new SlackDriver(slack, { command: '/auth0' }) };
};

describe('the built app watching the fake tenant', () => {
  it('after kill -9 in the middle of a drain, restarts and ends with every event stored and counted once', async () => {
    const w = await world();
    w.auth0.traffic.generate({ minutes: 30, perMinute: 200 }); // ~6,000 events of backlog
    const first = w.start();
    await first.waitForLog('app.ready', 15_000);
    await waitFor(
      () => {
        const c = w.counts();
        return c.events >= 500 ? c : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 5 },
    );
    first.child.kill('SIGKILL');
    const { signal } = await first.exited;
    expect(signal).toBe('SIGKILL');

    const second = w.start();
    await second.waitForLog('app.ready', 15_000);
    const expected = () => w.auth0.logCount();
    const settled = await waitFor(
      () => {
        const c = w.counts();
        return c.events === expected() ? c : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    // Every stored event with a signal is counted exactly once (ignored codes are stored, not counted).
    expect(settled.signalled).toBeGreaterThan(5_000);
    expect(settled.counted).toBe(settled.signalled);
    second.child.kill('SIGTERM');
    await expect(second.exited).resolves.toMatchObject({ code: 0 });
  });

  it('shows the tenant in /auth0 status: breaker, poll, budget and watcher readings', async () => {
    const w = await world();
    const app = w.start();
    await app.waitForLog('app.ready', 15_000);
    await w.slack.waitForConnection({ timeoutMs: 10_000 });
    // The watchers run at start; ask until their first readings are in.
    const text = await eventually(
      async () => {
        const reply = (await w.driver.command('U0OPERATOR', 'status')).reply?.text ?? '';
        return reply.includes('signing keys current key') ? reply : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 300 },
    );
    expect(text).toMatch(/Auth0: Management API reachable/);
    expect(text).toMatch(/log poll \d+\w* ago, caught up/);
    expect(text).toMatch(/rate limit \(logs\) \d+ of 50 left/);
    expect(w.slack.limitViolations).toEqual([]);
  });
});
