import type { ManagementClient } from 'auth0';
import { resolveClient, type ClientSource } from './management-client.js';
import { z } from 'zod';
import type { ClientCredentialProof, ExchangeResult, TenantAdmin } from '../core/tenant/ports.js';
import { isAppError } from '../errors.js';
import type { CallPolicy } from './auth0-management-tenant.js';
import { requestToken } from './token-request.js';

export interface TenantAdminOptions {
  readonly client: ClientSource;
  readonly policy: CallPolicy;
  readonly domain: string;
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
}

const tokenError = z
  .object({ error: z.string().optional(), error_description: z.string().optional() })
  .loose();

/**
 * Auth0 writes for runbook actions, and real token exchanges to verify a client's credential.
 * Writes run once (never retried blindly); a token exchange's 4xx is an answer about the client's
 * credential, not a failure of Auth0, so it is returned, not thrown (it must not trip the breaker).
 */
export class Auth0TenantAdmin implements TenantAdmin {
  constructor(private readonly o: TenantAdminOptions) {}

  private c(): Promise<ManagementClient> {
    return resolveClient(this.o.client);
  }

  exchange(clientId: string, proof: ClientCredentialProof, signal?: AbortSignal): Promise<ExchangeResult> {
    return this.o.policy.execute(
      async (abortSignal) => {
        const res = await requestToken(this.o, clientId, proof, abortSignal);
        // The access token is read by nobody: only whether Auth0 issued one matters.
        const parsed = tokenError.safeParse(await res.json().catch(() => ({})));
        const err = parsed.success ? parsed.data : {};
        if (res.ok) return { ok: true };
        if (res.status >= 500) throw new Error(`token endpoint answered HTTP ${res.status}`);
        if (res.status === 403) {
          // Authentication passed; the client is just not granted the Management API audience.
          return {
            ok: true,
            note: `Auth0 accepted the credential (the client is not authorized for the Management API, which is expected)`,
          };
        }
        return { ok: false, status: res.status, error: (err.error ?? 'refused').slice(0, 80) };
      },
      { idempotent: true, operation: 'oauth.token.verify', ...(signal ? { signal } : {}) },
    );
  }

  async setClientSecret(clientId: string, secret: string, signal?: AbortSignal): Promise<void> {
    await this.write('clients.update(client_secret)', signal, async (abortSignal) =>
      (await this.c()).clients.update(clientId, { client_secret: secret }, { abortSignal }),
    );
  }

  async revokeSigningKey(kid: string, signal?: AbortSignal): Promise<void> {
    await this.write('keys.signing.revoke', signal, async (abortSignal) =>
      (await this.c()).keys.signing.revoke(kid, { abortSignal }),
    );
  }

  async unblockIp(ip: string, signal?: AbortSignal): Promise<void> {
    // DELETE of a block is idempotent: unblocking twice is harmless.
    await this.o.policy.execute(
      async (abortSignal) => (await this.c()).anomaly.blocks.unblockIp(ip, { abortSignal }),
      {
        idempotent: true,
        operation: 'anomaly.blocks.unblockIp',
        ...(signal ? { signal } : {}),
      },
    );
  }

  async isIpBlocked(ip: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.o.policy.execute(
        async (abortSignal) => (await this.c()).anomaly.blocks.checkIp(ip, { abortSignal }),
        {
          idempotent: true,
          operation: 'anomaly.blocks.checkIp',
          ...(signal ? { signal } : {}),
        },
      );
      return true;
    } catch (error) {
      if (isAppError(error) && error.code === 'not_found') return false;
      throw error;
    }
  }

  private write<T>(
    operation: string,
    signal: AbortSignal | undefined,
    fn: (abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return this.o.policy.execute(fn, { idempotent: false, operation, ...(signal ? { signal } : {}) });
  }
}
