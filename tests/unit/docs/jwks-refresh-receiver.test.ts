import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { signHook } from '../../../src/core/jwks-hooks/signature.js';

/**
 * docs/jwks-refresh-receiver.mjs as a reader would run it: a real Node process with jose,
 * pointed at the fake tenant's JWKS. It must reload the keys for a signed, fresh request and
 * refuse anything else — a replay older than its window above all.
 */
const EXAMPLE = fileURLToPath(new URL('../../../docs/jwks-refresh-receiver.mjs', import.meta.url));
const SECRET = 'receiver-example-secret-0123456789abcdef01';
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const startExample = async (jwksUrl: string): Promise<string> => {
  const child: ChildProcess = spawn(process.execPath, [EXAMPLE], {
    env: { PATH: process.env.PATH, JWKS_URL: jwksUrl, JWKS_REFRESH_SECRET: SECRET, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else {
          child.once('exit', () => {
            resolve();
          });
          child.kill('SIGTERM');
        }
      }),
  );
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (\d+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => {
      reject(new Error(`the example exited (${String(code)}): ${err}`));
    });
  });
  return `http://127.0.0.1:${port}/`;
};

const post = (url: string, body: string, signature?: string) =>
  fetch(url, {
    method: 'POST',
    body,
    headers: signature === undefined ? {} : { 'x-auth0-oncall-signature': signature },
  }).then((r) => r.status);

describe('the receiver example in docs/', () => {
  it('reloads the JWKS for a signed request, and refuses a replay, a wrong secret and no signature', async () => {
    const auth0 = await FakeAuth0.start({ logRateLimits: false });
    cleanup.push(() => auth0.stop());
    const url = await startExample(`${auth0.baseUrl}/.well-known/jwks.json`);
    const body = JSON.stringify({ id: 'rotated:kid-1', event: 'signing_key_rotated', kid: 'kid-1' });
    const jwksFetches = () => auth0.requestsTo('/.well-known/jwks.json', 'GET').length;

    expect(await post(url, body, signHook(SECRET, body, new Date()))).toBe(204);
    expect(jwksFetches()).toBe(1);

    // Signed six minutes ago: outside the five-minute replay window.
    const stale = signHook(SECRET, body, new Date(Date.now() - 6 * 60_000));
    expect(await post(url, body, stale)).toBe(401);
    // Six minutes ahead (a clock far off, or a forged future timestamp) is refused too.
    expect(await post(url, body, signHook(SECRET, body, new Date(Date.now() + 6 * 60_000)))).toBe(401);
    // Four minutes ago is inside the window.
    expect(await post(url, body, signHook(SECRET, body, new Date(Date.now() - 4 * 60_000)))).toBe(204);
    expect(await post(url, body, signHook('another-secret-0123456789abcdef0123', body, new Date()))).toBe(
      401,
    );
    expect(await post(url, `${body} `, signHook(SECRET, body, new Date()))).toBe(401);
    expect(await post(url, body)).toBe(401);
    expect(jwksFetches()).toBe(2);
  });

  it('does not acknowledge when the JWKS cannot be reloaded, so the sender retries', async () => {
    const auth0 = await FakeAuth0.start({ logRateLimits: false });
    const jwksUrl = `${auth0.baseUrl}/.well-known/jwks.json`;
    await auth0.stop();
    const url = await startExample(jwksUrl);
    const body = '{"id":"rotated:kid-1"}';
    expect(await post(url, body, signHook(SECRET, body, new Date()))).toBe(503);
  });
});
