import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { errorOf, noRetries, SECRET, startStore, type StoreFixture, v } from './helpers.js';

let s: StoreFixture;

beforeEach(async () => {
  s = await startStore();
  s.fake.seed(SECRET, 'old-secret-value', { versionId: v(1) });
});

afterEach(async () => {
  await s.close();
});

describe('SecretsManagerSecretStore', () => {
  it('walks the rotation protocol: pending, promote, clear pending, then roll back', async () => {
    await s.store.putPending(SECRET, v(2), 'new-secret-value');
    expect(await s.store.describe(SECRET)).toEqual({ [v(1)]: ['AWSCURRENT'], [v(2)]: ['AWSPENDING'] });
    expect(await s.store.get(SECRET, 'AWSPENDING')).toEqual({
      versionId: v(2),
      value: 'new-secret-value',
      stages: ['AWSPENDING'],
    });

    await s.store.moveStage(SECRET, 'AWSCURRENT', v(2), v(1));
    expect(await s.store.describe(SECRET)).toEqual({
      [v(1)]: ['AWSPREVIOUS'],
      [v(2)]: ['AWSPENDING', 'AWSCURRENT'],
    });
    await s.store.moveStage(SECRET, 'AWSPENDING', undefined, v(2));
    expect(await s.store.describe(SECRET)).toEqual({ [v(1)]: ['AWSPREVIOUS'], [v(2)]: ['AWSCURRENT'] });
    expect((await s.store.get(SECRET))?.value).toBe('new-secret-value');

    await s.store.moveStage(SECRET, 'AWSCURRENT', v(1), v(2));
    expect(await s.store.describe(SECRET)).toEqual({ [v(1)]: ['AWSCURRENT'], [v(2)]: ['AWSPREVIOUS'] });
    expect(await s.store.get(SECRET)).toEqual({
      versionId: v(1),
      value: 'old-secret-value',
      stages: ['AWSCURRENT'],
    });
  });

  it('returns undefined for a label no version carries and for an unknown version id', async () => {
    expect(await s.store.get(SECRET, 'AWSPENDING')).toBeUndefined();
    expect(await s.store.get(SECRET, 'AWSPREVIOUS')).toBeUndefined();
    expect(await s.store.getVersion(SECRET, v(9))).toBeUndefined();
    expect((await s.store.getVersion(SECRET, v(1)))?.value).toBe('old-secret-value');
  });

  it('reports a missing secret as not_found naming the secret, from every method', async () => {
    const calls = [
      s.store.get('m2m/missing'),
      s.store.getVersion('m2m/missing', v(1)),
      s.store.describe('m2m/missing'),
      s.store.putPending('m2m/missing', v(2), 'some-value'),
      s.store.moveStage('m2m/missing', 'AWSCURRENT', v(2), v(1)),
    ];
    for (const error of await Promise.all(calls.map(errorOf))) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({
        code: 'not_found',
        message: 'Secrets Manager has no secret "m2m/missing"',
      });
    }
  });

  it('repeats putPending with the same token and value as a success that stores nothing new', async () => {
    await s.store.putPending(SECRET, v(2), 'new-secret-value');
    await s.store.putPending(SECRET, v(2), 'new-secret-value');
    expect(s.fake.versions(SECRET)).toHaveLength(2);
    expect(s.fake.requestsFor('PutSecretValue').map((c) => c.status)).toEqual([200, 200]);
  });

  it('refuses putPending with a used token and a different value as a conflict, keeping the stored value', async () => {
    await s.store.putPending(SECRET, v(2), 'new-secret-value');
    const error = await errorOf(s.store.putPending(SECRET, v(2), 'regenerated-value'));
    expect(error).toMatchObject({ code: 'conflict', message: expect.stringContaining(v(2)) });
    expect((await s.store.getVersion(SECRET, v(2)))?.value).toBe('new-secret-value');
    expect(s.fake.requestsFor('PutSecretValue')).toHaveLength(2);
  });

  it('refuses a token AWS would reject before sending anything', async () => {
    const error = await errorOf(s.store.putPending(SECRET, 'rotation-1', 'new-secret-value'));
    expect(error).toMatchObject({ code: 'invalid_input' });
    expect(s.fake.requests).toHaveLength(0);
  });

  it('refuses to move a label that sits on a version not named as the one to take it from', async () => {
    await s.store.putPending(SECRET, v(2), 'new-secret-value');
    const error = await errorOf(s.store.moveStage(SECRET, 'AWSCURRENT', v(2), undefined));
    expect(error).toMatchObject({ code: 'invalid_input' });
    expect(await s.store.describe(SECRET)).toEqual({ [v(1)]: ['AWSCURRENT'], [v(2)]: ['AWSPENDING'] });
  });

  it('treats a repeated move as done when the label already sits where it was asked to go', async () => {
    await s.store.putPending(SECRET, v(2), 'new-secret-value');
    await s.store.moveStage(SECRET, 'AWSCURRENT', v(2), v(1));
    await s.store.moveStage(SECRET, 'AWSCURRENT', v(2), v(1));
    await s.store.moveStage(SECRET, 'AWSPENDING', undefined, v(2));
    await s.store.moveStage(SECRET, 'AWSPENDING', undefined, v(2));
    expect(await s.store.describe(SECRET)).toEqual({ [v(1)]: ['AWSPREVIOUS'], [v(2)]: ['AWSCURRENT'] });
  });

  it('reports a move to a version the secret does not have as not_found naming the version', async () => {
    const error = await errorOf(s.store.moveStage(SECRET, 'AWSPENDING', v(7), undefined));
    expect(error).toMatchObject({ code: 'not_found', message: expect.stringContaining(v(7)) });
    const nowhere = await errorOf(s.store.moveStage(SECRET, 'AWSPENDING', undefined, undefined));
    expect(nowhere).toMatchObject({ code: 'invalid_input' });
  });

  it('does not trust a PutSecretValue answer that names another version', async () => {
    s.fake.malformedNext('PutSecretValue', { VersionId: v(9) });
    const error = await errorOf(s.store.putPending(SECRET, v(2), 'new-secret-value'));
    expect(error).toMatchObject({ code: 'internal', message: expect.stringContaining(v(9)) });
  });

  it('reports a binary secret and an unexpected response as invalid_input', async () => {
    const { client } = await s.client.load();
    await client.send(
      new CreateSecretCommand({ Name: 'm2m/binary', SecretBinary: new Uint8Array([1, 2, 3]) }),
    );
    expect(await errorOf(s.store.get('m2m/binary'))).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('binary'),
    });
    s.fake.malformedNext('GetSecretValue', { SecretString: 'leaked?', VersionStages: 'AWSCURRENT' });
    const error = await errorOf(s.store.get(SECRET));
    expect(error).toMatchObject({
      code: 'invalid_input',
      message: 'Secrets Manager returned an unexpected GetSecretValue response (at VersionId)',
    });
  });
});

describe('SecretsManagerSecretStore when Secrets Manager fails', () => {
  it('retries putPending after a 500 that came after the write, and stores one version', async () => {
    s.fake.crashAfter('PutSecretValue');
    await s.store.putPending(SECRET, v(2), 'new-secret-value');
    expect(s.fake.requestsFor('PutSecretValue').map((c) => c.outcome)).toEqual(['crashed', 'answered']);
    expect(s.fake.stagesOf(SECRET)).toEqual({ [v(1)]: ['AWSCURRENT'], [v(2)]: ['AWSPENDING'] });
  });

  it('finishes a promotion whose answer was lost, by re-checking the labels after AWS refuses the retry', async () => {
    await s.store.putPending(SECRET, v(2), 'new-secret-value');
    s.fake.crashAfter('UpdateSecretVersionStage', { drop: true });
    await s.store.moveStage(SECRET, 'AWSCURRENT', v(2), v(1));
    expect(s.fake.requests.slice(-3).map((c) => [c.op, c.outcome, c.errorType])).toEqual([
      ['UpdateSecretVersionStage', 'dropped', undefined],
      ['UpdateSecretVersionStage', 'answered', 'InvalidParameterException'],
      ['DescribeSecret', 'answered', undefined],
    ]);
    expect(s.fake.stagesOf(SECRET)).toEqual({
      [v(1)]: ['AWSPREVIOUS'],
      [v(2)]: ['AWSPENDING', 'AWSCURRENT'],
    });
  });

  it('leaves the state readable after a 500 that came after the effect, so the caller can re-check', async () => {
    const once = await startStore(noRetries);
    try {
      once.fake.seed(SECRET, 'old-secret-value', { versionId: v(1) });
      await once.store.putPending(SECRET, v(2), 'new-secret-value');
      once.fake.crashAfter('UpdateSecretVersionStage');
      const error = await errorOf(once.store.moveStage(SECRET, 'AWSCURRENT', v(2), v(1)));
      expect(error).toMatchObject({
        code: 'dependency_failed',
        message: expect.stringContaining(`UpdateSecretVersionStage ${SECRET} failed: server error (HTTP 500`),
      });
      expect(await once.store.describe(SECRET)).toEqual({
        [v(1)]: ['AWSPREVIOUS'],
        [v(2)]: ['AWSPENDING', 'AWSCURRENT'],
      });
      expect((await once.store.get(SECRET))?.versionId).toBe(v(2));
    } finally {
      await once.close();
    }
  });

  it('gives up after the policy attempts during an outage, naming the operation and the secret', async () => {
    s.fake.outage();
    const error = await errorOf(s.store.get(SECRET));
    expect(error).toMatchObject({
      code: 'dependency_failed',
      message: `secrets_manager GetSecretValue ${SECRET} failed: server error (HTTP 500 InternalServiceError) after 3 attempts`,
    });
    expect(s.fake.requests).toHaveLength(3);
    expect(s.policy.lastFailure()?.reason).toContain('InternalServiceError');
  });

  it('opens the breaker after consecutive server errors and then fails fast', async () => {
    const fragile = await startStore({
      ...noRetries,
      breaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000, maxHalfOpenAfterMs: 60_000 },
    });
    try {
      fragile.fake.seed(SECRET, 'old-secret-value');
      fragile.fake.outage();
      await errorOf(fragile.store.describe(SECRET));
      await errorOf(fragile.store.describe(SECRET));
      const error = await errorOf(fragile.store.describe(SECRET));
      expect(error).toMatchObject({ code: 'dependency_unavailable' });
      expect(fragile.fake.requests).toHaveLength(2);
      expect(fragile.healthEvents.map((e) => [e.type, e.dependency])).toEqual([
        ['breaker_opened', 'secrets_manager'],
      ]);
    } finally {
      await fragile.close();
    }
  });

  it('times out a call slower than the policy allows', async () => {
    const slow = await startStore({ ...noRetries, timeoutMs: 100 });
    try {
      slow.fake.seed(SECRET, 'old-secret-value');
      slow.fake.latency('GetSecretValue', 400);
      const error = await errorOf(slow.store.get(SECRET));
      expect(error).toMatchObject({ code: 'timeout' });
    } finally {
      await slow.close();
    }
  });

  it("stops at once when the caller's signal aborts, and sends nothing once it has", async () => {
    s.fake.latency('DescribeSecret', 1_000);
    const controller = new AbortController();
    const pending = errorOf(s.store.describe(SECRET, controller.signal));
    await expect.poll(() => s.fake.requests.length).toBe(1);
    controller.abort();
    expect(await pending).toMatchObject({ code: 'cancelled' });
    expect(await errorOf(s.store.get(SECRET, 'AWSCURRENT', controller.signal))).toMatchObject({
      code: 'cancelled',
    });
    expect(s.fake.requests).toHaveLength(1);
  });
});
