import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpServer, type ReadinessCheck } from '../../../src/http/server.js';
import { createMetrics } from '../../../src/metrics/app-metrics.js';
import { createLogger } from '../../../src/logger.js';

const logLines: string[] = [];
const logger = createLogger(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _e, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  }),
);

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const start = async (checks: () => ReadinessCheck[]) => {
  const metrics = createMetrics({ version: '9.9.9' });
  server = createHttpServer({
    logger,
    registry: metrics.registry,
    readiness: checks,
    info: () => ({ version: '9.9.9' }),
  });
  const address = await server.listen(0, '127.0.0.1');
  return { base: `http://127.0.0.1:${address.port}`, metrics };
};

describe('GET /healthz', () => {
  it('is 503 with the failing checks until every check passes, then 200', async () => {
    let socket = false;
    const { base } = await start(() => [
      { name: 'database', ok: true, detail: 'open' },
      { name: 'slack_socket', ok: socket, detail: socket ? 'connected' : 'not connected' },
    ]);
    const before = await fetch(`${base}/healthz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({
      status: 'unavailable',
      checks: {
        database: { ok: true, detail: 'open' },
        slack_socket: { ok: false, detail: 'not connected' },
      },
      version: '9.9.9',
    });
    socket = true;
    const after = await fetch(`${base}/healthz`);
    expect(after.status).toBe(200);
    expect(after.headers.get('cache-control')).toBe('no-store');
    expect(await after.json()).toMatchObject({ status: 'ok' });
  });

  it('answers HEAD like GET, without a body', async () => {
    const { base } = await start(() => []);
    const res = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text with process metrics and the app metrics', async () => {
    const { base, metrics } = await start(() => []);
    metrics.slack.observeAckLatency(0.012, 'slash_commands');
    metrics.slack.setSocketConnected(true);
    metrics.slack.countError('slack_webapi_platform_error');
    metrics.countCommand('status');
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain(
      'auth0oncall_ack_latency_seconds_bucket{le="0.025",envelope_type="slash_commands"} 1',
    );
    expect(text).toContain('auth0oncall_slack_socket_connected 1');
    expect(text).toContain('auth0oncall_errors_total{code="slack_webapi_platform_error"} 1');
    expect(text).toContain('auth0oncall_slack_commands_total{subcommand="status"} 1');
    expect(text).toMatch(/auth0oncall_build_info\{version="9\.9\.9",node="v\d+/);
  });
});

describe('routing', () => {
  it('answers unknown paths with 404 and wrong methods with 405 and Allow', async () => {
    const { base } = await start(() => []);
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', message: 'no route /nope' });
    const wrong = await fetch(`${base}/healthz`, { method: 'POST', body: 'x' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });

  it('turns a failing handler into a 500 without crashing', async () => {
    const { base } = await start(() => {
      throw new Error('readiness exploded');
    });
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal', message: 'internal error' });
    expect(logLines.join('')).toContain('readiness exploded');
  });
});

describe('listen', () => {
  it('names HTTP_PORT when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const metrics = createMetrics({ version: 'x' });
      server = createHttpServer({
        logger,
        registry: metrics.registry,
        readiness: () => [],
        info: () => ({}),
      });
      await expect(server.listen(port, '127.0.0.1')).rejects.toMatchObject({
        code: 'http_unavailable',
        message: expect.stringContaining(`HTTP_PORT: cannot listen on 127.0.0.1:${port} (EADDRINUSE)`),
      });
    } finally {
      blocker.close();
    }
  });

  it('closes cleanly even if it never listened', async () => {
    const metrics = createMetrics({ version: 'x' });
    await expect(
      createHttpServer({ logger, registry: metrics.registry, readiness: () => [], info: () => ({}) }).close(),
    ).resolves.toBeUndefined();
  });
});
