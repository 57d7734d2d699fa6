import type * as Auth0 from 'auth0';
import type { ManagementClient } from 'auth0';
import type { Auth0Credential } from '../config.js';

export interface ManagementClientOptions {
  readonly domain: string;
  readonly clientId: string;
  readonly credential: Auth0Credential;
  readonly fetch: typeof fetch;
  readonly timeoutSeconds: number;
}

type Auth0Sdk = typeof Auth0;

let sdk: Promise<Auth0Sdk> | undefined;
/**
 * The Auth0 SDK is the largest package the app loads (about half of its import time), and nothing
 * needs it before the first Management API call, so it is imported then, once, instead of before
 * Socket Mode can connect. A failed import fails that call (inside its policy) and is tried again.
 */
const loadSdk = (): Promise<Auth0Sdk> =>
  (sdk ??= import('auth0').catch((error: unknown) => {
    sdk = undefined;
    throw error;
  }));

/**
 * Starts importing the SDK without waiting for it: start-up calls this once Slack is connected,
 * so the first poll and watcher readings do not wait for it either.
 */
export const preloadManagementSdk = (): Promise<void> => loadSdk().then(() => undefined);

/** A Management API client built on first use, the same one after (see loadSdk). */
export type LazyManagementClient = () => Promise<ManagementClient>;

/**
 * SDK retries are off (`maxRetries: 0`): it would retry every method on 408/429/5xx, POSTs
 * included, and stack under our policies. Reads are retried by the Auth0 policy instead, and
 * writes are never retried blindly. Options are fixed at construction, so a credential change
 * (rotating the bot's own secret) builds a new client.
 */
export const createManagementClient = (options: ManagementClientOptions): LazyManagementClient => {
  let client: Promise<ManagementClient> | undefined;
  const build = ({ ManagementClient }: Auth0Sdk): ManagementClient => {
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
  return () =>
    (client ??= loadSdk()
      .then(build)
      .catch((error: unknown) => {
        client = undefined;
        throw error;
      }));
};

/**
 * A client, or where to get the current one: the bot's own credential can be rotated, after which
 * a new client (options are fixed at construction) replaces the old one for every adapter.
 */
export type ClientSource = ManagementClient | (() => ManagementClient | Promise<ManagementClient>);

export const resolveClient = async (source: ClientSource): Promise<ManagementClient> =>
  typeof source === 'function' ? source() : source;
