import type { ManagementClient } from 'auth0';
import { resolveClient, type ClientSource } from './management-client.js';
import { importJWK } from 'jose';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type {
  ClientCredential,
  CustomDomain,
  JwksKey,
  LogSearch,
  LogsPage,
  M2mClient,
  SigningKey,
  Tenant,
} from '../core/tenant/ports.js';

/** The slice of a dependency policy the adapter uses (see src/resilience). */
export interface CallPolicy {
  execute<T>(
    fn: (signal: AbortSignal) => Promise<T>,
    opts: { idempotent: boolean; operation: string; signal?: AbortSignal },
  ): Promise<T>;
}

const opt = <T extends z.ZodType>(s: T) => s.nullish().transform((v) => v ?? undefined);

const signingKeySchema = z.object({
  kid: z.string().min(1),
  current: opt(z.boolean()),
  next: opt(z.boolean()),
  previous: opt(z.boolean()),
  revoked: opt(z.boolean()),
  current_since: opt(z.string()),
  revoked_at: opt(z.string()),
  fingerprint: opt(z.string()),
});

const customDomainSchema = z.object({
  custom_domain_id: z.string(),
  domain: z.string(),
  status: z.string(),
  certificate: opt(
    z.object({ status: opt(z.string()), renews_before: opt(z.string()), error_msg: opt(z.string()) }).loose(),
  ),
});

const credentialSchema = z.object({ id: z.string(), name: opt(z.string()), expires_at: opt(z.string()) });

const clientSchema = z.object({
  client_id: z.string(),
  name: opt(z.string()),
  client_authentication_methods: opt(
    z
      .object({ private_key_jwt: opt(z.object({ credentials: z.array(z.object({ id: z.string() })) })) })
      .loose(),
  ),
});

const jwksSchema = z.object({
  keys: z.array(z.object({ kid: z.string(), kty: z.string(), alg: opt(z.string()) }).loose()),
});

const certificateStatuses = [
  'provisioning',
  'provisioned',
  'provisioning_failed',
  'renewing_failed',
] as const;
const domainStatuses = ['pending_verification', 'ready', 'failed'] as const;
const oneOf = <T extends string>(values: readonly T[], v: string | undefined): T | 'unknown' =>
  (values as readonly string[]).includes(v ?? '') ? (v as T) : 'unknown';

const parse = <T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> => {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError(
      'invalid_input',
      `Auth0 returned an unexpected ${what}: ${result.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  return result.data;
};

export interface Auth0ManagementTenantOptions {
  readonly client: ClientSource;
  readonly policy: CallPolicy;
  /** Origin the JWKS is fetched from (AUTH0_BASE_URL), through the same fetch as the SDK. */
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  /** Clients listed per page and the most pages read, so a huge tenant cannot stall a watcher. */
  readonly clientPageSize?: number;
  readonly maxClientPages?: number;
}

/** Every call is a read: the policy may retry it. Mutations live in their own adapters. */
export class Auth0ManagementTenant implements Tenant {
  constructor(private readonly o: Auth0ManagementTenantOptions) {}

  private c(): Promise<ManagementClient> {
    return resolveClient(this.o.client);
  }

  private read<T>(
    operation: string,
    caller: AbortSignal | undefined,
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return this.o.policy.execute(fn, { idempotent: true, operation, ...(caller ? { signal: caller } : {}) });
  }

  fetchLogs(from: string, take: number, signal?: AbortSignal): Promise<LogsPage> {
    return this.read('logs.checkpoint', signal, async (abortSignal) => {
      // logs.list has no from/take: the documented workaround passes them as extra query params;
      // in checkpoint mode Auth0 ignores the page/per_page the SDK adds.
      const page = await (await this.c()).logs.list({}, { queryParams: { from, take }, abortSignal });
      const entries = parse(z.array(z.unknown()), page.response, 'log page');
      return { entries, nextFrom: nextFromLink(page.rawResponse.headers.get('link')) };
    });
  }

  searchLogs(search: LogSearch, signal?: AbortSignal): Promise<readonly unknown[]> {
    return this.read('logs.search', signal, async (abortSignal) => {
      // The SDK sends its query as `search=`; `q` goes as an explicit query param.
      const page = await (
        await this.c()
      ).logs.list(
        { sort: search.sort, per_page: search.perPage, page: 0, include_totals: true },
        { queryParams: search.q ? { q: search.q } : {}, abortSignal },
      );
      const body: unknown = page.response;
      return Array.isArray(body)
        ? parse(z.array(z.unknown()), body, 'log search')
        : parse(z.object({ logs: z.array(z.unknown()) }), body, 'log search').logs;
    });
  }

  listSigningKeys(signal?: AbortSignal): Promise<readonly SigningKey[]> {
    return this.read('keys.signing.list', signal, async (abortSignal) => {
      const keys = parse(
        z.array(signingKeySchema),
        await (await this.c()).keys.signing.list({ abortSignal }),
        'signing key list',
      );
      return keys.map((k) => ({
        kid: k.kid,
        current: k.current === true,
        next: k.next === true,
        previous: k.previous === true,
        revoked: k.revoked === true,
        currentSince: k.current_since,
        revokedAt: k.revoked_at,
        fingerprint: k.fingerprint,
      }));
    });
  }

  fetchJwks(caller?: AbortSignal): Promise<readonly JwksKey[]> {
    return this.read('jwks.fetch', caller, async (signal) => {
      const res = await this.o.fetch(`${this.o.baseUrl.replace(/\/$/, '')}/.well-known/jwks.json`, {
        signal,
      });
      if (!res.ok) throw new AppError('invalid_input', `JWKS request failed with HTTP ${res.status}`);
      const jwks = parse(jwksSchema, await res.json(), 'JWKS');
      // A key consumers cannot import is as broken as a missing one: check each really imports.
      await Promise.all(jwks.keys.map((k) => importJWK({ ...k, alg: k.alg ?? 'RS256' })));
      return jwks.keys.map((k) => ({ kid: k.kid, kty: k.kty, alg: k.alg }));
    });
  }

  listCustomDomains(signal?: AbortSignal): Promise<readonly CustomDomain[]> {
    return this.read('customDomains.list', signal, async (abortSignal) => {
      const domains = parse(
        z.array(customDomainSchema),
        await (await this.c()).customDomains.list({}, { abortSignal }),
        'custom domain list',
      );
      return domains.map((d) => ({
        id: d.custom_domain_id,
        domain: d.domain,
        status: oneOf(domainStatuses, d.status),
        certificate: d.certificate
          ? {
              status: oneOf(certificateStatuses, d.certificate.status),
              renewsBefore: d.certificate.renews_before,
              errorMessage: d.certificate.error_msg,
            }
          : undefined,
      }));
    });
  }

  listM2mClients(signal?: AbortSignal): Promise<readonly M2mClient[]> {
    return this.read('clients.list', signal, async (abortSignal) => {
      const perPage = this.o.clientPageSize ?? 100;
      const out: M2mClient[] = [];
      for (let page = 0; page < (this.o.maxClientPages ?? 10); page += 1) {
        const result = await (
          await this.c()
        ).clients.list(
          {
            app_type: 'non_interactive',
            fields: 'client_id,name,client_authentication_methods',
            include_fields: true,
            page,
            per_page: perPage,
          },
          { abortSignal },
        );
        const clients = parse(z.array(clientSchema), result.data, 'client list');
        for (const c of clients) {
          out.push({
            clientId: c.client_id,
            name: c.name ?? c.client_id,
            activeCredentialIds:
              c.client_authentication_methods?.private_key_jwt?.credentials.map((x) => x.id) ?? [],
          });
        }
        if (clients.length < perPage) break;
      }
      return out;
    });
  }

  listClientCredentials(clientId: string, signal?: AbortSignal): Promise<readonly ClientCredential[]> {
    return this.read('clients.credentials.list', signal, async (abortSignal) => {
      const creds = parse(
        z.array(credentialSchema),
        await (await this.c()).clients.credentials.list(clientId, { abortSignal }),
        'credential list',
      );
      return creds.map((c) => ({ id: c.id, name: c.name, clientId, expiresAt: c.expires_at }));
    });
  }
}

/** `<https://tenant/api/v2/logs?from=X&take=100>; rel="next"` → X. Its exact form is unconfirmed. */
const nextFromLink = (link: string | null): string | undefined => {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (!m?.[1]) continue;
    try {
      return new URL(m[1], 'https://placeholder.invalid').searchParams.get('from') ?? undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
};
