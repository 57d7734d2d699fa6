import type { ManagementClient } from 'auth0';
import type { Auth0Credential } from '../config.js';
import type { DependencyPolicy } from '../resilience/index.js';

/**
 * The bot's Management API client, replaceable when the bot rotates its own credential. A new
 * client replaces the current one only after a real call with it succeeded: a fresh client has no
 * cached token, so that call is a token exchange with the new credential.
 */
export const createSwitchableClient = (deps: {
  readonly build: (credential: Auth0Credential) => () => Promise<ManagementClient>;
  readonly initial: Auth0Credential;
  readonly policy: Pick<DependencyPolicy, 'execute'>;
  readonly onSwitched: (credential: Auth0Credential) => void;
}) => {
  let current = deps.build(deps.initial);
  let currentCredential = deps.initial;
  return {
    client: (): Promise<ManagementClient> => current(),
    /** The credential the current client uses (the doctor reads its token's scopes with it). */
    credential: (): Auth0Credential => currentCredential,
    switchTo: async (credential: Auth0Credential, signal?: AbortSignal): Promise<void> => {
      const next = deps.build(credential);
      await deps.policy.execute(async (abortSignal) => (await next()).keys.signing.list({ abortSignal }), {
        idempotent: true,
        operation: 'own credential check',
        ...(signal ? { signal } : {}),
      });
      current = next;
      currentCredential = credential;
      deps.onSwitched(credential);
    },
  };
};
