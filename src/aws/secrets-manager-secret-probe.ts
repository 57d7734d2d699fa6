import type { SecretProbe } from '../core/doctor/ports.js';
import { AppError } from '../errors.js';
import type { LazySecretsManagerClient } from './secrets-client.js';

/**
 * The doctor's read of a secret's AWSCURRENT value, outside the Secrets Manager policy: a check
 * that meets AccessDenied must not open the breaker rotations depend on. The value goes back to
 * the doctor only to be classified; the error never carries it.
 */
export const secretsManagerSecretProbe = (secretsManager: LazySecretsManagerClient): SecretProbe => ({
  async current(secretId, signal) {
    try {
      const { sdk, client } = await secretsManager.load();
      const out = await client.send(new sdk.GetSecretValueCommand({ SecretId: secretId }), {
        abortSignal: signal ?? AbortSignal.timeout(10_000),
      });
      return out.SecretString;
    } catch (err) {
      const name = err instanceof Error ? err.name : 'Error';
      if (name === 'ResourceNotFoundException') return undefined;
      throw new AppError('dependency_failed', `Secrets Manager answered ${name} for ${secretId}`, {
        cause: err,
      });
    }
  },
});
