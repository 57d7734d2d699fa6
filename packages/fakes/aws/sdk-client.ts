import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { FAKE_CREDENTIALS, type FakeSecretsManager } from './fake-secrets-manager.js';

/**
 * The real SDK client aimed at the fake: its endpoint, static credentials, one attempt (so a test
 * sees exactly what the fake answered). Destroy it when done.
 */
export const secretsManagerClientFor = (fake: FakeSecretsManager): SecretsManagerClient =>
  new SecretsManagerClient({
    endpoint: fake.endpoint,
    region: fake.region,
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
  });
