import { SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';

export interface SecretsManagerClientOptions {
  readonly region: string;
  /** AWS_ENDPOINT_URL_SECRETS_MANAGER: a local fake or a VPC endpoint. */
  readonly endpoint?: string | undefined;
  /** Static credentials (tests, the fake); the SDK's default provider chain when absent. */
  readonly credentials?: SecretsManagerClientConfig['credentials'];
}

/**
 * Called by the composition root only. `maxAttempts: 1` because the secrets_manager policy is the
 * one retry layer: the SDK's own 3 attempts would multiply ours and resend writes unseen.
 */
export const createSecretsManagerClient = (options: SecretsManagerClientOptions): SecretsManagerClient =>
  new SecretsManagerClient({
    region: options.region,
    maxAttempts: 1,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
