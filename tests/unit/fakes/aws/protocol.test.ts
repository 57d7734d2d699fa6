import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REDACTED } from '@auth0-oncall/fakes/aws';
import { errorOf, rawCall, SECRET, startFixture, v, type Fixture } from './helpers.js';

let f: Fixture;

beforeEach(async () => {
  f = await startFixture();
});

afterEach(async () => {
  await f.close();
});

describe('FakeSecretsManager wire protocol', () => {
  it('answers the real SDK with the AWSCURRENT version, its labels and its creation date', async () => {
    const { arn, versionId } = f.fake.seed(SECRET, 'current-value');
    const out = await f.client.send(new GetSecretValueCommand({ SecretId: SECRET }));
    expect(out).toMatchObject({
      ARN: arn,
      Name: SECRET,
      VersionId: versionId,
      SecretString: 'current-value',
      VersionStages: ['AWSCURRENT'],
    });
    expect(out.CreatedDate).toBeInstanceOf(Date);
    expect(arn).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:m2m\/billing-worker-\w{6}$/);
  });

  it('finds a secret by its ARN as well as by its name', async () => {
    const { arn } = f.fake.seed(SECRET, 'current-value');
    const out = await f.client.send(new GetSecretValueCommand({ SecretId: arn }));
    expect(out.Name).toBe(SECRET);
  });

  it('reports a missing secret as a 400 ResourceNotFoundException the SDK can match by class', async () => {
    const error = await errorOf(f.client.send(new GetSecretValueCommand({ SecretId: 'nope' })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: "Secrets Manager can't find the specified secret.",
    });
  });

  it('sends errors as {"__type", "Message"} JSON with status 400', async () => {
    const reply = await rawCall(
      f.fake,
      'secretsmanager.DescribeSecret',
      JSON.stringify({ SecretId: 'nope' }),
    );
    expect(reply).toEqual({
      status: 400,
      body: {
        __type: 'ResourceNotFoundException',
        Message: "Secrets Manager can't find the specified secret.",
      },
    });
  });

  it('refuses a request without an Authorization header', async () => {
    f.fake.seed(SECRET, 'current-value');
    const reply = await rawCall(
      f.fake,
      'secretsmanager.GetSecretValue',
      JSON.stringify({ SecretId: SECRET }),
      {},
    );
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
    expect(f.fake.requests.at(-1)).toMatchObject({ hasAuthorization: false, status: 400 });
  });

  it('refuses an operation it does not know and a body that is not a JSON object', async () => {
    const unknown = await rawCall(f.fake, 'secretsmanager.RotateSecret', '{}');
    expect(unknown.body).toMatchObject({ __type: 'UnknownOperationException' });
    const otherService = await rawCall(f.fake, 'kms.Decrypt', '{}');
    expect(otherService.body).toMatchObject({ __type: 'UnknownOperationException' });
    expect(f.fake.requests.at(-1)?.op).toBe('kms.Decrypt');
    const notJson = await rawCall(f.fake, 'secretsmanager.DescribeSecret', '[1,');
    expect(notJson).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
  });

  it('rejects a version id outside 32–64 characters without echoing any field value', async () => {
    f.fake.seed(SECRET, 'current-value');
    const error = await errorOf(
      f.client.send(
        new PutSecretValueCommand({ SecretId: SECRET, ClientRequestToken: 'tok-1', SecretString: 'hunter2' }),
      ),
    );
    expect(error).toBeInstanceOf(SecretsManagerServiceException);
    expect(error).toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('ClientRequestToken'),
    });
    expect(String(error)).not.toMatch(/tok-1|hunter2/);
    expect(f.fake.versions(SECRET)).toHaveLength(1);
  });

  it('records each call with its operation and parameters, secret values redacted', async () => {
    f.fake.seed(SECRET, 'current-value');
    await f.client.send(
      new PutSecretValueCommand({
        SecretId: SECRET,
        ClientRequestToken: v(2),
        SecretString: 'pending-value',
        VersionStages: ['AWSPENDING'],
      }),
    );
    await f.client.send(new GetSecretValueCommand({ SecretId: SECRET, VersionStage: 'AWSPENDING' }));
    expect(f.fake.requests.map((call) => [call.op, call.status, call.outcome])).toEqual([
      ['PutSecretValue', 200, 'answered'],
      ['GetSecretValue', 200, 'answered'],
    ]);
    expect(f.fake.requestsFor('PutSecretValue')[0]?.params).toEqual({
      SecretId: SECRET,
      ClientRequestToken: v(2),
      SecretString: REDACTED,
      VersionStages: ['AWSPENDING'],
    });
    expect(f.fake.requests.every((call) => call.hasAuthorization)).toBe(true);
    expect(JSON.stringify(f.fake.requests)).not.toMatch(/pending-value|current-value/);
  });
});
