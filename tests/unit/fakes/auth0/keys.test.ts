import { X509Certificate } from 'node:crypto';
import { ManagementError, type ManagementClient } from 'auth0';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAuth0, ManualClock } from '@auth0-oncall/fakes/auth0';
import { managementClient } from './helpers.js';

let fake: FakeAuth0;
let clock: ManualClock;
let admin: ManagementClient;

beforeEach(async () => {
  clock = new ManualClock();
  fake = await FakeAuth0.start({ now: clock.now, plan: 'enterprise', logRateLimits: false });
  fake.addClient({ clientId: 'admin', name: 'oncall-admin', secret: 'admin-secret' });
  admin = managementClient(fake, { token: fake.issueToken('admin') });
});

afterEach(async () => {
  await fake.stop();
});

async function jwks(): Promise<JSONWebKeySet> {
  return (await (await fetch(`${fake.baseUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
}

async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    if (error instanceof ManagementError) return error.statusCode ?? 0;
    throw error;
  }
}

describe('FakeAuth0 signing keys', () => {
  it('starts with a current and a next key whose certs are real X.509 for the published JWKs', async () => {
    const keys = await admin.keys.signing.list();
    expect(keys.map((k) => [k.current ?? false, k.next ?? false])).toEqual([
      [true, false],
      [false, true],
    ]);
    const published = await jwks();
    expect(published.keys.map((k) => k.kid)).toEqual(keys.map((k) => k.kid));
    for (const key of keys) {
      const cert = new X509Certificate(key.cert);
      expect(cert.subject).toBe('CN=acme.eu.auth0.com');
      expect(cert.fingerprint).toBe(key.fingerprint);
      const jwk = published.keys.find((k) => k.kid === key.kid);
      expect(cert.publicKey.export({ format: 'jwk' }).n).toBe(jwk?.n);
    }
  });

  it('rotates current to previous and next to current, and keeps previous in the JWKS until it is revoked', async () => {
    const [current, next] = await admin.keys.signing.list();
    const rotated = await admin.keys.signing.rotate();
    const after = await admin.keys.signing.list();
    expect(after.find((k) => k.kid === current?.kid)).toMatchObject({
      previous: true,
      current_until: expect.any(String),
    });
    expect(after.find((k) => k.kid === next?.kid)).toMatchObject({
      current: true,
      current_since: expect.any(String),
    });
    expect(after.find((k) => k.kid === rotated.kid)).toMatchObject({ next: true });
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([next?.kid, rotated.kid, current?.kid]);
    expect(fake.logs.all().at(-1)?.value).toMatchObject({
      type: 'sapi',
      details: { request: { path: '/api/v2/keys/signing/rotate' } },
    });

    expect(await statusOf(admin.keys.signing.revoke(next?.kid ?? ''))).toBe(400);
    await admin.keys.signing.revoke(current?.kid ?? '');
    expect(await admin.keys.signing.get(current?.kid ?? '')).toMatchObject({
      revoked: true,
      revoked_at: expect.any(String),
    });
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([next?.kid, rotated.kid]);
    expect(await statusOf(admin.keys.signing.revoke(current?.kid ?? ''))).toBe(400);
  });

  it('limits signing-key writes to 5 per day', async () => {
    for (let i = 0; i < 5; i += 1) await admin.keys.signing.rotate();
    expect(await statusOf(admin.keys.signing.rotate())).toBe(429);
    clock.advance(86_400_001);
    // A day later the first token has expired too, so the admin needs a fresh one.
    admin = managementClient(fake, { token: fake.issueToken('admin') });
    expect(await statusOf(admin.keys.signing.rotate())).toBe(200);
  });

  it('signs tokens with the current key that verify against the JWKS', async () => {
    const token = await fake.keys.sign({ sub: 'auth0|42', aud: 'https://api.acme.test' });
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await jwks()), {
      issuer: fake.issuer,
    });
    expect(payload.sub).toBe('auth0|42');
    const [current] = await admin.keys.signing.list();
    expect(protectedHeader.kid).toBe(current?.kid);
  });
});
