/** What the doctor asks of each system; adapters implement them against the real APIs. */

export interface Auth0Grant {
  /** The scopes of a freshly issued Management API token (its `scope` claim). */
  readonly scopes: readonly string[];
  /** Auth0's `Date` header on that reply, for the clock-skew check. */
  readonly serverDate: Date | undefined;
}

export interface Auth0Probe {
  /** Requests a token with the bot's current credential; throws when Auth0 refuses it. */
  grant(signal?: AbortSignal): Promise<Auth0Grant>;
  /** Whether a client with this ID exists in the tenant. */
  clientExists(clientId: string, signal?: AbortSignal): Promise<boolean>;
}

export interface SecretProbe {
  /** AWSCURRENT's value, or undefined when the secret has none; throws when it cannot be read. */
  current(secretId: string, signal?: AbortSignal): Promise<string | undefined>;
}

export type ModelCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface ModelProbe {
  /** e.g. `Bedrock anthropic.claude-…`, `Anthropic API key`. */
  readonly name: string;
  /** One cheap call; `fix` says how to repair a failure of this provider. */
  readonly fix: string;
  check(signal?: AbortSignal): Promise<ModelCheck>;
}

export type ChannelMembership = 'member' | 'not_member' | 'not_found';

export interface SlackProbe {
  /** The bot token's scopes as Slack reports them, or undefined when Slack did not say. */
  grantedScopes(): Promise<readonly string[] | undefined>;
  membership(channel: string): Promise<ChannelMembership>;
}

export interface LogStreamProbe {
  /** When the last accepted Log Stream push arrived, or undefined for none since start. */
  lastPushAt(): Date | undefined;
}
