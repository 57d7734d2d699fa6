/** Opaque Management API access tokens issued by /oauth/token and accepted as Bearer on /api/v2. */
import { randomBytes } from 'node:crypto';
import type { Now } from './clock.js';

export interface Caller {
  clientId: string;
  clientName: string;
  scopes: string[];
  /** The token's id, as `details.access_token_jti` in `seccft`. */
  jti: string;
}

interface IssuedToken extends Caller {
  expiresAt: number;
}

export type TokenLookup = { ok: true; caller: Caller } | { ok: false; message: string };

export class AccessTokens {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly now: Now) {}

  issue(caller: Omit<Caller, 'jti'>, lifetimeSeconds: number): { token: string; jti: string } {
    const jti = randomBytes(12).toString('hex');
    // Opaque on purpose: the app must never depend on decoding a Management API token.
    const token = `fake_at_${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { ...caller, jti, expiresAt: this.now() + lifetimeSeconds * 1000 });
    return { token, jti };
  }

  lookup(token: string | undefined): TokenLookup {
    if (token === undefined) return { ok: false, message: 'Missing authentication' };
    const issued = this.tokens.get(token);
    if (issued === undefined) return { ok: false, message: 'Invalid token' };
    if (issued.expiresAt <= this.now())
      return { ok: false, message: 'Expired token received for JSON Web Token validation' };
    const { expiresAt: _expiresAt, ...caller } = issued;
    return { ok: true, caller };
  }

  /** Makes every token of a client fail from now on (e.g. the client was deleted). */
  revokeAllFor(clientId: string): void {
    for (const [token, issued] of this.tokens) if (issued.clientId === clientId) this.tokens.delete(token);
  }
}
