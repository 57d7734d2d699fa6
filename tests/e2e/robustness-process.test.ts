import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';
import { spawnApp, type AppProcess } from '../../sandbox/app-process.js';
import { eventually } from '../helpers/eventually.js';
import { validEnv } from '../helpers/env.js';
import { testScope } from '../helpers/world.js';

const scope = testScope('e2e-robust');

const LOG_STREAM_TOKEN = 'log-stream-token-0123456789abcdef';

const start = async () => {
  const fake = await FakeSlack.start();
  scope.defer(() => fake.stop());
  const dbPath = scope.dbPath();
  const app = spawnApp(
    validEnv({
      SLACK_BOT_TOKEN: fake.options.botToken,
      SLACK_APP_TOKEN: fake.options.appToken,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_PATH: dbPath,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
      LOG_STREAM_TOKEN,
      SHUTDOWN_TIMEOUT_SECONDS: '5',
    }),
  );
  scope.defer(() => app.stop());
  const listening = await app.waitForLog('http.listening');
  await app.waitForLog('app.ready');
  return {
    fake,
    app,
    dbPath,
    base: `http://127.0.0.1:${String(listening.port)}`,
    driver: new SlackDriver(fake, { command: '/auth0' }),
  };
};

const alive = (app: AppProcess) => app.child.exitCode === null && app.child.signalCode === null;

describe('the built app survives bad input and a lost database', () => {
  it('drops a malformed Socket Mode envelope, names it in the log, counts it, and keeps answering', async () => {
    const { fake, app, base, driver } = await start();

    // The frame the SDK throws on: events_api without payload.event.
    const unacked = fake.sendEnvelope('events_api', {}, { envelopeId: 'e7' });
    const dropped = await app.waitForLog('slack.envelope_dropped');
    expect(dropped).toMatchObject({ envelopeId: 'e7', envelopeType: 'events_api', reason: 'malformed' });
    // Slack's redelivery of the same frame is dropped again, not fatal.
    const again = fake.sendEnvelope('events_api', {}, { envelopeId: 'e7', retryAttempt: 1 });

    const status = await driver.command('U0OPERATOR', 'status');
    expect(status.ack.acked).toBe(true);
    expect(alive(app)).toBe(true);
    const metrics = await eventually(
      async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return text.includes('auth0oncall_dropped_envelopes_total{reason="malformed"} 2') ? text : undefined;
      },
      { timeoutMs: 5_000 },
    );
    expect(metrics).toBeDefined();
    expect((await unacked).acked).toBe(false);
    expect((await again).acked).toBe(false);
    expect(app.logs.filter((l) => l.event === 'app.crash')).toEqual([]);
  });

  it('reports a database file deleted at run time as unhealthy and refuses new work', async () => {
    const { app, base, dbPath, driver } = await start();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(file, { force: true });

    const health = await eventually(
      async () => {
        const res = await fetch(`${base}/healthz`);
        return res.status === 503
          ? ((await res.json()) as { checks: Record<string, { ok: boolean; detail: string }> })
          : undefined;
      },
      { timeoutMs: 10_000 },
    );
    expect(health.checks.database).toMatchObject({
      ok: false,
      detail: expect.stringContaining('was deleted') as string,
    });
    const logged = await app.waitForLog('store.unhealthy');
    expect(logged.level).toBe('fatal');

    const status = await driver.command('U0OPERATOR', 'status');
    expect(status.reply?.text).toMatch(/Database: state unhealthy: the database file .* was deleted/);

    // New work is refused loudly instead of being written into the unlinked file.
    const refused = await fetch(`${base}/auth0/log-stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LOG_STREAM_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ log_id: 'l1', date: new Date().toISOString(), type: 'f' }]),
    });
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect(existsSync(dbPath)).toBe(false);
    expect(alive(app)).toBe(true);
  });
});
