import { ManagementError } from 'auth0';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAuth0, ManualClock, type ClientRecord } from '@auth0-oncall/fakes/auth0';
import { managementClient, tokenRequest } from './helpers.js';

let fake: FakeAuth0;

afterEach(async () => {
  await fake.stop();
});

async function failure(call: Promise<unknown>): Promise<ManagementError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ManagementError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('FakeAuth0 /oauth/token with a client secret', () => {
  let worker: ClientRecord;

  beforeEach(async () => {
    fake = await FakeAuth0.start();
    worker = fake.addClient({ clientId: 'oncallWatcher', name: 'oncall-watcher', secret: 's3cret-value' });
  });

  it('gives the real ManagementClient a token it can use, sent as a form POST', async () => {
    const client = managementClient(fake, { clientId: worker.clientId, clientSecret: 's3cret-value' });
    const found = await client.clients.get(worker.clientId);
    expect(found.name).toBe('oncall-watcher');
    const [token] = fake.requestsTo('/oauth/token');
    expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(token?.body).toEqual({
      grant_type: 'client_credentials',
      client_id: 'oncallWatcher',
      audience: 'https://acme.eu.auth0.com/api/v2/',
      client_secret: 's3cret-value',
    });
    const [api] = fake.requestsTo('/api/v2/clients');
    expect(api?.headers.authorization).toBe('Bearer');
    expect(api?.status).toBe(200);
  });

  it('logs a seccft entry for each issued token', async () => {
    const reply = await tokenRequest(fake, { client_id: worker.clientId, client_secret: 's3cret-value' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 86400,
      scope: expect.stringContaining('read:logs'),
    });
    expect(reply.body.access_token).toEqual(expect.any(String));
    const [entry] = fake.logs.all().map((log) => log.value);
    expect(entry).toMatchObject({
      type: 'seccft',
      client_id: 'oncallWatcher',
      client_name: 'oncall-watcher',
      audience: 'https://acme.eu.auth0.com/api/v2/',
    });
  });

  it('rejects a wrong secret with 401 access_denied, which the SDK throws as "token request failed"', async () => {
    const client = managementClient(fake, { clientId: worker.clientId, clientSecret: 'wrong' });
    const error = await failure(client.logs.list());
    expect(error.message).toContain('token request failed');
    expect(error.statusCode).toBe(401);
    expect(error.body).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
    expect(fake.requestsTo('/api/v2')).toHaveLength(0);
    const entry = fake.logs.all().at(-1)?.value;
    expect(entry).toMatchObject({
      type: 'feccft',
      description: 'Unauthorized',
      client_id: 'oncallWatcher',
      details: { client_authentoication_error: 'Invalid client_secret' },
    });
  });

  it('accepts a JSON body and client_secret_basic as well as the form the SDK sends', async () => {
    const viaJson = await fetch(`${fake.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: worker.clientId,
        client_secret: 's3cret-value',
        audience: 'https://acme.eu.auth0.com/api/v2/',
      }),
    });
    expect(viaJson.status).toBe(200);
    const basic = Buffer.from(`${worker.clientId}:s3cret-value`).toString('base64');
    const viaBasic = await fetch(`${fake.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        audience: 'https://acme.eu.auth0.com/api/v2/',
      }),
    });
    expect(viaBasic.status).toBe(200);
    expect(fake.requestsTo('/oauth/token').at(-1)?.headers.authorization).toBe('Basic');
  });

  it('logs feccft with the client_id as sent even when no such client exists', async () => {
    const reply = await tokenRequest(fake, { client_id: 'no-such-client', client_secret: 'x' });
    expect(reply.status).toBe(401);
    expect(fake.logs.all().at(-1)?.value).toMatchObject({
      type: 'feccft',
      client_id: 'no-such-client',
      client_name: '',
    });
  });

  it('refuses an audience other than https://<domain>/api/v2/ with 403', async () => {
    const reply = await tokenRequest(fake, {
      client_id: worker.clientId,
      client_secret: 's3cret-value',
      audience: 'https://acme.eu.auth0.com/api/v2',
    });
    expect(reply.status).toBe(403);
    expect(reply.body).toMatchObject({ error: 'access_denied' });
  });

  it('refuses a client without the client_credentials grant', async () => {
    fake.addClient({ clientId: 'webApp', name: 'web', appType: 'regular_web', secret: 'web-secret' });
    const reply = await tokenRequest(fake, { client_id: 'webApp', client_secret: 'web-secret' });
    expect(reply.status).toBe(403);
    expect(reply.body).toMatchObject({ error: 'unauthorized_client' });
  });

  it('answers 429 "Client quota exceeded" with Retry-After and a quota header while the quota is exhausted', async () => {
    fake.exhaustClientQuota(worker.clientId, { retryAfterSeconds: 120 });
    const reply = await tokenRequest(fake, { client_id: worker.clientId, client_secret: 's3cret-value' });
    expect(reply.status).toBe(429);
    expect(reply.body).toEqual({ error: 'too_many_requests', error_description: 'Client quota exceeded' });
    expect(reply.headers.get('retry-after')).toBe('120');
    expect(reply.headers.get('auth0-client-quota-limit')).toBe('b=per_hour;q=100;r=0;t=120');
    expect(fake.logs.all().at(-1)?.value).toMatchObject({
      type: 'feccft',
      description: 'Client quota exceeded',
    });
    fake.restoreClientQuota(worker.clientId);
    expect(
      (await tokenRequest(fake, { client_id: worker.clientId, client_secret: 's3cret-value' })).status,
    ).toBe(200);
  });

  it('rejects Management API calls without a valid Bearer token', async () => {
    const anonymous = await fetch(`${fake.baseUrl}/api/v2/logs`);
    expect(anonymous.status).toBe(401);
    const forged = await fetch(`${fake.baseUrl}/api/v2/logs`, {
      headers: { authorization: 'Bearer forged' },
    });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it('answers 403 insufficient_scope when the token lacks the route scope', async () => {
    fake.addClient({ clientId: 'narrow', name: 'narrow', secret: 'narrow-secret', scopes: ['read:clients'] });
    const client = managementClient(fake, { clientId: 'narrow', clientSecret: 'narrow-secret' });
    const error = await failure(client.logs.list());
    expect(error.statusCode).toBe(403);
    expect(error.body).toMatchObject({ errorCode: 'insufficient_scope' });
  });
});

describe('FakeAuth0 /oauth/token secret propagation', () => {
  it('accepts both secrets during the propagation window after a rotation, then only the new one', async () => {
    const clock = new ManualClock();
    fake = await FakeAuth0.start({ now: clock.now, secretPropagationMs: 30_000 });
    fake.addClient({ clientId: 'billing', name: 'billing-worker', secret: 'old-secret' });
    fake.addClient({ clientId: 'rotator', name: 'rotator', secret: 'rotator-secret' });
    const rotated = await managementClient(fake, {
      clientId: 'rotator',
      clientSecret: 'rotator-secret',
    }).clients.rotateSecret('billing');
    const newSecret = rotated.client_secret ?? '';
    expect(newSecret).not.toBe('old-secret');
    clock.advance(29_000);
    expect((await tokenRequest(fake, { client_id: 'billing', client_secret: 'old-secret' })).status).toBe(
      200,
    );
    expect((await tokenRequest(fake, { client_id: 'billing', client_secret: newSecret })).status).toBe(200);
    clock.advance(2_000);
    expect((await tokenRequest(fake, { client_id: 'billing', client_secret: 'old-secret' })).status).toBe(
      401,
    );
    expect((await tokenRequest(fake, { client_id: 'billing', client_secret: newSecret })).status).toBe(200);
  });
});
