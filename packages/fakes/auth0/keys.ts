/** Tenant signing keys: current, next, previous (until revoked), rotation limits and JWKS. */
import { createHash, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { exportJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { Result } from './clients.js';
import type { Now } from './clock.js';
import { selfSignedCertificate } from './x509.js';

const generateRsa = promisify(generateKeyPair);
const WRITES_PER_DAY = 5;
const DAY_MS = 86_400_000;
const CERT_YEARS = 10;

interface SigningKeyRecord {
  kid: string;
  cert: string;
  fingerprint: string;
  thumbprint: string;
  jwk: JWK;
  privateKey: KeyObject;
  current: boolean;
  next: boolean;
  previous: boolean;
  current_since?: string;
  current_until?: string;
  revoked_at?: string;
}

/** As `GET /api/v2/keys/signing` returns a key: flags appear only when true. */
export interface SigningKeyView {
  kid: string;
  cert: string;
  fingerprint: string;
  thumbprint: string;
  current?: true;
  next?: true;
  previous?: true;
  current_since?: string;
  current_until?: string;
  revoked?: true;
  revoked_at?: string;
}

export interface SigningKeysOptions {
  now: Now;
  domain: string;
  bits: number;
}

function view(key: SigningKeyRecord): SigningKeyView {
  const out: SigningKeyView = {
    kid: key.kid,
    cert: key.cert,
    fingerprint: key.fingerprint,
    thumbprint: key.thumbprint,
  };
  if (key.current) out.current = true;
  if (key.next) out.next = true;
  if (key.previous) out.previous = true;
  if (key.current_since !== undefined) out.current_since = key.current_since;
  if (key.current_until !== undefined) out.current_until = key.current_until;
  if (key.revoked_at !== undefined) {
    out.revoked = true;
    out.revoked_at = key.revoked_at;
  }
  return out;
}

export class SigningKeys {
  private readonly keys: SigningKeyRecord[] = [];
  private readonly writes: number[] = [];
  private ready: Promise<void> | undefined;

  constructor(private readonly options: SigningKeysOptions) {}

  async list(): Promise<SigningKeyView[]> {
    await this.init();
    return this.keys.map(view);
  }

  async get(kid: string): Promise<SigningKeyView | undefined> {
    await this.init();
    const key = this.keys.find((candidate) => candidate.kid === kid);
    return key === undefined ? undefined : view(key);
  }

  /** current → previous, next → current, a new next (limited to 5 writes a day). */
  async rotate(): Promise<Result<{ cert: string; kid: string }>> {
    await this.init();
    if (!this.takeWrite())
      return {
        ok: false,
        status: 429,
        message: `Signing keys can be changed at most ${WRITES_PER_DAY} times per day`,
      };
    // Generated before the flags move, so concurrent rotations each see a consistent key set.
    const fresh = await this.generate({});
    const at = new Date(this.options.now()).toISOString();
    for (const key of this.keys) key.previous = false;
    const current = this.keys.find((key) => key.current);
    const next = this.keys.find((key) => key.next);
    if (current !== undefined) Object.assign(current, { current: false, previous: true, current_until: at });
    if (next !== undefined) Object.assign(next, { next: false, current: true, current_since: at });
    fresh.next = true;
    this.keys.push(fresh);
    return { ok: true, value: { cert: fresh.cert, kid: fresh.kid } };
  }

  /** Only the previous key can be revoked, and only once: it then leaves the JWKS for good. */
  async revoke(kid: string): Promise<Result<{ cert: string; kid: string }>> {
    await this.init();
    const key = this.keys.find((candidate) => candidate.kid === kid);
    if (key === undefined) return { ok: false, status: 404, message: 'Signing key not found' };
    if (!key.previous)
      return { ok: false, status: 400, message: 'Only the previous signing key can be revoked' };
    if (key.revoked_at !== undefined)
      return { ok: false, status: 400, message: 'The signing key is already revoked' };
    if (!this.takeWrite())
      return {
        ok: false,
        status: 429,
        message: `Signing keys can be changed at most ${WRITES_PER_DAY} times per day`,
      };
    key.revoked_at = new Date(this.options.now()).toISOString();
    return { ok: true, value: { cert: key.cert, kid: key.kid } };
  }

  /** `/.well-known/jwks.json`: current, next, and previous until it is revoked. */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.init();
    const order = (key: SigningKeyRecord) => (key.current ? 0 : key.next ? 1 : 2);
    const published = this.keys.filter(
      (key) => key.current || key.next || (key.previous && key.revoked_at === undefined),
    );
    return { keys: published.sort((a, b) => order(a) - order(b)).map((key) => key.jwk) };
  }

  /** Signs a JWT the way the tenant would (RS256, current key), for tests of token consumers. */
  async sign(claims: JWTPayload, opts: { kid?: string } = {}): Promise<string> {
    await this.init();
    const key = this.keys.find((candidate) =>
      opts.kid === undefined ? candidate.current : candidate.kid === opts.kid,
    );
    if (key === undefined) throw new Error(`fake Auth0: no signing key ${opts.kid ?? '(current)'}`);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
      .setIssuer(`https://${this.options.domain}/`)
      .setIssuedAt(Math.floor(this.options.now() / 1000))
      .sign(key.privateKey);
  }

  private init(): Promise<void> {
    // Lazily, because RSA generation costs ~100 ms and most tests never look at signing keys.
    this.ready ??= (async () => {
      const since = new Date(this.options.now()).toISOString();
      this.keys.push(
        await this.generate({ current: true, current_since: since }),
        await this.generate({ next: true }),
      );
    })();
    return this.ready;
  }

  private takeWrite(): boolean {
    const at = this.options.now();
    const recent = this.writes.filter((time) => time > at - DAY_MS);
    this.writes.splice(0, this.writes.length, ...recent);
    if (recent.length >= WRITES_PER_DAY) return false;
    this.writes.push(at);
    return true;
  }

  private async generate(flags: Partial<SigningKeyRecord>): Promise<SigningKeyRecord> {
    const { publicKey, privateKey } = await generateRsa('rsa', { modulusLength: this.options.bits });
    const notBefore = new Date(this.options.now());
    const notAfter = new Date(notBefore);
    notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CERT_YEARS);
    const { pem, der } = selfSignedCertificate({
      commonName: this.options.domain,
      serial: randomBytes(16),
      notBefore,
      notAfter,
      publicKey,
      privateKey,
    });
    const sha1 = createHash('sha1').update(der).digest();
    const kid = randomBytes(16).toString('base64url');
    const jwk = {
      ...(await exportJWK(publicKey)),
      kid,
      use: 'sig',
      alg: 'RS256',
      x5t: sha1.toString('base64url'),
      x5c: [der.toString('base64')],
    };
    return {
      kid,
      cert: pem,
      fingerprint: sha1
        .toString('hex')
        .toUpperCase()
        .replace(/(..)(?!$)/g, '$1:'),
      thumbprint: sha1.toString('hex'),
      jwk,
      privateKey,
      current: false,
      next: false,
      previous: false,
      ...flags,
    };
  }
}
