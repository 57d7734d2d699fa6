import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  InternalServiceError,
  PutSecretValueCommand,
  ResourceNotFoundException,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSecretsManager, secretsManagerClientFor } from '@auth0-oncall/fakes/aws';
import { errorOf, type Fixture, SECRET, startFixture, v } from './helpers.js';

let f: Fixture;

beforeEach(async () => {
  f = await startFixture();
  f.fake.seed(SECRET, 'first', { versionId: v(1) });
});

afterEach(async () => {
  await f.close();
});

const describeSecret = () => f.client.send(new DescribeSecretCommand({ SecretId: SECRET }));
const putPending = (token: string, value = 'candidate') =>
  f.client.send(
    new PutSecretValueCommand({
      SecretId: SECRET,
      ClientRequestToken: token,
      SecretString: value,
      VersionStages: ['AWSPENDING'],
    }),
  );

describe('FakeSecretsManager fault injection', () => {
  it('fails the next calls of one operation as scripted, leaving other operations alone', async () => {
    f.fake.failNext('DescribeSecret', { type: 'ThrottlingException', status: 400, times: 2 });
    await f.client.send(new GetSecretValueCommand({ SecretId: SECRET }));
    const outcomes = [];
    for (let i = 0; i < 3; i += 1)
      outcomes.push(
        await describeSecret().then(
          () => 'ok',
          (e: unknown) => (e instanceof Error ? e.name : 'not an error'),
        ),
      );
    expect(outcomes).toEqual(['ThrottlingException', 'ThrottlingException', 'ok']);
    expect(f.fake.requestsFor('DescribeSecret').map((c) => c.outcome)).toEqual([
      'injected',
      'injected',
      'answered',
    ]);
  });

  it('fails any operation when scripted with *, and a failed call changes nothing', async () => {
    f.fake.failNext('*');
    const error = await errorOf(putPending(v(2)));
    expect(error).toBeInstanceOf(InternalServiceError);
    expect(error).toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 500 } });
    expect(f.fake.versions(SECRET)).toHaveLength(1);
  });

  it('answers every call with a 500 during an outage, and normally after restore()', async () => {
    f.fake.outage();
    expect(await errorOf(describeSecret())).toBeInstanceOf(InternalServiceError);
    expect(await errorOf(putPending(v(2)))).toBeInstanceOf(InternalServiceError);
    expect(f.fake.requests.map((c) => c.outcome)).toEqual(['outage', 'outage']);
    f.fake.restore();
    await putPending(v(2));
    expect(f.fake.stagesOf(SECRET)).toEqual({ [v(1)]: ['AWSCURRENT'], [v(2)]: ['AWSPENDING'] });
  });

  it('applies a call and then answers 500 after crashAfter, so the caller cannot tell it worked', async () => {
    f.fake.crashAfter('PutSecretValue');
    expect(await errorOf(putPending(v(2)))).toBeInstanceOf(InternalServiceError);
    expect(f.fake.stagesOf(SECRET)).toEqual({ [v(1)]: ['AWSCURRENT'], [v(2)]: ['AWSPENDING'] });
    expect(f.fake.requestsFor('PutSecretValue')[0]).toMatchObject({ outcome: 'crashed', status: 500 });
    await putPending(v(2));
    expect(f.fake.versions(SECRET)).toHaveLength(2);
  });

  it('can drop the connection after applying a call instead of answering', async () => {
    f.fake.crashAfter('UpdateSecretVersionStage', { drop: true });
    const move = new UpdateSecretVersionStageCommand({
      SecretId: SECRET,
      VersionStage: 'AWSPENDING',
      MoveToVersionId: v(1),
    });
    const error = await errorOf(f.client.send(move));
    expect(error).toMatchObject({ code: expect.stringMatching(/ECONNRESET|socket hang up/i) });
    expect(f.fake.stagesOf(SECRET)).toEqual({ [v(1)]: ['AWSCURRENT', 'AWSPENDING'] });
    expect(f.fake.requests.at(-1)).toMatchObject({ outcome: 'dropped', status: 0 });
  });

  it('keeps a crash armed until a call of that operation succeeds', async () => {
    f.fake.crashAfter('GetSecretValue');
    const missing = f.client.send(
      new GetSecretValueCommand({ SecretId: SECRET, VersionStage: 'AWSPENDING' }),
    );
    expect(await errorOf(missing)).toBeInstanceOf(ResourceNotFoundException);
    const crashed = f.client.send(new GetSecretValueCommand({ SecretId: SECRET }));
    expect(await errorOf(crashed)).toBeInstanceOf(InternalServiceError);
    expect((await f.client.send(new GetSecretValueCommand({ SecretId: SECRET }))).SecretString).toBe('first');
  });

  it('delays calls by the configured latency and still applies a call whose caller gave up', async () => {
    f.fake.latency('PutSecretValue', 150);
    const started = performance.now();
    const aborted = f.client.send(
      new PutSecretValueCommand({
        SecretId: SECRET,
        ClientRequestToken: v(2),
        SecretString: 'candidate',
        VersionStages: ['AWSPENDING'],
      }),
      { abortSignal: AbortSignal.timeout(30) },
    );
    expect(await errorOf(aborted)).toMatchObject({ name: expect.stringMatching(/Abort|Timeout/) });
    await expect.poll(() => f.fake.versions(SECRET).length, { timeout: 10_000 }).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    f.fake.latency('PutSecretValue', 0);
    await putPending(v(2));
  });

  it('answers a 200 with an unexpected body after malformedNext, changing nothing', async () => {
    f.fake.malformedNext('PutSecretValue', { Surprise: true });
    const out = await putPending(v(2));
    expect(out.VersionId).toBeUndefined();
    expect(f.fake.versions(SECRET)).toHaveLength(1);
  });

  it('lets stop() end a delayed request instead of waiting for it', async () => {
    const fake = await FakeSecretsManager.start();
    const client = secretsManagerClientFor(fake);
    fake.seed(SECRET, 'first');
    fake.latency('*', 10_000);
    const pending = errorOf(client.send(new DescribeSecretCommand({ SecretId: SECRET })));
    await expect.poll(() => fake.requests.length).toBe(1);
    const started = performance.now();
    await fake.stop();
    expect(await pending).toBeInstanceOf(Error);
    expect(performance.now() - started).toBeLessThan(1_000);
    client.destroy();
  });

  it('clears every scripted fault with clearFaults()', async () => {
    f.fake.failNext('*', { times: Infinity });
    f.fake.crashAfter('*');
    f.fake.latency('*', 5_000);
    f.fake.outage();
    f.fake.clearFaults();
    expect((await describeSecret()).Name).toBe(SECRET);
  });
});
