import { DescribeSecretCommand, InternalServiceError } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_CREDENTIALS, FakeSecretsManager } from '@auth0-oncall/fakes/aws';
import { createSecretsManagerClient } from '../../../src/aws/secrets-client.js';

let fake: FakeSecretsManager;

beforeEach(async () => {
  fake = await FakeSecretsManager.start();
  fake.seed('m2m/billing-worker', 'current-value');
});

afterEach(async () => {
  await fake.stop();
});

describe('createSecretsManagerClient', () => {
  it('sends signed calls to the configured endpoint', async () => {
    const secretsManager = createSecretsManagerClient({
      region: 'eu-west-1',
      endpoint: fake.endpoint,
      credentials: FAKE_CREDENTIALS,
    });
    const { client } = await secretsManager.load();
    try {
      const out = await client.send(new DescribeSecretCommand({ SecretId: 'm2m/billing-worker' }));
      expect(out.Name).toBe('m2m/billing-worker');
      expect(fake.requests).toMatchObject([{ op: 'DescribeSecret', hasAuthorization: true }]);
    } finally {
      secretsManager.destroy();
    }
  });

  it('makes a single attempt, leaving retries to the dependency policy', async () => {
    const secretsManager = createSecretsManagerClient({
      region: 'eu-west-1',
      endpoint: fake.endpoint,
      credentials: FAKE_CREDENTIALS,
    });
    const { client } = await secretsManager.load();
    try {
      fake.failNext('DescribeSecret', { times: 3 });
      const error: unknown = await client
        .send(new DescribeSecretCommand({ SecretId: 'm2m/billing-worker' }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InternalServiceError);
      expect(fake.requests).toHaveLength(1);
    } finally {
      secretsManager.destroy();
    }
  });

  it('leaves the endpoint to the SDK (the regional AWS one) when none is configured', async () => {
    // Only the configuration is read: nothing is sent, so no test can reach real AWS.
    const secretsManager = createSecretsManagerClient({ region: 'eu-west-1' });
    const { client } = await secretsManager.load();
    try {
      expect(client.config.isCustomEndpoint).toBe(false);
      expect(await client.config.region()).toBe('eu-west-1');
      expect(await client.config.maxAttempts()).toBe(1);
    } finally {
      secretsManager.destroy();
    }
  });
});
