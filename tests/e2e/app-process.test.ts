import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FakeSlack, SlackDriver, waitFor } from '@auth0-oncall/fakes/slack';
import { spawnApp, type AppProcess } from '../../sandbox/app-process.js';
import { eventually } from '../helpers/eventually.js';
import { rsaKeys, validEnv } from '../helpers/env.js';

const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-e2e-'));
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const appEnv = (fake: FakeSlack, overrides: Record<string, string | undefined> = {}) =>
  validEnv({
    SLACK_BOT_TOKEN: fake.options.botToken,
    SLACK_APP_TOKEN: fake.options.appToken,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_PATH: join(dir, `app-${Math.random().toString(36).slice(2)}.db`),
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_SECONDS: '5',
    ...overrides,
  });

const start = async (overrides: Record<string, string | undefined> = {}) => {
  const fake = await FakeSlack.start();
  cleanup.push(() => fake.stop());
  const app = spawnApp(appEnv(fake, overrides));
  cleanup.push(() => app.stop());
  return { fake, app, driver: new SlackDriver(fake, { command: '/auth0' }) };
};

const httpBase = async (app: AppProcess) => {
  const listening = await app.waitForLog('http.listening');
  return `http://127.0.0.1:${String(listening.port)}`;
};

const noStackTrace = (text: string) => {
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
};

describe('the built app as a process against the fake Slack', () => {
  it('connects, turns healthy, answers /auth0 in time, and exits cleanly on SIGTERM', async () => {
    const { fake, app, driver } = await start();
    const base = await httpBase(app);

    // Not ready until the socket is connected.
    await fake.waitForConnection({ timeoutMs: 10_000 });
    expect(fake.callsTo('apps.connections.open')[0]?.token).toBe(fake.options.appToken);
    const ready = await app.waitForLog('app.ready');
    expect(ready.startupMs).toEqual(expect.any(Number));
    const health = await eventually(
      async () => {
        const res = await fetch(`${base}/healthz`);
        return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
      },
      { timeoutMs: 5_000 },
    );
    expect(health).toMatchObject({ status: 'ok', version: '0.1.0' });

    const status = await driver.command('U0OPERATOR', 'status');
    expect(status.ack.acked).toBe(true);
    expect(status.ack.latencyMs).toBeLessThan(3_000);
    expect(JSON.stringify(status.reply?.blocks)).toContain('auth0-oncall status');
    expect(status.reply?.text).toMatch(/Slack: socket connected for/);
    expect(status.reply?.text).toMatch(/Database: state open/);

    const unknown = await driver.command('U0VIEWER', 'frobnicate');
    expect(unknown.ack.acked).toBe(true);
    expect(unknown.reply?.text).toContain("I don't know `/auth0 frobnicate`");
    expect(JSON.stringify(unknown.reply?.blocks)).toContain('/auth0 help');
    expect(fake.limitViolations).toEqual([]);

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('auth0oncall_ack_latency_seconds_count{envelope_type="slash_commands"} 2');

    app.child.kill('SIGTERM');
    await expect(app.exited).resolves.toEqual({ code: 0, signal: null });
    expect(app.logs.map((l) => l.event)).toEqual(expect.arrayContaining(['shutdown.start', 'shutdown.done']));
    await waitFor(() => (fake.isConnected() ? undefined : true), { timeoutMs: 5_000 });
    expect(app.stderr()).toBe('');
  });

  it('never writes a token or secret to its logs', async () => {
    const { fake, app, driver } = await start({ LOG_LEVEL: 'debug' });
    await app.waitForLog('app.ready');
    await driver.command('U0OPERATOR', 'status');
    app.child.kill('SIGTERM');
    await app.exited;
    const all = JSON.stringify(app.logs) + app.stderr();
    for (const secret of [fake.options.botToken, fake.options.appToken, 'bot-client-secret-value-0001']) {
      expect(all).not.toContain(secret);
    }
    expect(all).toContain('[redacted]');
  });
});

describe('start-up with bad input stops with one clear message', () => {
  const run = async (env: Record<string, string | undefined>) => {
    const app = spawnApp(env);
    cleanup.push(() => app.stop());
    const { code } = await app.exited;
    return { code, stderr: app.stderr() };
  };

  it('lists every config problem of an empty environment and exits 78', async () => {
    const { code, stderr } = await run({});
    expect(code).toBe(78);
    for (const v of [
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
      'SLACK_ALERT_CHANNEL',
      'AUTH0_DOMAIN',
      'AUTH0_CLIENT_ID',
      'AUTH0_CLIENT_SECRET',
    ]) {
      expect(stderr).toContain(`  - ${v}: `);
    }
    noStackTrace(stderr);
  });

  it('names a malformed channel ID and an unreadable private key file', async () => {
    const { code, stderr } = await run(
      validEnv({
        SLACK_ALERT_CHANNEL: '#alerts',
        AUTH0_CLIENT_SECRET: undefined,
        AUTH0_PRIVATE_KEY_FILE: join(dir, 'nope.pem'),
      }),
    );
    expect(code).toBe(78);
    expect(stderr).toContain('SLACK_ALERT_CHANNEL: must be a channel ID');
    expect(stderr).toContain(`AUTH0_PRIVATE_KEY_FILE: cannot read "${join(dir, 'nope.pem')}" (ENOENT)`);
    noStackTrace(stderr);
  });

  it('refuses a PKCS#1 private key with the conversion command', async () => {
    const file = join(dir, 'pkcs1.pem');
    writeFileSync(file, rsaKeys().pkcs1);
    const { code, stderr } = await run(
      validEnv({ AUTH0_CLIENT_SECRET: undefined, AUTH0_PRIVATE_KEY_FILE: file }),
    );
    expect(code).toBe(78);
    expect(stderr).toContain('openssl pkcs8 -topk8 -nocrypt');
  });

  it('names DATABASE_PATH when the database cannot be created, and exits 73', async () => {
    const fake = await FakeSlack.start();
    cleanup.push(() => fake.stop());
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const { code, stderr } = await run(appEnv(fake, { DATABASE_PATH: join(file, 'sub', 'db.sqlite') }));
    expect(code).toBe(73);
    expect(stderr).toMatch(/^auth0-oncall: cannot start: DATABASE_PATH: cannot open /);
    noStackTrace(stderr);
    expect(fake.isConnected()).toBe(false);
  });

  it('names the Slack token Slack rejects, and exits 77', async () => {
    const fake = await FakeSlack.start();
    cleanup.push(() => fake.stop());
    const { code, stderr } = await run(appEnv(fake, { SLACK_APP_TOKEN: 'xapp-1-revoked' }));
    expect(code).toBe(77);
    expect(stderr).toContain('SLACK_APP_TOKEN was rejected by Slack');
    expect(stderr).not.toContain('xapp-1-revoked');
    noStackTrace(stderr);
  });
});
