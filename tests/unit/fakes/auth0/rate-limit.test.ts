import { ManagementError } from 'auth0';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAuth0, ManualClock } from '@auth0-oncall/fakes/auth0';
import { getJson, managementClient } from './helpers.js';

let fake: FakeAuth0;
let clock: ManualClock;
let token: string;

beforeEach(async () => {
  clock = new ManualClock(Date.parse('2026-03-01T12:00:00.000Z'));
  fake = await FakeAuth0.start({ now: clock.now });
  fake.addClient({ clientId: 'watcher', name: 'oncall-watcher', secret: 'watcher-secret' });
  token = fake.issueToken('watcher');
});

afterEach(async () => {
  await fake.stop();
});

async function burst(path: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) statuses.push((await getJson(fake, path, token)).status);
  return statuses;
}

describe('FakeAuth0 Management API rate limits', () => {
  it('lets the Essentials logs burst of 10 through, then answers 429 with the x-ratelimit headers', async () => {
    expect(await burst('/api/v2/logs', 10)).toEqual(Array(10).fill(200));
    const limited = await getJson(fake, '/api/v2/logs', token);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Global limit has been reached',
    });
    expect(limited.headers.get('x-ratelimit-limit')).toBe('10');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    // Ten tokens at 100 per minute take 6 s to come back; the reset is in Unix seconds.
    expect(limited.headers.get('x-ratelimit-reset')).toBe(
      String(Date.parse('2026-03-01T12:00:06.000Z') / 1000),
    );
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(fake.rateLimitedCount).toBe(1);
  });

  it('counts down x-ratelimit-remaining on successful responses', async () => {
    const first = await getJson(fake, '/api/v2/logs', token);
    const second = await getJson(fake, '/api/v2/logs', token);
    expect([first.headers.get('x-ratelimit-remaining'), second.headers.get('x-ratelimit-remaining')]).toEqual(
      ['9', '8'],
    );
  });

  it('refills the bucket by the injected clock', async () => {
    await burst('/api/v2/logs', 11);
    clock.advance(600);
    expect((await getJson(fake, '/api/v2/logs', token)).status).toBe(200);
    expect((await getJson(fake, '/api/v2/logs', token)).status).toBe(429);
    clock.advance(60_000);
    expect(await burst('/api/v2/logs', 10)).toEqual(Array(10).fill(200));
  });

  it('keeps the logs bucket separate from the rest of /api/v2', async () => {
    await burst('/api/v2/logs', 11);
    expect((await getJson(fake, '/api/v2/clients/watcher', token)).status).toBe(200);
  });

  it('logs api_limit for each 429 and api_limit_warning once the bucket is 80 % used', async () => {
    await burst('/api/v2/logs', 11);
    const types = fake.logs.all().map((log) => (log.value as { type: string }).type);
    expect(types).toEqual(['api_limit_warning', 'api_limit']);
    expect(fake.logs.all().at(-1)?.value).toMatchObject({
      client_id: 'watcher',
      details: {
        limit: { bucket: expect.any(String), global: false, size: 10 },
        request: { method: 'GET', path: '/api/v2/logs' },
      },
    });
  });

  it('applies limits changed at runtime', async () => {
    fake.setRateLimits({ logs: { burst: 2, perMinute: 60 } });
    expect(await burst('/api/v2/logs', 3)).toEqual([200, 200, 429]);
  });

  it('reaches the SDK as a TooManyRequestsError whose raw headers carry the reset time', async () => {
    fake.setRateLimits({ management: { burst: 1, perMinute: 1 } });
    const client = managementClient(fake, { token });
    await client.clients.get('watcher');
    const error = await client.clients.get('watcher').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ManagementError);
    const management = error as ManagementError;
    expect(management.statusCode).toBe(429);
    expect(management.rawResponse?.headers.get('x-ratelimit-reset')).toBe(
      String(Date.parse('2026-03-01T12:01:00.000Z') / 1000),
    );
  });
});
