import type * as Auth0Sdk from 'auth0';
import type { ManagementClient } from 'auth0';
import type { Auth0Credential } from '../config.js';

export interface ManagementClientOptions {
  readonly domain: string;
  readonly clientId: string;
  readonly credential: Auth0Credential;
  readonly fetch: typeof fetch;
  readonly timeoutSeconds: number;
}

let sdk: Promise<typeof Auth0Sdk> | undefined;
/**
 * The SDK is loaded on first use, not with the app: it is the largest module we load (about half a
 * second), and nothing needs it before the first poll, which starts after Slack is connected.
 */
const loadSdk = () => (sdk ??= import('auth0'));

/**
 * SDK retries are off (`maxRetries: 0`): it would retry every method on 408/429/5xx, POSTs
 * included, and stack under our policies. Reads are retried by the Auth0 policy instead, and
 * writes are never retried blindly. Options are fixed at construction, so a credential change
 * (rotating the bot's own secret) builds a new client.
 */
export const createManagementClient = async (options: ManagementClientOptions): Promise<ManagementClient> => {
  const { ManagementClient } = await loadSdk();
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
export type ClientSource = ManagementClient | (() => ManagementClient | Promise<ManagementClient>);

export const resolveClient = async (source: ClientSource): Promise<ManagementClient> =>
  typeof source === 'function' ? source() : source;
