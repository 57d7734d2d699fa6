import { afterEach, describe, expect, it } from 'vitest';
import { FakeAuth0, ManualClock, type LogEntry } from '@auth0-oncall/fakes/auth0';
import { createLogValidator } from './helpers.js';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const validate = createLogValidator();
const fakes: FakeAuth0[] = [];

async function startFake(seed = 1): Promise<FakeAuth0> {
  const fake = await FakeAuth0.start({ now: new ManualClock(NOW).now, seed, logRateLimits: false });
  fakes.push(fake);
  return fake;
}

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.stop()));
});

function countBy(entries: LogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of entries) counts[entry.type] = (counts[entry.type] ?? 0) + 1;
  return counts;
}

describe('FakeAuth0 traffic generator: background', () => {
  it('produces the same entries for the same seed, and different ones for another seed', async () => {
    const [a, b, c] = await Promise.all([startFake(7), startFake(7), startFake(8)]);
    const run = (fake: FakeAuth0) => fake.traffic.generate({ minutes: 5, perMinute: 20 });
    const first = run(a);
    expect(run(b)).toEqual(first);
    expect(run(c)).not.toEqual(first);
  });

  it('is mostly successful logins with 3-8 % failed logins, plus seccft for registered M2M clients', async () => {
    const fake = await startFake();
    fake.addClient({ clientId: 'billing', name: 'billing-worker' });
    const entries = fake.traffic.generate({ minutes: 60, perMinute: 60 });
    expect(entries).toHaveLength(3600);
    const counts = countBy(entries);
    const failed = (counts.f ?? 0) + (counts.fp ?? 0) + (counts.fu ?? 0);
    const share = failed / (failed + (counts.s ?? 0));
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.08);
    expect(counts.s).toBeGreaterThan(entries.length / 2);
    expect(counts.seccft).toBeGreaterThan(0);
    expect(new Set(entries.filter((e) => e.type === 'seccft').map((e) => e.client_id))).toEqual(
      new Set(['billing']),
    );
    expect(Object.keys(counts)).toEqual(expect.arrayContaining(['sapi', 'mgmt_api_read']));
  });

  it('dates a backlog inside the requested window, oldest first', async () => {
    const fake = await startFake();
    const entries = fake.traffic.generate({ minutes: 30, perMinute: 10, start: NOW - 86_400_000 });
    const dates = entries.map((e) => Date.parse(e.date));
    expect(Math.min(...dates)).toBeGreaterThanOrEqual(NOW - 86_400_000);
    expect(Math.max(...dates)).toBeLessThan(NOW - 86_400_000 + 30 * 60_000);
    expect([...dates].sort((x, y) => x - y)).toEqual(dates);
  });

  it('continues each tick where the previous one ended', async () => {
    const fake = await startFake();
    const first = fake.traffic.tick(60_000, { perMinute: 30 });
    const second = fake.traffic.tick(60_000, { perMinute: 30 });
    expect(first).toHaveLength(30);
    expect(Date.parse(second[0]!.date)).toBeGreaterThanOrEqual(NOW + 60_000);
    expect(Date.parse(first.at(-1)!.date)).toBeLessThan(NOW + 60_000);
  });

  it('appends entries on a real-time timer until stopped', async () => {
    const fake = await FakeAuth0.start({ seed: 3 });
    fakes.push(fake);
    fake.traffic.startBackground({ perSecond: 40, intervalMs: 25 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    fake.traffic.stopBackground();
    const appended = fake.logCount();
    expect(appended).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(fake.logCount()).toBe(appended);
  });
});

describe('FakeAuth0 traffic generator: scenarios', () => {
  it('failedLoginSpike fails the given share of each minute on one connection', async () => {
    const fake = await startFake();
    const entries = fake.traffic.failedLoginSpike({
      ratio: 0.5,
      perMinute: 40,
      minutes: 3,
      connection: 'acme-ldap',
    });
    expect(entries).toHaveLength(120);
    const failed = entries.filter((e) => ['f', 'fp', 'fu'].includes(e.type));
    expect(failed).toHaveLength(60);
    expect(new Set(entries.map((e) => e.connection))).toEqual(new Set(['acme-ldap']));
    expect(
      failed.every(
        (e) => typeof (e.details?.error as { message?: unknown } | undefined)?.message === 'string',
      ),
    ).toBe(true);
  });

  it('m2mSecretBroken is a burst of feccft carrying the client_id', async () => {
    const fake = await startFake();
    fake.addClient({ clientId: 'billing', name: 'billing-worker' });
    const entries = fake.traffic.m2mSecretBroken('billing', { perMinute: 12, minutes: 2 });
    expect(countBy(entries)).toEqual({ feccft: 24 });
    expect(entries[0]).toMatchObject({
      client_id: 'billing',
      client_name: 'billing-worker',
      description: 'Unauthorized',
      details: { client_authentoication_error: expect.any(String) },
    });
    expect(new Set(entries.map((e) => e.ip)).size).toBe(1);
  });

  it('apiLimit emits api_limit_warning each minute and api_limit with limit details', async () => {
    const fake = await startFake();
    const entries = fake.traffic.apiLimit({ minutes: 3 });
    expect(countBy(entries)).toEqual({ api_limit_warning: 3, api_limit: 15 });
    expect(entries.find((e) => e.type === 'api_limit')?.details).toMatchObject({
      limit: { bucket: expect.any(String), global: true, size: 10 },
    });
  });

  it.each(['limit_wc', 'limit_sul', 'limit_mu'] as const)(
    'attackProtection emits %s from the given ip',
    async (code) => {
      const fake = await startFake();
      const entries = fake.traffic.attackProtection({ ip: '198.51.100.23', code, count: 4 });
      expect(countBy(entries)).toEqual({ [code]: 4 });
      expect(new Set(entries.map((e) => e.ip))).toEqual(new Set(['198.51.100.23']));
      expect(fake.ipBlocks.isBlocked('198.51.100.23')).toBe(code === 'limit_mu');
    },
  );

  it('actionsFailures emits actions_execution_failed with the error class', async () => {
    const fake = await startFake();
    const entries = fake.traffic.actionsFailures({ perMinute: 5, minutes: 2, errorClass: 'action_timeout' });
    expect(countBy(entries)).toEqual({ actions_execution_failed: 10 });
    expect(entries[0]?.details).toMatchObject({
      error_class: 'action_timeout',
      action_name: expect.any(String),
      trigger_id: 'post-login',
    });
  });

  it('signingKeyRotatedThenFailures really rotates the key, logs sapi, then feacft', async () => {
    const fake = await startFake();
    const before = await fake.keys.list();
    const entries = await fake.traffic.signingKeyRotatedThenFailures({ minutes: 2, perMinute: 10 });
    expect(entries[0]).toMatchObject({
      type: 'sapi',
      details: { request: { path: '/api/v2/keys/signing/rotate' } },
    });
    expect(countBy(entries.slice(1))).toEqual({ feacft: 20 });
    const after = await fake.keys.list();
    expect(after.find((k) => k.current)?.kid).toBe(before.find((k) => k.next)?.kid);
  });

  it('shapes every generated entry per the tenant-log schema of its type', async () => {
    const fake = await startFake();
    fake.addClient({ clientId: 'billing', name: 'billing-worker' });
    const entries = [
      ...fake.traffic.generate({ minutes: 20, perMinute: 60 }),
      ...fake.traffic.failedLoginSpike({ ratio: 0.4, perMinute: 20, minutes: 2 }),
      ...fake.traffic.m2mSecretBroken('billing', { perMinute: 5, minutes: 1 }),
      ...fake.traffic.apiLimit({ minutes: 1 }),
      ...(['limit_wc', 'limit_sul', 'limit_mu'] as const).flatMap((code) =>
        fake.traffic.attackProtection({ ip: '203.0.113.9', code, count: 2 }),
      ),
      ...fake.traffic.actionsFailures({ perMinute: 3, minutes: 1, errorClass: 'platform_error' }),
      ...(await fake.traffic.signingKeyRotatedThenFailures({ minutes: 1, perMinute: 3 })),
    ];
    expect(entries.flatMap(validate)).toEqual([]);
  });
});
