/** Shared wiring for the fake Secrets Manager tests: the real SDK aimed at the fake. */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { FakeSecretsManager, secretsManagerClientFor } from '@auth0-oncall/fakes/aws';

export const SECRET = 'm2m/billing-worker';

/** A version id AWS accepts (32–64 characters), readable in failures: v(3) ends in …0003. */
export const v = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export interface Fixture {
  readonly fake: FakeSecretsManager;
  readonly client: SecretsManagerClient;
  close(): Promise<void>;
}

export const startFixture = async (): Promise<Fixture> => {
  const fake = await FakeSecretsManager.start();
  const client = secretsManagerClientFor(fake);
  return {
    fake,
    client,
    close: async () => {
      client.destroy();
      await fake.stop();
    },
  };
};

/** What a raw awsJson1_1 call gets back, for protocol checks the SDK would hide. */
export const rawCall = async (
  fake: FakeSecretsManager,
  target: string,
  body: string,
  headers: Record<string, string> = { authorization: 'AWS4-HMAC-SHA256 Credential=test' },
): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(fake.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, ...headers },
    body,
  });
  return { status: response.status, body: await response.json() };
};

/** What a promise rejected with, or undefined if it resolved. */
export const errorOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
