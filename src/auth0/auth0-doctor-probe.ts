import type { ManagementClient } from 'auth0';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import type { Auth0Credential } from '../config.js';
import type { Auth0Grant, Auth0Probe } from '../core/doctor/ports.js';
import type { ClientCredentialProof } from '../core/tenant/ports.js';
import { AppError } from '../errors.js';
import { statusOf } from '../resilience/index.js';
import { resolveClient, type ClientSource } from './management-client.js';
import { requestToken } from './token-request.js';

export interface Auth0DoctorProbeOptions {
  readonly client: ClientSource;
  readonly domain: string;
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  readonly clientId: string;
  /** The bot's credential now (it changes when the bot's own secret is rotated). */
  readonly credential: () => Auth0Credential;
  readonly timeoutMs?: number;
}

/** Named in the scope table (src/core/doctor/scopes.ts) like every adapter operation. */
const EXISTS_OPERATION = 'clients.get(exists)';

const tokenReply = z
  .object({
    access_token: z.string().optional(),
    scope: z.string().optional(),
    error: z.string().optional(),
    error_description: z.string().optional(),
  })
  .loose();

const proofOf = (credential: Auth0Credential): ClientCredentialProof =>
  credential.kind === 'client_secret'
    ? { kind: 'secret', secret: credential.clientSecret }
    : { kind: 'private_key_jwt', pem: credential.privateKeyPem };

/** The `scope` claim of a JWT access token; else the reply's `scope` field (the same list). */
export const grantedScopes = (reply: { access_token?: string; scope?: string }): string[] => {
  let claim: unknown;
  try {
    claim = reply.access_token ? decodeJwt(reply.access_token).scope : undefined;
  } catch {
    // Not a JWT (an opaque token): the reply's own `scope` says the same.
  }
  const scope = typeof claim === 'string' ? claim : (reply.scope ?? '');
  return scope.split(/\s+/).filter((s) => s !== '');
};

/**
 * The doctor's view of Auth0. Calls go straight to the SDK and the token endpoint, outside the
 * Auth0 policy: a check that finds a 403 must not open the breaker the watchers depend on.
 */
export class Auth0DoctorProbe implements Auth0Probe {
  constructor(private readonly o: Auth0DoctorProbeOptions) {}

  private signal(caller?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.o.timeoutMs ?? 10_000);
    return caller ? AbortSignal.any([caller, timeout]) : timeout;
  }

  async grant(signal?: AbortSignal): Promise<Auth0Grant> {
    const res = await requestToken(
      this.o,
      this.o.clientId,
      proofOf(this.o.credential()),
      this.signal(signal),
    );
    const date = res.headers.get('date');
    const serverDate = date === null || Number.isNaN(Date.parse(date)) ? undefined : new Date(date);
    const parsed = tokenReply.safeParse(await res.json().catch(() => ({})));
    const reply = parsed.success ? parsed.data : {};
    if (!res.ok) {
      const detail = [reply.error, reply.error_description].filter(Boolean).join(': ').slice(0, 160);
      throw new AppError('dependency_auth_failed', `HTTP ${res.status}${detail ? ` ${detail}` : ''}`);
    }
    return { scopes: grantedScopes(reply), serverDate };
  }

  async clientExists(clientId: string, signal?: AbortSignal): Promise<boolean> {
    const client: ManagementClient = await resolveClient(this.o.client);
    try {
      await client.clients.get(
        clientId,
        { fields: 'client_id', include_fields: true },
        { abortSignal: this.signal(signal) },
      );
      return true;
    } catch (err) {
      const status = statusOf(err);
      if (status === 404) return false;
      throw new AppError(
        'dependency_failed',
        `${EXISTS_OPERATION} for ${clientId} failed with HTTP ${status ?? '?'}`,
        {
          cause: err,
        },
      );
    }
  }
}
