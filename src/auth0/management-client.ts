import { ManagementClient } from 'auth0';
import type { Auth0Credential } from '../config.js';

export interface ManagementClientOptions {
  readonly domain: string;
  readonly clientId: string;
  readonly credential: Auth0Credential;
  readonly fetch: typeof fetch;
  readonly timeoutSeconds: number;
}

/**
 * SDK retries are off (`maxRetries: 0`): it would retry every method on 408/429/5xx, POSTs
 * included, and stack under our policies. Reads are retried by the Auth0 policy instead, and
 * writes are never retried blindly. Options are fixed at construction, so a credential change
 * (rotating the bot's own secret) builds a new client.
 */
export const createManagementClient = (options: ManagementClientOptions): ManagementClient => {
  const common = {
    domain: options.domain,
    clientId: options.clientId,
    fetch: options.fetch,
    maxRetries: 0,
    timeoutInSeconds: options.timeoutSeconds,
    telemetry: false,
  };
  return options.credential.kind === 'client_secret'
    ? new ManagementClient({ ...common, clientSecret: options.credential.clientSecret })
    : new ManagementClient({
        ...common,
        clientAssertionSigningKey: options.credential.privateKeyPem,
        clientAssertionSigningAlg: 'RS256',
      });
};

/**
 * A client, or where to get the current one: the bot's own credential can be rotated, after which
 * a new client (options are fixed at construction) replaces the old one for every adapter.
 */
export type ClientSource = ManagementClient | (() => ManagementClient);

export const resolveClient = (source: ClientSource): ManagementClient =>
  typeof source === 'function' ? source() : source;
