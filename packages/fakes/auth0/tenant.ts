/** The fake tenant's state, shared by the route modules (one object per FakeAuth0). */
import { AccessTokens } from './access-tokens.js';
import { IpBlocks } from './anomaly.js';
import { ClientRegistry } from './clients.js';
import type { Now } from './clock.js';
import { CustomDomains } from './custom-domains.js';
import { SigningKeys } from './keys.js';
import { LogStore } from './log-store.js';
import type { FakeAuth0Options } from './types.js';

interface QuotaExhaustion {
  retryAfterSeconds: number;
  /** `Auth0-Client-Quota-Limit`, e.g. `b=per_hour;q=100;r=0;t=3540`. */
  header: string;
}

export interface Tenant {
  readonly domain: string;
  readonly now: Now;
  readonly logs: LogStore;
  readonly clients: ClientRegistry;
  readonly tokens: AccessTokens;
  readonly keys: SigningKeys;
  readonly customDomains: CustomDomains;
  readonly ipBlocks: IpBlocks;
  /** Client-assertion `jti`s already used, with the assertion's expiry (ms). */
  readonly usedJtis: Map<string, number>;
  /** Clients whose M2M token quota is exhausted. */
  readonly exhaustedQuotas: Map<string, QuotaExhaustion>;
  tokenLifetimeSeconds: number;
}

export function tenantName(domain: string): string {
  return domain.split('.')[0] ?? domain;
}

function environmentName(domain: string): string {
  const region = /\.(eu|au|jp|uk|ca)\.auth0\.com$/.exec(domain)?.[1] ?? 'us';
  return `prod-${region}-1`;
}

export function createTenant(options: FakeAuth0Options): Tenant {
  const domain = options.domain ?? 'acme.eu.auth0.com';
  const now = options.now ?? Date.now;
  const logs = new LogStore({
    now,
    tenantName: tenantName(domain),
    environmentName: environmentName(domain),
  });
  return {
    domain,
    now,
    logs,
    clients: new ClientRegistry(now, options.secretPropagationMs ?? 30_000),
    tokens: new AccessTokens(now),
    keys: new SigningKeys({ now, domain, bits: options.signingKeyBits ?? 2048 }),
    customDomains: new CustomDomains(now, domain, logs),
    ipBlocks: new IpBlocks(),
    usedJtis: new Map(),
    exhaustedQuotas: new Map(),
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 86_400,
  };
}
