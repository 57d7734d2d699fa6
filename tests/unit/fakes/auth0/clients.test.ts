import { ManagementError, type ManagementClient } from 'auth0';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAuth0, ManualClock } from '@auth0-oncall/fakes/auth0';
import { managementClient, rsaKeyPair, tokenRequest, type RsaKeyPair } from './helpers.js';

let fake: FakeAuth0;
let clock: ManualClock;
let admin: ManagementClient;
let keyA: RsaKeyPair;
let keyB: RsaKeyPair;
let keyC: RsaKeyPair;

beforeAll(() => {
  [keyA, keyB, keyC] = [rsaKeyPair(), rsaKeyPair(), rsaKeyPair()];
});

beforeEach(async () => {
  clock = new ManualClock();
  fake = await FakeAuth0.start({ now: clock.now, plan: 'enterprise', logRateLimits: false });
  fake.addClient({ clientId: 'rotator', name: 'oncall-rotator', secret: 'rotator-secret' });
  admin = managementClient(fake, { token: fake.issueToken('rotator') });
});

afterEach(async () => {
  await fake.stop();
});

async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    if (error instanceof ManagementError) return error.statusCode ?? 0;
    throw error;
  }
}

function logTypes(): string[] {
  return fake.logs.all().map((log) => (log.value as { type: string }).type);
}

describe('FakeAuth0 clients', () => {
  it('rotates a secret, returns the whole client with it, and logs sapi tagged with the caller', async () => {
    const billing = fake.addClient({ clientId: 'billing', name: 'billing-worker', secret: 'old' });
    const rotated = await admin.clients.rotateSecret('billing');
    expect(rotated).toMatchObject({
      client_id: 'billing',
      name: 'billing-worker',
      app_type: 'non_interactive',
      token_endpoint_auth_method: 'client_secret_post',
    });
    expect(rotated.client_secret).toBe(billing.secret);
    expect(rotated.client_secret).toHaveLength(64);
    expect(fake.logs.all().at(-1)?.value).toMatchObject({
      type: 'sapi',
      client_id: 'rotator',
      client_name: 'oncall-rotator',
      details: {
        request: { method: 'post', path: '/api/v2/clients/billing/rotate-secret' },
        response: { statusCode: 200, body: { client_secret: '*****' } },
      },
    });
  });

  it('sets a custom secret with PATCH, and the previous one stops working after the propagation window', async () => {
    fake.addClient({ clientId: 'billing', name: 'billing-worker', secret: 'old' });
    fake.setSecretPropagation(1_000);
    await admin.clients.update('billing', { client_secret: 'next-secret-value' });
    expect(
      (await tokenRequest(fake, { client_id: 'billing', client_secret: 'next-secret-value' })).status,
    ).toBe(200);
    expect((await tokenRequest(fake, { client_id: 'billing', client_secret: 'old' })).status).toBe(200);
    clock.advance(1_001);
    expect((await tokenRequest(fake, { client_id: 'billing', client_secret: 'old' })).status).toBe(401);
    expect(logTypes()).toContain('sapi');
  });

  it('lists clients filtered by app_type with the requested fields, logging the secret read', async () => {
    fake.addClient({ clientId: 'web', name: 'Acme Web', appType: 'regular_web' });
    const page = await admin.clients.list({ app_type: 'non_interactive', fields: 'client_id,name' });
    expect(page.data).toEqual([{ name: 'oncall-rotator', client_id: 'rotator' }]);
    const full = await admin.clients.get('web');
    expect(full.client_secret).toEqual(expect.any(String));
    expect(logTypes().at(-1)).toBe('mgmt_api_read');
    expect(await statusOf(admin.clients.get('nope'))).toBe(404);
  });
});

describe('FakeAuth0 client credentials (private_key_jwt)', () => {
  beforeEach(() => {
    fake.addClient({
      clientId: 'jwtWorker',
      name: 'jwt-worker',
      credentials: [{ id: 'cred_A', name: 'A', pem: keyA.publicPem }],
    });
  });

  it('allows at most 2 credentials per client', async () => {
    const created = await admin.clients.credentials.create('jwtWorker', {
      credential_type: 'public_key',
      name: 'B',
      pem: keyB.publicPem,
      alg: 'RS256',
    });
    expect(created).toMatchObject({
      name: 'B',
      credential_type: 'public_key',
      alg: 'RS256',
      kid: expect.any(String),
    });
    expect(created).not.toHaveProperty('pem');
    const third = admin.clients.credentials.create('jwtWorker', {
      credential_type: 'public_key',
      name: 'C',
      pem: keyC.publicPem,
    });
    expect(await statusOf(third)).toBe(400);
    expect(await admin.clients.credentials.list('jwtWorker')).toHaveLength(2);
  });

  it('only attaches credentials that exist, at most 2', async () => {
    const attach = (ids: string[]) =>
      admin.clients.update('jwtWorker', {
        client_authentication_methods: { private_key_jwt: { credentials: ids.map((id) => ({ id })) } },
      });
    expect(await statusOf(attach(['cred_A', 'cred_missing']))).toBe(400);
    const b = await admin.clients.credentials.create('jwtWorker', {
      credential_type: 'public_key',
      pem: keyB.publicPem,
    });
    expect(await statusOf(attach(['cred_A', b.id ?? '', 'cred_A2']))).toBe(400);
    const updated = await attach(['cred_A', b.id ?? '']);
    expect(updated.client_authentication_methods).toEqual({
      private_key_jwt: { credentials: [{ id: 'cred_A' }, { id: b.id }] },
    });
    expect(updated).not.toHaveProperty('token_endpoint_auth_method');
  });

  it('changes only expires_at on PATCH and deletes a credential only once it is detached', async () => {
    const rename = await fetch(`${fake.baseUrl}/api/v2/clients/jwtWorker/credentials/cred_A`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fake.issueToken('rotator')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'renamed' }),
    });
    expect(rename.status).toBe(400);
    const expiry = '2030-01-01T00:00:00.000Z';
    expect(
      await admin.clients.credentials.update('jwtWorker', 'cred_A', { expires_at: expiry }),
    ).toMatchObject({ expires_at: expiry });
    expect(await statusOf(admin.clients.credentials.delete('jwtWorker', 'cred_A'))).toBe(400);
    await admin.clients.update('jwtWorker', {
      client_authentication_methods: { private_key_jwt: { credentials: [] } },
    });
    await admin.clients.credentials.delete('jwtWorker', 'cred_A');
    expect(await admin.clients.credentials.list('jwtWorker')).toEqual([]);
  });

  it('supports the zero-downtime key rotation: add B, attach [A,B], switch, attach [B], delete A', async () => {
    const b = await admin.clients.credentials.create('jwtWorker', {
      credential_type: 'public_key',
      name: 'B',
      pem: keyB.publicPem,
    });
    const withKey = (pem: string) =>
      managementClient(fake, { clientId: 'jwtWorker', clientAssertionSigningKey: pem });
    expect(await statusOf(withKey(keyB.privatePem).clients.get('jwtWorker'))).toBe(401);
    await admin.clients.update('jwtWorker', {
      client_authentication_methods: {
        private_key_jwt: { credentials: [{ id: 'cred_A' }, { id: b.id ?? '' }] },
      },
    });
    expect(await statusOf(withKey(keyA.privatePem).clients.get('jwtWorker'))).toBe(200);
    expect(await statusOf(withKey(keyB.privatePem).clients.get('jwtWorker'))).toBe(200);
    await admin.clients.update('jwtWorker', {
      client_authentication_methods: { private_key_jwt: { credentials: [{ id: b.id ?? '' }] } },
    });
    await admin.clients.credentials.delete('jwtWorker', 'cred_A');
    expect(await statusOf(withKey(keyA.privatePem).clients.get('jwtWorker'))).toBe(401);
    expect(await statusOf(withKey(keyB.privatePem).clients.get('jwtWorker'))).toBe(200);
  });
});
