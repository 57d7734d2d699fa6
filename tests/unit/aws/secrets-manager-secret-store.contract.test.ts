/**
 * The SecretStore contract: the same cases run against the fake (always) and real AWS Secrets
 * Manager (only with LIVE_AWS=1, using the default credential chain, AWS_REGION and optionally
 * AWS_ENDPOINT_URL_SECRETS_MANAGER). Live runs create secrets named auth0-oncall-contract/<uuid>
 * and force-delete them afterwards; they need Create/Delete/Get/Put/Describe/UpdateSecretVersionStage.
 */
import { randomUUID } from 'node:crypto';
import { CreateSecretCommand, DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CREDENTIALS, FakeSecretsManager } from '@auth0-oncall/fakes/aws';
import { SecretsManagerSecretStore } from '../../../src/aws/secrets-manager-secret-store.js';
import {
  createSecretsManagerClient,
  type LazySecretsManagerClient,
} from '../../../src/aws/secrets-client.js';
import { createEventBus } from '../../../src/core/events/bus.js';
import type { SecretStore } from '../../../src/core/secrets/ports.js';
import { createDependencyPolicy, defaultPolicyOptions } from '../../../src/resilience/index.js';
import { errorOf } from './helpers.js';

const LIVE = process.env.LIVE_AWS === '1';

interface Target {
  readonly client: LazySecretsManagerClient;
  close(): Promise<void>;
}

const defineContract = (title: string, open: () => Promise<Target>): void => {
  describe(title, () => {
    let target: Target;
    let store: SecretStore;
    const created: string[] = [];

    beforeAll(async () => {
      target = await open();
      const policy = createDependencyPolicy({
        dependency: 'secrets_manager',
        ...defaultPolicyOptions.secrets_manager,
        events: createEventBus(),
      });
      store = new SecretsManagerSecretStore({ client: target.client, policy });
    });

    afterEach(async () => {
      const names = created.splice(0);
      for (const name of names) {
        const { client } = await target.client.load();
        await client.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
      }
    });

    afterAll(async () => {
      await target.close();
    });

    /** A new secret holding `value` as AWSCURRENT; returns its name and first version id. */
    const newSecret = async (value: string): Promise<{ name: string; first: string }> => {
      const name = `auth0-oncall-contract/${randomUUID()}`;
      const first = randomUUID();
      const { client } = await target.client.load();
      await client.send(
        new CreateSecretCommand({ Name: name, ClientRequestToken: first, SecretString: value }),
      );
      created.push(name);
      return { name, first };
    };

    it('reads the AWSCURRENT version of a new secret, its only labelled version', async () => {
      const { name, first } = await newSecret('value-one');
      expect(await store.get(name)).toEqual({ versionId: first, value: 'value-one', stages: ['AWSCURRENT'] });
      expect(await store.describe(name)).toEqual({ [first]: ['AWSCURRENT'] });
    });

    it('stores AWSPENDING under the caller token without touching AWSCURRENT', async () => {
      const { name, first } = await newSecret('value-one');
      const token = randomUUID();
      await store.putPending(name, token, 'value-two');
      expect(await store.describe(name)).toEqual({ [first]: ['AWSCURRENT'], [token]: ['AWSPENDING'] });
      expect(await store.getVersion(name, token)).toEqual({
        versionId: token,
        value: 'value-two',
        stages: ['AWSPENDING'],
      });
      expect((await store.get(name))?.value).toBe('value-one');
    });

    it('accepts putPending again with the same token and value, and refuses another value as a conflict', async () => {
      const { name } = await newSecret('value-one');
      const token = randomUUID();
      await store.putPending(name, token, 'value-two');
      await store.putPending(name, token, 'value-two');
      expect(await errorOf(store.putPending(name, token, 'value-three'))).toMatchObject({ code: 'conflict' });
      expect((await store.getVersion(name, token))?.value).toBe('value-two');
    });

    it('promotes the pending version, keeps the old one as AWSPREVIOUS, and rolls back', async () => {
      const { name, first } = await newSecret('value-one');
      const token = randomUUID();
      await store.putPending(name, token, 'value-two');
      await store.moveStage(name, 'AWSCURRENT', token, first);
      await store.moveStage(name, 'AWSPENDING', undefined, token);
      expect(await store.describe(name)).toEqual({ [first]: ['AWSPREVIOUS'], [token]: ['AWSCURRENT'] });
      expect((await store.get(name))?.value).toBe('value-two');
      expect((await store.get(name, 'AWSPREVIOUS'))?.versionId).toBe(first);
      await store.moveStage(name, 'AWSCURRENT', first, token);
      expect(await store.describe(name)).toEqual({ [first]: ['AWSCURRENT'], [token]: ['AWSPREVIOUS'] });
    });

    it('treats a repeated move as done once the label sits where it was asked to go', async () => {
      const { name, first } = await newSecret('value-one');
      const token = randomUUID();
      await store.putPending(name, token, 'value-two');
      await store.moveStage(name, 'AWSCURRENT', token, first);
      await store.moveStage(name, 'AWSCURRENT', token, first);
      expect((await store.get(name))?.versionId).toBe(token);
    });

    it('refuses to move a label off a version not named as the one to take it from', async () => {
      const { name, first } = await newSecret('value-one');
      const token = randomUUID();
      await store.putPending(name, token, 'value-two');
      expect(await errorOf(store.moveStage(name, 'AWSCURRENT', token, undefined))).toMatchObject({
        code: 'invalid_input',
      });
      expect(await store.describe(name)).toEqual({ [first]: ['AWSCURRENT'], [token]: ['AWSPENDING'] });
    });

    it('returns undefined for a label or version that is not there, and not_found for a missing secret', async () => {
      const { name } = await newSecret('value-one');
      expect(await store.get(name, 'AWSPENDING')).toBeUndefined();
      expect(await store.getVersion(name, randomUUID())).toBeUndefined();
      const missing = `auth0-oncall-contract/${randomUUID()}`;
      expect(await errorOf(store.get(missing))).toMatchObject({
        code: 'not_found',
        message: `Secrets Manager has no secret "${missing}"`,
      });
    });
  });
};

defineContract('SecretsManagerSecretStore contract against the fake Secrets Manager', async () => {
  const fake = await FakeSecretsManager.start();
  const client = createSecretsManagerClient({
    region: fake.region,
    endpoint: fake.endpoint,
    credentials: FAKE_CREDENTIALS,
  });
  return {
    client,
    close: async () => {
      client.destroy();
      await fake.stop();
    },
  };
});

// Never reached without LIVE_AWS=1: the client below is only built when the suite runs.
describe.skipIf(!LIVE)(
  'live AWS (skipped unless LIVE_AWS=1: it creates and force-deletes real secrets with your AWS credentials)',
  () => {
    defineContract('SecretsManagerSecretStore contract against real AWS Secrets Manager', () => {
      const client = createSecretsManagerClient({
        region: process.env.AWS_REGION ?? 'us-east-1',
        endpoint: process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER,
      });
      return Promise.resolve({
        client,
        close: () => {
          client.destroy();
          return Promise.resolve();
        },
      });
    });
  },
);
