import type { SecretStore } from '../secrets/ports.js';
import type { RotationService } from './ports.js';
import type { RotationTarget } from './target.js';

export interface OwnCredentialDeps {
  /** The rotation target that is the bot's own client, if it is one. */
  readonly own: RotationTarget | undefined;
  readonly secrets: Pick<SecretStore, 'get'>;
  /** Makes the bot use this credential value, once a real call proved it works (the tenant adapter). */
  readonly switchTo: (target: RotationTarget, value: string, signal?: AbortSignal) => Promise<void>;
  readonly onSwitchFailed: (error: unknown) => void;
}

/**
 * The bot's own credential as a rotation target. Its current value lives in Secrets Manager, so
 * at start the bot adopts AWSCURRENT (the configured secret may be stale); after rotating itself
 * it switches to the new credential, which the machine already verified with a real exchange.
 */
export const createOwnCredential = (deps: OwnCredentialDeps) => {
  const adopt = async (signal?: AbortSignal): Promise<boolean> => {
    if (!deps.own) return false;
    const current = await deps.secrets.get(deps.own.secretId, 'AWSCURRENT', signal);
    if (!current) return false;
    await deps.switchTo(deps.own, current.value, signal);
    return true;
  };
  const around = (inner: RotationService): RotationService => ({
    rotate: async (target, request) => {
      const result = await inner.rotate(target, request);
      if (!result.ok || target.clientId !== deps.own?.clientId) return result;
      try {
        await adopt(request.signal);
        return {
          ...result,
          summary: `${result.summary}; the bot switched to its new credential and it works`,
        };
      } catch (error) {
        deps.onSwitchFailed(error);
        return {
          ...result,
          summary: `${result.summary}; WARNING: the bot could not switch to its new credential — check /auth0 status`,
        };
      }
    },
    resumeUnfinished: (signal) => inner.resumeUnfinished(signal),
  });
  return { adopt, around };
};
