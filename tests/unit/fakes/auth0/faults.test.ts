import { ManagementError } from 'auth0';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { getJson, managementClient, tokenRequest } from './helpers.js';

let fake: FakeAuth0;
let token: string;

beforeEach(async () => {
  fake = await FakeAuth0.start({ logRateLimits: false });
  fake.addClient({ clientId: 'watcher', name: 'oncall-watcher', secret: 'watcher-secret' });
  token = fake.issueToken('watcher');
});

afterEach(async () => {
  await fake.stop();
});

describe('FakeAuth0 fault injection', () => {
  it('fails the next requests under a path prefix as scripted, then answers normally', async () => {
    fake.failNext('/api/v2/logs', { status: 503, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await getJson(fake, '/api/v2/logs', token)).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(fake.requestsTo('/api/v2/logs').map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('shows that the SDK retries a failed POST by itself unless maxRetries is 0', async () => {
    fake.addClient({ clientId: 'billing', name: 'billing-worker' });
    fake.failNext('/api/v2/clients/billing/rotate-secret', { status: 503, headers: { 'retry-after': '1' } });
    const retrying = managementClient(fake, { token }, { maxRetries: 1 });
    await retrying.clients.rotateSecret('billing');
    expect(fake.requestsTo('/api/v2/clients/billing/rotate-secret').map((r) => r.status)).toEqual([503, 200]);
  });

  it('delays answers by the configured latency', async () => {
    fake.setLatency('/api/v2/logs', 150);
    const started = performance.now();
    expect((await getJson(fake, '/api/v2/logs', token)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('never answers a hung path until it is released', async () => {
    fake.hang('/api/v2/logs');
    const aborted = fetch(`${fake.baseUrl}/api/v2/logs`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(100),
    });
    await expect(aborted).rejects.toThrow(/aborted|timeout/i);
    const pending = getJson(fake, '/api/v2/logs', token);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.requestsTo('/api/v2/logs').at(-1)?.status).toBe(0);
    fake.release('/api/v2/logs');
    expect((await pending).status).toBe(200);
  });

  it('lets stop() end a hung request instead of waiting for it', async () => {
    fake.hang('/oauth/token');
    const pending = tokenRequest(fake, { client_id: 'watcher', client_secret: 'watcher-secret' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await fake.stop();
    await expect(pending).rejects.toThrow();
    await fake.stop();
  });

  it('answers 200 with a body that is not JSON, which the SDK hands back as data instead of throwing', async () => {
    fake.malformedNext('/api/v2/logs');
    const raw = await fetch(`${fake.baseUrl}/api/v2/logs`, { headers: { authorization: `Bearer ${token}` } });
    expect(raw.status).toBe(200);
    const text = await raw.text();
    expect(() => JSON.parse(text) as unknown).toThrow();
    fake.malformedNext('/api/v2/logs');
    const page = await managementClient(fake, { token }).logs.list();
    expect(page.response).toMatchObject({ ok: false, error: { reason: 'non-json', statusCode: 200 } });
  });

  it('answers everything, token endpoint included, with the outage status until restored', async () => {
    fake.outage({ status: 503 });
    expect((await getJson(fake, '/api/v2/logs', token)).status).toBe(503);
    const client = managementClient(fake, { clientId: 'watcher', clientSecret: 'watcher-secret' });
    const error = await client.logs.list().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ManagementError);
    expect((error as ManagementError).message).toContain('token request failed');
    fake.restore();
    await expect(client.logs.list()).resolves.toBeDefined();
  });

  it('records every request with the authorization header cut to its scheme', async () => {
    await getJson(fake, '/api/v2/logs?from=1&take=5', token);
    const [request] = fake.requests;
    expect(request).toMatchObject({
      method: 'GET',
      path: '/api/v2/logs',
      query: { from: '1', take: '5' },
      status: 200,
    });
    expect(request?.headers.authorization).toBe('Bearer');
    expect(typeof request?.at).toBe('number');
  });
});
