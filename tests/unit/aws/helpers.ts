/** An SecretsManagerSecretStore wired as in production (client via createSecretsManagerClient, real policy), aimed at the fake. */
import { FAKE_CREDENTIALS, FakeSecretsManager } from '@auth0-oncall/fakes/aws';
import { SecretsManagerSecretStore } from '../../../src/aws/secrets-manager-secret-store.js';
import {
  createSecretsManagerClient,
  type LazySecretsManagerClient,
} from '../../../src/aws/secrets-client.js';
import { BREAKER_EVENTS, type HealthEvent } from '../../../src/core/events/health-events.js';
import { createEventBus } from '../../../src/core/events/bus.js';
import { createLogger } from '../../../src/logger.js';
import {
  createDependencyPolicy,
  type DependencyPolicy,
  type DependencyPolicyOptions,
} from '../../../src/resilience/index.js';

export const SECRET = 'm2m/billing-worker';

/** A version id AWS accepts (32–64 characters), readable in failures: v(3) ends in …0003. */
export const v = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Short waits so retries cost milliseconds; a breaker that stays closed unless a test lowers it. */
const fastSettings = {
  timeoutMs: 2_000,
  retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20 },
  breaker: { consecutiveFailures: 50, halfOpenAfterMs: 1_000, maxHalfOpenAfterMs: 1_000 },
} as const;

export interface StoreFixture {
  readonly fake: FakeSecretsManager;
  readonly client: LazySecretsManagerClient;
  readonly policy: DependencyPolicy;
  readonly store: SecretsManagerSecretStore;
  /** Every line the policy logged, as written (JSON). */
  readonly logLines: string[];
  readonly healthEvents: HealthEvent[];
  close(): Promise<void>;
}

export const startStore = async (overrides: Partial<DependencyPolicyOptions> = {}): Promise<StoreFixture> => {
  const fake = await FakeSecretsManager.start();
  const client = createSecretsManagerClient({
    region: fake.region,
    endpoint: fake.endpoint,
    credentials: FAKE_CREDENTIALS,
  });
  const logLines: string[] = [];
  const healthEvents: HealthEvent[] = [];
  const events = createEventBus();
  events.subscribe(BREAKER_EVENTS, (event) => {
    healthEvents.push(event);
  });
  const policy = createDependencyPolicy({
    dependency: 'secrets_manager',
    ...fastSettings,
    events,
    logger: createLogger({ level: 'debug' }, { write: (line: string) => logLines.push(line) }),
    random: () => 0,
    ...overrides,
  });
  return {
    fake,
    client,
    policy,
    store: new SecretsManagerSecretStore({ client, policy }),
    logLines,
    healthEvents,
    close: async () => {
      policy.dispose();
      client.destroy();
      await fake.stop();
    },
  };
};

/** The settings above with a single attempt, for tests that must see the first failure. */
export const noRetries = { retry: { maxAttempts: 1, initialDelayMs: 5, maxDelayMs: 20 } } as const;

/** What a promise rejected with, or undefined if it resolved. */
export const errorOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
