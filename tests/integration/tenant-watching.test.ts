import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Registry } from 'prom-client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { wireTenantWatching, type TenantWatching } from '../../src/wiring/tenant.js';
import { loadConfig } from '../../src/config.js';
import { BREAKER_EVENTS, type HealthEvent } from '../../src/core/events/health-events.js';
import { createPlatform } from '../../src/wiring/platform.js';
import { LOG_CHECKPOINT } from '../../src/core/logs/poller.js';
import { createHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { SqliteAuditLog, SqliteCheckpointStore, type StoreDatabase } from '../../src/store/index.js';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import type { PolicySettings } from '../../src/resilience/index.js';
import { validEnv } from '../helpers/env.js';
import { rsaKeyPair } from '../unit/fakes/auth0/helpers.js';

const BOT = 'botClient0001';
const BOT_SECRET = 'bot-client-secret-value-0001';
const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-watch-'));
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Harness {
  fake: FakeAuth0;
  store: StoreDatabase;
  watching: TenantWatching;
  registry: Registry;
  health: HealthEvent[];
  logs: string[];
  signal: AbortSignal;
  reopen(): Harness;
  eventCount(): number;
  countSum(): number;
}

const fastBreaker: Partial<PolicySettings> = {
  retry: { maxAttempts: 2, initialDelayMs: 20, maxDelayMs: 5_000 },
  breaker: { consecutiveFailures: 3, halfOpenAfterMs: 200, maxHalfOpenAfterMs: 1_000 },
};

const compose = (
  fake: FakeAuth0,
  dbPath: string,
  env: Record<string, string | undefined>,
  policy: Partial<PolicySettings>,
): Harness => {
  const logs: string[] = [];
  const logger = createLogger(
    { level: 'debug' },
    new Writable({
      write(c: Buffer, _e, cb) {
        logs.push(c.toString());
        cb();
      },
    }),
  );
  const health: HealthEvent[] = [];
  const config = loadConfig(
    validEnv({ AUTH0_BASE_URL: fake.baseUrl, AUTH0_CLIENT_ID: BOT, DATABASE_PATH: dbPath, ...env }),
  );
  const platform = createPlatform({ config, logger, version: 'test', overrides: { auth0Policy: policy } });
  platform.bus.subscribe(BREAKER_EVENTS, (e) => health.push(e));
  const store = platform.stores.db;
  const registry = platform.metrics.registry;
  const watching = wireTenantWatching(platform);
  const controller = new AbortController();
  cleanup.push(() => {
    controller.abort();
    watching.policy.dispose();
    store.close();
  });
  const harness: Harness = {
    fake,
    store,
    watching,
    registry,
    health,
    logs,
    signal: controller.signal,
    reopen: () => compose(fake, dbPath, env, policy),
    eventCount: () => store.db.prepare<[], number>('SELECT count(*) FROM log_events').pluck().get() ?? 0,
    countSum: () =>
      store.db.prepare<[], number>('SELECT coalesce(sum(count), 0) FROM log_counts').pluck().get() ?? 0,
  };
  return harness;
};

const setup = async (
  opts: {
    env?: Record<string, string | undefined>;
    policy?: Partial<PolicySettings>;
    fake?: Parameters<typeof FakeAuth0.start>[0];
  } = {},
): Promise<Harness> => {
  const fake = await FakeAuth0.start({ logRateLimits: false, ...opts.fake });
  cleanup.push(() => fake.stop());
  fake.addClient({ clientId: BOT, name: 'auth0-oncall', appType: 'non_interactive', secret: BOT_SECRET });
  return compose(
    fake,
    join(dir, `t-${Math.random().toString(36).slice(2)}.db`),
    opts.env ?? {},
    opts.policy ?? fastBreaker,
  );
};

/** Failed logins spread over the last minutes: a backlog with known contents. */
const backlog = (fake: FakeAuth0, n: number) =>
  fake.appendLogs(
    Array.from({ length: n }, (_, i) => ({
      type: i % 4 === 0 ? 'fp' : 's',
      date: Date.now() - (n - i) * 10,
      connection: 'Username-Password-Authentication',
      ip: `198.51.100.${i % 200}`,
    })),
  );

/** Whether the fake tenant logged an entry of this type for this client (seccft / feccft). */
const logged = (fake: FakeAuth0, type: string, clientId: string) =>
  fake.logs.all().some((e) => {
    const v = e.value as { type?: unknown; client_id?: unknown };
    return v.type === type && v.client_id === clientId;
  });

const metric = async (registry: Registry, name: string) =>
  (await registry.getSingleMetricAsString(name)).split('\n');

describe('the log poller against the fake tenant over HTTP', () => {
  it('starts from "now", then drains new events exactly once with the checkpoint', async () => {
    const h = await setup();
    backlog(h.fake, 50); // history before the first start: not read
    await h.watching.poller.poll(h.signal);
    expect(h.eventCount()).toBe(0);
    backlog(h.fake, 730);
    const r = await h.watching.poller.poll(h.signal);
    expect(r).toMatchObject({ accepted: 730, duplicates: 0, caughtUp: true });
    expect(h.countSum()).toBe(730);
    const last = h.fake.logs.latestKey();
    expect(new SqliteCheckpointStore(h.store).get(LOG_CHECKPOINT)?.value).toBe(`log:${String(last)}`);
    expect(await metric(h.registry, 'auth0oncall_logs_ingested_total')).toContain(
      'auth0oncall_logs_ingested_total{source="poll"} 730',
    );
  });

  it('loses nothing and counts nothing twice across a crash between fetch and commit', async () => {
    const first = await setup();
    await first.watching.poller.poll(first.signal);
    const seeded = first.fake.logs.latestKey() ?? '';
    backlog(first.fake, 1_000);
    // "Crash" after the third page has committed: the fourth page is fetched but never committed.
    let pages = 0;
    const realIngest = first.watching.ingester.ingest.bind(first.watching.ingester);
    first.watching.ingester.ingest = (raw, source, checkpoint) => {
      if (++pages === 4) {
        first.store.close();
        throw new Error('killed between fetch and commit');
      }
      return realIngest(raw, source, checkpoint);
    };
    await expect(first.watching.poller.poll(first.signal)).rejects.toThrow('killed between fetch and commit');

    const restarted = first.reopen();
    expect(restarted.eventCount()).toBe(300);
    const r = await restarted.watching.poller.poll(restarted.signal);
    expect(r).toMatchObject({ duplicates: 0, caughtUp: true });
    // Everything the tenant logged after the seed, including the restarted bot's own token
    // exchange (a seccft entry), is stored exactly once and counted exactly once.
    const expected = first.fake.logs.all().filter((e) => e.key > seeded).length;
    expect(expected).toBeGreaterThanOrEqual(1_000);
    expect(restarted.eventCount()).toBe(expected);
    expect(restarted.countSum()).toBe(expected);
  });

  it('counts an event once when it arrives by push and by poll', async () => {
    const h = await setup({ env: { LOG_STREAM_TOKEN: 'stream-token-0123456789' } });
    await h.watching.poller.poll(h.signal);
    const entries = backlog(h.fake, 120);
    const server = createHttpServer({
      logger: createLogger({ level: 'silent' }),
      registry: h.registry,
      readiness: () => [],
      info: () => ({}),
      routes: h.watching.routes,
    });
    const { port } = await server.listen(0, '127.0.0.1');
    cleanup.push(() => server.close());
    const pushed = await fetch(`http://127.0.0.1:${port}/auth0/log-stream`, {
      method: 'POST',
      headers: { authorization: 'Bearer stream-token-0123456789' },
      body: entries
        .slice(0, 80)
        .map((e) => JSON.stringify({ log_id: e.log_id, data: e }))
        .join('\n'),
    });
    expect(await pushed.json()).toEqual({ accepted: 80, duplicates: 0, malformed: 0 });
    const polled = await h.watching.poller.poll(h.signal);
    expect(polled).toMatchObject({ accepted: 40, duplicates: 80 });
    expect(h.countSum()).toBe(120);
  });

  it('skips malformed entries with a counted warning and keeps polling', async () => {
    const h = await setup();
    await h.watching.poller.poll(h.signal);
    backlog(h.fake, 10);
    h.fake.appendRaw([{ log_id: 'zzz-not-a-log' }]);
    backlog(h.fake, 10);
    const r = await h.watching.poller.poll(h.signal);
    expect(r).toMatchObject({ accepted: 20, malformed: 1 });
    expect(h.logs.join('')).toContain('"event":"logs.malformed"');
    expect(await metric(h.registry, 'auth0oncall_logs_malformed_total')).toContain(
      'auth0oncall_logs_malformed_total{source="poll"} 1',
    );
  });
});

describe('log codes the catalogue does not know, and fields of the wrong type', () => {
  it('counts an unknown code once across push and poll, shows it in status and keeps a mistyped event', async () => {
    const h = await setup({ env: { LOG_STREAM_TOKEN: 'stream-token-0123456789' } });
    await h.watching.poller.poll(h.signal);
    const before = await h.watching.status.read();
    expect(before.items.find((i) => i.label === 'log codes')).toMatchObject({ level: 'ok' });
    const entries = h.fake.appendLogs([
      ...Array.from({ length: 3 }, () => ({ type: 'fnew_code', date: Date.now() })),
      { type: 'f', date: Date.now(), connection: 'Username-Password-Authentication' },
    ]);
    h.fake.appendRaw([
      {
        log_id: 'mistyped-1',
        date: new Date().toISOString(),
        type: 'fp',
        client_name: 12345,
        ip: '203.0.113.9',
      },
    ]);
    const server = createHttpServer({
      logger: createLogger({ level: 'silent' }),
      registry: h.registry,
      readiness: () => [],
      info: () => ({}),
      routes: h.watching.routes,
    });
    const { port } = await server.listen(0, '127.0.0.1');
    cleanup.push(() => server.close());
    const pushed = await fetch(`http://127.0.0.1:${port}/auth0/log-stream`, {
      method: 'POST',
      headers: { authorization: 'Bearer stream-token-0123456789' },
      body: entries.map((e) => JSON.stringify({ log_id: e.log_id, data: e })).join('\n'),
    });
    expect(await pushed.json()).toEqual({ accepted: 4, duplicates: 0, malformed: 0 });
    const polled = await h.watching.poller.poll(h.signal);
    expect(polled).toMatchObject({ accepted: 1, duplicates: 4, malformed: 0 });

    expect(await metric(h.registry, 'auth0oncall_unknown_log_types_total')).toContain(
      'auth0oncall_unknown_log_types_total{type="fnew_code"} 3',
    );
    expect(await metric(h.registry, 'auth0oncall_log_fields_dropped_total')).toContain(
      'auth0oncall_log_fields_dropped_total{field="client_name"} 1',
    );
    const after = await h.watching.status.read();
    expect(after.items.find((i) => i.label === 'log codes')).toMatchObject({
      value: expect.stringMatching(/^\d+ known; unknown seen: fnew_code ×3$/),
      level: 'warn',
    });
    expect(h.logs.join('')).toContain('"event":"logs.unknown_types"');
  });
});

describe('rate limits', () => {
  it('paces a backlog drain by the x-ratelimit headers so no 429 happens', async () => {
    const h = await setup({ fake: { rateLimits: { logs: { burst: 4, perMinute: 1_200 } } } });
    await h.watching.poller.poll(h.signal);
    backlog(h.fake, 800);
    const r = await h.watching.poller.poll(h.signal);
    expect(r).toMatchObject({ accepted: 800, caughtUp: true });
    expect(h.fake.rateLimitedCount).toBe(0);
    expect(h.watching.budget.snapshot().find((b) => b.bucket === 'logs')).toMatchObject({ limit: 4 });
  });

  it('waits for the reset after a 429 caused by someone else, then continues without a storm', async () => {
    const h = await setup();
    await h.watching.poller.poll(h.signal);
    backlog(h.fake, 150);
    const reset = Math.ceil(Date.now() / 1000) + 1;
    h.fake.failNext('/api/v2/logs', {
      status: 429,
      headers: {
        'x-ratelimit-limit': '10',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(reset),
      },
    });
    const began = Date.now();
    const r = await h.watching.poller.poll(h.signal);
    expect(r).toMatchObject({ accepted: 150, caughtUp: true });
    expect(Date.now()).toBeGreaterThanOrEqual(reset * 1000 - 50);
    expect(h.fake.requestsTo('/api/v2/logs').filter((q) => q.status === 429)).toHaveLength(1);
    expect(Date.now() - began).toBeLessThan(5_000);
  });
});

describe('the Auth0 breaker', () => {
  it('opens on a 503 storm, fails fast, half-opens, closes, and leaves no gap in the events', async () => {
    const h = await setup();
    await h.watching.poller.poll(h.signal);
    backlog(h.fake, 30);
    h.fake.outage({ status: 503 });
    // Two attempts fail; the next failure (third in a row) opens the circuit mid-retry.
    await expect(h.watching.poller.poll(h.signal)).rejects.toMatchObject({ code: 'dependency_failed' });
    await expect(h.watching.poller.poll(h.signal)).rejects.toMatchObject({ code: 'dependency_unavailable' });
    expect(h.watching.policy.state()).toBe('open');
    expect(h.health.map((e) => e.type)).toEqual(['breaker_opened']);
    const seen = h.fake.requestsTo('/api/v2/logs').length;
    await expect(h.watching.poller.poll(h.signal)).rejects.toMatchObject({ code: 'dependency_unavailable' });
    expect(h.fake.requestsTo('/api/v2/logs')).toHaveLength(seen);
    const status = await h.watching.status.read();
    expect(status.items[0]).toMatchObject({ label: 'Management API', level: 'error' });

    backlog(h.fake, 30); // written during the outage
    h.fake.restore();
    await new Promise((resolve) => setTimeout(resolve, 250));
    const r = await h.watching.poller.poll(h.signal);
    expect(r).toMatchObject({ accepted: 60, caughtUp: true });
    expect(h.watching.policy.state()).toBe('closed');
    expect(h.health.map((e) => e.type)).toEqual(['breaker_opened', 'breaker_half_open', 'breaker_closed']);
    expect(h.countSum()).toBe(60);
    const audit = new SqliteAuditLog(h.store).latest(10).map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['breaker.open', 'breaker.close']));
    expect(await metric(h.registry, 'auth0oncall_breaker_state')).toContain(
      'auth0oncall_breaker_state{dependency="auth0"} 0',
    );
  });

  it('turns a wrong client secret into a clear status and a breaker-open event, not a crash loop', async () => {
    const h = await setup({ env: { AUTH0_CLIENT_SECRET: 'a-wrong-secret-value' } });
    for (let i = 0; i < 3; i += 1) {
      await expect(h.watching.poller.poll(h.signal)).rejects.toMatchObject({
        code: expect.stringMatching(/dependency_(auth_failed|unavailable)/),
      });
    }
    expect(h.health.map((e) => e.type)).toContain('breaker_opened');
    const status = await h.watching.status.read();
    expect(status.items[0]?.value).toMatch(/circuit open/);
    expect(status.items[1]).toMatchObject({ label: 'log poll', level: 'error' });
    expect(JSON.stringify(status)).not.toContain('a-wrong-secret-value');
    expect(h.logs.join('')).not.toContain('a-wrong-secret-value');
    expect(logged(h.fake, 'feccft', BOT)).toBe(true);
  });
});

describe('private_key_jwt', () => {
  it('authenticates with a registered key and is refused with another one', async () => {
    const good = rsaKeyPair();
    const h = await setup({ env: { AUTH0_CLIENT_SECRET: undefined, AUTH0_PRIVATE_KEY: good.privatePem } });
    h.fake.addClient({
      clientId: 'keyClient0001',
      name: 'auth0-oncall (key)',
      appType: 'non_interactive',
      credentials: [{ name: 'bot key', pem: good.publicPem, alg: 'RS256' }],
    });
    const keyed = compose(
      h.fake,
      join(dir, 'jwt.db'),
      {
        AUTH0_CLIENT_ID: 'keyClient0001',
        AUTH0_CLIENT_SECRET: undefined,
        AUTH0_PRIVATE_KEY: good.privatePem,
      },
      fastBreaker,
    );
    await expect(keyed.watching.poller.poll(keyed.signal)).resolves.toMatchObject({ caughtUp: true });
    expect(logged(h.fake, 'seccft', 'keyClient0001')).toBe(true);

    const other = rsaKeyPair();
    const refused = compose(
      h.fake,
      join(dir, 'jwt-bad.db'),
      {
        AUTH0_CLIENT_ID: 'keyClient0001',
        AUTH0_CLIENT_SECRET: undefined,
        AUTH0_PRIVATE_KEY: other.privatePem,
      },
      fastBreaker,
    );
    await expect(refused.watching.poller.poll(refused.signal)).rejects.toMatchObject({
      code: 'dependency_auth_failed',
    });
    expect(logged(h.fake, 'feccft', 'keyClient0001')).toBe(true);
  });
});

describe('the watchers against the fake tenant', () => {
  it('reads keys, certificates and credentials, and reports a signing-key rotation once', async () => {
    const h = await setup();
    const jobs = new Map(h.watching.jobs.map((j) => [j.name, j]));
    const run = (name: string) => jobs.get(name)!.run({ scheduledFor: new Date(), signal: h.signal });
    await run('watch.signing_keys');
    await run('watch.certificates');
    await run('watch.credentials');
    const before = await h.watching.status.read();
    expect(before.items.find((i) => i.label === 'signing keys')?.value).toMatch(/current key/);
    const rotated = await h.fake.keys.rotate();
    expect(rotated.ok).toBe(true);
    await run('watch.signing_keys');
    await run('watch.signing_keys');
    const rotations = h.logs.filter((l) => l.includes('"kind":"signing_key_rotated"'));
    expect(rotations).toHaveLength(1);
  });
});
