import { randomUUID } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ASSERTION_TYPE, FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { managementClient, rsaKeyPair, tokenRequest, type RsaKeyPair } from './helpers.js';

let fake: FakeAuth0;
let keys: RsaKeyPair;
let otherKeys: RsaKeyPair;

beforeAll(() => {
  keys = rsaKeyPair();
  otherKeys = rsaKeyPair();
});

afterEach(async () => {
  await fake.stop();
});

describe('FakeAuth0 /oauth/token with private_key_jwt', () => {
  const clientId = 'jwtWorker';
  const audience = 'https://acme.eu.auth0.com/';

  beforeEach(async () => {
    fake = await FakeAuth0.start();
    fake.addClient({
      clientId,
      name: 'jwt-worker',
      credentials: [{ id: 'cred_A', name: 'key A', pem: keys.publicPem, alg: 'RS256' }],
    });
  });

  async function assertion(
    opts: { aud?: string; exp?: number; jti?: string; alg?: 'RS256' | 'RS384' | 'PS256'; key?: string } = {},
  ): Promise<string> {
    const alg = opts.alg ?? 'RS256';
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(opts.aud ?? audience)
      .setIssuedAt(now)
      .setExpirationTime(opts.exp ?? now + 180)
      .setJti(opts.jti ?? randomUUID())
      .sign(await importPKCS8(opts.key ?? keys.privatePem, alg));
  }

  function present(jwt: string) {
    return tokenRequest(fake, {
      client_id: clientId,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: jwt,
    });
  }

  it('gives the real ManagementClient a token for a PKCS#8 key and lists logs with it', async () => {
    fake.appendLogs([{ type: 's' }]);
    const client = managementClient(fake, { clientId, clientAssertionSigningKey: keys.privatePem });
    const page = await client.logs.list();
    expect(page.response).toMatchObject({
      logs: expect.arrayContaining([expect.objectContaining({ type: 's' })]),
    });
    const [token] = fake.requestsTo('/oauth/token');
    expect(token?.body).toMatchObject({ client_assertion_type: ASSERTION_TYPE, client_id: clientId });
    expect(token?.body).not.toHaveProperty('client_secret');
  });

  it('accepts a well-formed assertion once and rejects the replayed jti', async () => {
    const jwt = await assertion();
    expect((await present(jwt)).status).toBe(200);
    const replay = await present(jwt);
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({
      error: 'invalid_client',
      error_description: expect.stringContaining('jti'),
    });
    expect(fake.logs.all().at(-1)?.value).toMatchObject({
      type: 'feccft',
      details: { client_authentoication_error: expect.stringContaining('jti') },
    });
  });

  it.each([
    ['an aud without the trailing slash', { aud: 'https://acme.eu.auth0.com' }, 'aud'],
    ['an expired assertion', { exp: Math.floor(Date.now() / 1000) - 10 }, 'exp'],
    ['an exp more than 5 minutes ahead', { exp: Math.floor(Date.now() / 1000) + 600 }, 'exp'],
    ['an alg that does not match the credential', { alg: 'RS384' as const }, 'RS384'],
  ])('rejects %s with 401 invalid_client', async (_name, opts, mention) => {
    const reply = await present(await assertion(opts));
    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({
      error: 'invalid_client',
      error_description: expect.stringContaining(mention),
    });
  });

  it('rejects an assertion signed by a key the client does not hold', async () => {
    const reply = await present(await assertion({ key: otherKeys.privatePem }));
    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({ error_description: expect.stringContaining('signature') });
  });

  it('rejects an HS256 assertion and one longer than 2048 bytes', async () => {
    const hs = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(audience)
      .setExpirationTime('2m')
      .setJti('x')
      .sign(new TextEncoder().encode('k'.repeat(32)));
    expect((await present(hs)).body).toMatchObject({ error_description: expect.stringContaining('HS256') });
    const big = await new SignJWT({ pad: 'x'.repeat(2000) })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(audience)
      .setExpirationTime('2m')
      .setJti('y')
      .sign(await importPKCS8(keys.privatePem, 'RS256'));
    expect((await present(big)).body).toMatchObject({ error_description: expect.stringContaining('2048') });
  });

  it('rejects a credential whose expires_at has passed, and one that is not attached', async () => {
    fake.addClient({
      clientId: 'expired',
      name: 'expired',
      credentials: [{ pem: keys.publicPem, expiresAt: Date.now() - 1000 }],
    });
    fake.addClient({
      clientId: 'detached',
      name: 'detached',
      credentials: [{ pem: keys.publicPem, active: false }],
    });
    for (const id of ['expired', 'detached']) {
      const jwt = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(id)
        .setSubject(id)
        .setAudience(audience)
        .setExpirationTime('2m')
        .setJti(randomUUID())
        .sign(await importPKCS8(keys.privatePem, 'RS256'));
      const reply = await tokenRequest(fake, {
        client_id: id,
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: jwt,
      });
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({ error_description: expect.stringContaining('no active') });
    }
  });
});
