import { describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { eventually } from '../helpers/eventually.js';
import { startHookReceiver } from '../helpers/hook-receiver.js';
import { capturingLogger, fakeEnv, startSlackAndAuth0, testScope } from '../helpers/world.js';

/**
 * Watching the watcher through the whole app: the heartbeat pings only while the app is healthy
 * (a dead-man's switch), and /metrics and /healthz can listen apart from the public receivers.
 */
const scope = testScope('watchdog');

const boot = async (env: Record<string, string>, overrides: { heartbeatEveryMs?: number } = {}) => {
  const fakes = await startSlackAndAuth0(scope);
  const { logger, lines } = capturingLogger();
  const app = buildApp({
    config: loadConfig(fakeEnv(fakes, scope.dbPath(), env)),
    logger,
    version: 'test',
    overrides: { slackRetry: { retries: 0 }, ...overrides },
  });
  await app.start();
  scope.defer(async () => {
    for (const step of app.shutdownPlan.stopIntake) await step.run();
    await app.shutdownPlan.drain(5_000);
    for (const step of app.shutdownPlan.release) await step.run();
  });
  return { ...fakes, app, lines };
};

const runJob = (app: App, name: string) =>
  eventually(async () => ((await app.scheduler.runNow(name)) === 'ran' ? true : undefined));

const metric = async (app: App, name: string, labels: string) => {
  const text = await app.metrics.registry.metrics();
  const prefix = labels === '' ? `${name} ` : `${name}{${labels}} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return Number(line?.split(' ').at(-1) ?? NaN);
};

describe('the heartbeat', () => {
  it('pings while healthy, stops while log polling fails, and resumes when it recovers', async () => {
    const service = await startHookReceiver('unused-secret');
    scope.defer(() => service.stop());
    const w = await boot({ HEARTBEAT_URL: service.url('/ping/0f1e2d3c') }, { heartbeatEveryMs: 40 });
    await eventually(async () => {
      await Promise.resolve();
      return service.received.length >= 3 ? true : undefined;
    });
    expect(service.received.every((r) => r.path === '/ping/0f1e2d3c')).toBe(true);
    expect(await metric(w.app, 'auth0oncall_healthy', '')).toBe(1);

    // The tenant goes away: the next poll fails, so the logs are no longer fresh.
    w.auth0.outage();
    await runJob(w.app, 'auth0.logs.poll');
    const skipped = await metric(w.app, 'auth0oncall_heartbeat_pings_total', 'outcome="skipped_unhealthy"');
    await eventually(async () =>
      (await metric(w.app, 'auth0oncall_heartbeat_pings_total', 'outcome="skipped_unhealthy"')) >= skipped + 1
        ? true
        : undefined,
    );
    const pingsWhenUnhealthy = service.received.length;
    await eventually(async () =>
      (await metric(w.app, 'auth0oncall_heartbeat_pings_total', 'outcome="skipped_unhealthy"')) >= skipped + 5
        ? true
        : undefined,
    );
    expect(service.received.length).toBe(pingsWhenUnhealthy);
    expect(await metric(w.app, 'auth0oncall_healthy', '')).toBe(0);
    expect(w.lines.join('')).toContain('"event":"heartbeat.withheld","failing":"log_polling"');

    w.auth0.restore();
    await runJob(w.app, 'auth0.logs.poll');
    await eventually(async () => {
      await Promise.resolve();
      return service.received.length >= pingsWhenUnhealthy + 2 ? true : undefined;
    });
    // The URL is the service's credential: it is never logged.
    expect(w.lines.join('')).not.toContain('0f1e2d3c');
  });

  it('stops pinging while the Slack socket is down', async () => {
    const service = await startHookReceiver('unused-secret');
    scope.defer(() => service.stop());
    const w = await boot({ HEARTBEAT_URL: service.url('/ping') }, { heartbeatEveryMs: 40 });
    await eventually(async () => {
      await Promise.resolve();
      return service.received.length >= 1 ? true : undefined;
    });
    await w.app.slack.stop();
    const skipped = await metric(w.app, 'auth0oncall_heartbeat_pings_total', 'outcome="skipped_unhealthy"');
    await eventually(async () =>
      (await metric(w.app, 'auth0oncall_heartbeat_pings_total', 'outcome="skipped_unhealthy"')) >= skipped + 1
        ? true
        : undefined,
    );
    const pings = service.received.length;
    await eventually(async () =>
      (await metric(w.app, 'auth0oncall_heartbeat_pings_total', 'outcome="skipped_unhealthy"')) >= skipped + 4
        ? true
        : undefined,
    );
    expect(service.received.length).toBe(pings);
    expect(w.lines.join('')).toContain('"failing":"slack_socket"');
  });
});

describe('METRICS_PORT', () => {
  it('serves /metrics and /healthz apart from the receivers, and the receivers alone on HTTP_PORT', async () => {
    const w = await boot({
      METRICS_PORT: '0',
      METRICS_HOST: '127.0.0.1',
      LOG_STREAM_TOKEN: 'log-stream-token-0123456789abcdef',
    });
    const publicAddress = await eventually(async () => {
      await Promise.resolve();
      return w.lines.map((l) => /"event":"http.listening","port":(\d+)/.exec(l)?.[1]).find(Boolean);
    });
    const status = w.app.statusAddress();
    expect(status).toBeDefined();
    expect(String(status?.port)).not.toBe(publicAddress);
    const pub = `http://127.0.0.1:${publicAddress}`;
    const priv = `http://127.0.0.1:${String(status?.port)}`;

    expect((await fetch(`${pub}/metrics`)).status).toBe(404);
    expect((await fetch(`${pub}/healthz`)).status).toBe(404);
    // The Log Stream receiver is still there (it refuses a request without its token).
    expect((await fetch(`${pub}/auth0/log-stream`, { method: 'POST', body: '[]' })).status).toBe(401);

    const metrics = await fetch(`${priv}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('auth0oncall_healthy');
    expect(text).toContain('auth0oncall_outbox_pending{outbox="slack"}');
    expect(text).toContain('auth0oncall_log_poll_last_success_timestamp_seconds');
    expect((await fetch(`${priv}/healthz`)).status).toBe(200);
    expect((await fetch(`${priv}/auth0/log-stream`, { method: 'POST', body: '[]' })).status).toBe(404);
  });

  it('keeps everything on HTTP_PORT when unset', async () => {
    const w = await boot({});
    expect(w.app.statusAddress()).toBeUndefined();
    const port = await eventually(async () => {
      await Promise.resolve();
      return w.lines.map((l) => /"event":"http.listening","port":(\d+)/.exec(l)?.[1]).find(Boolean);
    });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });
});
