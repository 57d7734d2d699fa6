import { describe, expect, it } from 'vitest';
import { lazyClient } from '../../../src/core/runtime/lazy-client.js';
import type { LazySecretsManagerClient } from '../../../src/aws/secrets-client.js';
import { secretsManagerSecretProbe } from '../../../src/aws/secrets-manager-secret-probe.js';
import { SecretsManagerSecretStore } from '../../../src/aws/secrets-manager-secret-store.js';
import { SqsEventQueue, type LazySqsClient } from '../../../src/aws/sqs-event-queue.js';
import { createEventBus } from '../../../src/core/events/bus.js';
import { AppError } from '../../../src/errors.js';
import { createDependencyPolicy } from '../../../src/resilience/index.js';
import { errorOf, SECRET } from './helpers.js';

/** What Node throws when a package cannot be imported. */
const importFailure = () =>
  Object.assign(new Error("Cannot find package '@aws-sdk/client-secrets-manager'"), {
    code: 'ERR_MODULE_NOT_FOUND',
  });

/** A stand-in SDK module and client that count what was done to them. */
const counting = () => {
  const counts = { imports: 0, builds: 0, releases: 0 };
  const sdk = { name: 'sdk' };
  return {
    counts,
    sdk,
    client: (importSdk: () => Promise<typeof sdk> = () => Promise.resolve(sdk)) =>
      lazyClient(
        () => {
          counts.imports += 1;
          return importSdk();
        },
        (loaded) => {
          counts.builds += 1;
          return { from: loaded };
        },
        () => {
          counts.releases += 1;
        },
      ),
  };
};

describe('lazyClient', () => {
  it('imports nothing until the first load, then imports and builds once for every caller', async () => {
    const c = counting();
    const lazy = c.client();
    expect(c.counts).toEqual({ imports: 0, builds: 0, releases: 0 });
    const [a, b] = await Promise.all([lazy.load(), lazy.load()]);
    const later = await lazy.load();
    expect(a.sdk).toBe(c.sdk);
    expect(b.client).toBe(a.client);
    expect(later.client).toBe(a.client);
    expect(c.counts).toEqual({ imports: 1, builds: 1, releases: 0 });
  });

  it('fails only the call whose import failed; the next call imports again', async () => {
    const c = counting();
    let fail = true;
    const lazy = c.client(() => (fail ? Promise.reject(importFailure()) : Promise.resolve(c.sdk)));
    expect(await errorOf(lazy.load())).toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
    fail = false;
    expect((await lazy.load()).sdk).toBe(c.sdk);
    expect(c.counts).toEqual({ imports: 2, builds: 1, releases: 0 });
  });

  it('destroys nothing it never built, and closes a client whose import was under way when destroyed', async () => {
    const c = counting();
    const unused = c.client();
    unused.destroy();
    expect(c.counts.releases).toBe(0);

    let finishImport: (sdk: typeof c.sdk) => void = () => undefined;
    const racing = c.client(
      () =>
        new Promise((resolve) => {
          finishImport = resolve;
        }),
    );
    const loading = racing.load();
    racing.destroy();
    finishImport(c.sdk);
    await loading;
    expect(c.counts).toEqual({ imports: 1, builds: 1, releases: 1 });
  });
});

describe('an AWS SDK that fails to load', () => {
  const unloadable = { load: () => Promise.reject(importFailure()), destroy: () => undefined };

  it('fails a Secrets Manager call through its policy as an AppError, like a failed request', async () => {
    const client: LazySecretsManagerClient = unloadable;
    const policy = createDependencyPolicy({
      dependency: 'secrets_manager',
      timeoutMs: 1_000,
      retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 },
      breaker: { consecutiveFailures: 50, halfOpenAfterMs: 1_000, maxHalfOpenAfterMs: 1_000 },
      events: createEventBus(),
      random: () => 0,
    });
    const store = new SecretsManagerSecretStore({ client, policy });
    try {
      const error = await errorOf(store.get(SECRET));
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ cause: { code: 'ERR_MODULE_NOT_FOUND' } });
    } finally {
      policy.dispose();
    }
  });

  it("fails the doctor's secret probe and an SQS receive as dependency errors", async () => {
    const probe = secretsManagerSecretProbe(unloadable);
    expect(await errorOf(probe.current(SECRET))).toMatchObject({ code: 'dependency_failed' });
    const sqs: LazySqsClient = unloadable;
    const queue = new SqsEventQueue({
      client: sqs,
      queueUrl: 'http://127.0.0.1:1/000000000000/auth0-events',
      waitSeconds: 1,
      visibilitySeconds: 30,
    });
    expect(await errorOf(queue.receive(10, new AbortController().signal))).toMatchObject({
      code: 'dependency_failed',
      message: expect.stringContaining('ReceiveMessage'),
    });
  });
});
