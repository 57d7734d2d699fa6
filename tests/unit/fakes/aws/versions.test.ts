import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidNextTokenException,
  InvalidRequestException,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type Fixture, SECRET, startFixture, v } from './helpers.js';

let f: Fixture;

beforeEach(async () => {
  f = await startFixture();
});

afterEach(async () => {
  await f.close();
});

const put = (client: SecretsManagerClient, token: string, value: string, stages?: string[]) =>
  client.send(
    new PutSecretValueCommand({
      SecretId: SECRET,
      ClientRequestToken: token,
      SecretString: value,
      ...(stages === undefined ? {} : { VersionStages: stages }),
    }),
  );

describe('FakeSecretsManager versions', () => {
  it('creates a secret whose first version is AWSCURRENT, and repeats a create with the same token as a no-op', async () => {
    const create = new CreateSecretCommand({ Name: SECRET, ClientRequestToken: v(1), SecretString: 'first' });
    const created = await f.client.send(create);
    expect(created).toMatchObject({ Name: SECRET, VersionId: v(1) });
    expect((await f.client.send(create)).VersionId).toBe(v(1));
    expect(f.fake.stagesOf(SECRET)).toEqual({ [v(1)]: ['AWSCURRENT'] });
    const clash = new CreateSecretCommand({ Name: SECRET, ClientRequestToken: v(2), SecretString: 'other' });
    expect(await errorOf(f.client.send(clash))).toBeInstanceOf(ResourceExistsException);
  });

  it('makes a version AWSCURRENT when PutSecretValue names no stages, moving AWSPREVIOUS to the one it left', async () => {
    f.fake.seed(SECRET, 'first', { versionId: v(1) });
    const out = await put(f.client, v(2), 'second');
    expect(out.VersionStages).toEqual(['AWSCURRENT']);
    expect(f.fake.stagesOf(SECRET)).toEqual({ [v(1)]: ['AWSPREVIOUS'], [v(2)]: ['AWSCURRENT'] });
    await put(f.client, v(3), 'third');
    expect(f.fake.stagesOf(SECRET)).toEqual({ [v(2)]: ['AWSPREVIOUS'], [v(3)]: ['AWSCURRENT'] });
    expect(f.fake.versions(SECRET).find((x) => x.versionId === v(1))?.deprecated).toBe(true);
  });

  it('stores an AWSPENDING version without touching AWSCURRENT', async () => {
    f.fake.seed(SECRET, 'first', { versionId: v(1) });
    await put(f.client, v(2), 'candidate', ['AWSPENDING']);
    expect(f.fake.stagesOf(SECRET)).toEqual({ [v(1)]: ['AWSCURRENT'], [v(2)]: ['AWSPENDING'] });
    const current = await f.client.send(new GetSecretValueCommand({ SecretId: SECRET }));
    expect(current.SecretString).toBe('first');
  });

  it('ignores a repeated PutSecretValue with the same token and value', async () => {
    f.fake.seed(SECRET, 'first', { versionId: v(1) });
    await put(f.client, v(2), 'candidate', ['AWSPENDING']);
    const again = await put(f.client, v(2), 'candidate', ['AWSPENDING']);
    expect(again).toMatchObject({ VersionId: v(2), VersionStages: ['AWSPENDING'] });
    expect(f.fake.versions(SECRET)).toHaveLength(2);
  });

  it('refuses the same token with a different value and keeps the stored value', async () => {
    f.fake.seed(SECRET, 'first', { versionId: v(1) });
    await put(f.client, v(2), 'candidate', ['AWSPENDING']);
    expect(await errorOf(put(f.client, v(2), 'regenerated', ['AWSPENDING']))).toBeInstanceOf(
      ResourceExistsException,
    );
    expect(f.fake.versions(SECRET).find((x) => x.versionId === v(2))?.value).toBe('candidate');
  });

  it('reads by VersionId and VersionStage only when they agree', async () => {
    f.fake.seed(SECRET, 'first', { versionId: v(1) });
    await put(f.client, v(2), 'candidate', ['AWSPENDING']);
    const get = (input: { VersionId?: string; VersionStage?: string }) =>
      f.client.send(new GetSecretValueCommand({ SecretId: SECRET, ...input }));
    expect((await get({ VersionId: v(2), VersionStage: 'AWSPENDING' })).SecretString).toBe('candidate');
    expect((await get({ VersionId: v(2) })).SecretString).toBe('candidate');
    expect((await get({ VersionStage: 'AWSPENDING' })).VersionId).toBe(v(2));
    expect(await errorOf(get({ VersionId: v(1), VersionStage: 'AWSPENDING' }))).toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(await errorOf(get({ VersionStage: 'AWSPREVIOUS' }))).toBeInstanceOf(ResourceNotFoundException);
    expect(await errorOf(get({ VersionId: v(9) }))).toBeInstanceOf(ResourceNotFoundException);
  });

  it('describes labelled versions only and reports RotationEnabled false', async () => {
    f.fake.seed(SECRET, 'first', { versionId: v(1) });
    await put(f.client, v(2), 'second');
    await put(f.client, v(3), 'third');
    const out = await f.client.send(new DescribeSecretCommand({ SecretId: SECRET }));
    expect(out.RotationEnabled).toBe(false);
    expect(out.VersionIdsToStages).toEqual({ [v(2)]: ['AWSPREVIOUS'], [v(3)]: ['AWSCURRENT'] });
  });

  it('lists version ids page by page, deprecated ones only when asked', async () => {
    f.fake.seed(SECRET, 'value-1', { versionId: v(1) });
    for (const n of [2, 3, 4, 5]) await put(f.client, v(n), `value-${n}`);
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await f.client.send(
        new ListSecretVersionIdsCommand({
          SecretId: SECRET,
          MaxResults: 2,
          IncludeDeprecated: true,
          ...(token === undefined ? {} : { NextToken: token }),
        }),
      );
      pages.push((page.Versions ?? []).map((x) => x.VersionId ?? ''));
      token = page.NextToken;
    } while (token !== undefined);
    expect(pages).toEqual([[v(1), v(2)], [v(3), v(4)], [v(5)]]);
    const live = await f.client.send(new ListSecretVersionIdsCommand({ SecretId: SECRET }));
    expect(live.Versions?.map((x) => [x.VersionId, x.VersionStages])).toEqual([
      [v(4), ['AWSPREVIOUS']],
      [v(5), ['AWSCURRENT']],
    ]);
    const bad = new ListSecretVersionIdsCommand({ SecretId: SECRET, NextToken: 'not-a-token' });
    expect(await errorOf(f.client.send(bad))).toBeInstanceOf(InvalidNextTokenException);
  });

  it('refuses reads of a secret marked for deletion and forgets one deleted without recovery', async () => {
    f.fake.seed(SECRET, 'first');
    f.fake.seed('m2m/other', 'other');
    await f.client.send(new DeleteSecretCommand({ SecretId: SECRET, RecoveryWindowInDays: 7 }));
    expect(await errorOf(f.client.send(new GetSecretValueCommand({ SecretId: SECRET })))).toBeInstanceOf(
      InvalidRequestException,
    );
    expect((await f.client.send(new DescribeSecretCommand({ SecretId: SECRET }))).DeletedDate).toBeInstanceOf(
      Date,
    );
    await f.client.send(new DeleteSecretCommand({ SecretId: 'm2m/other', ForceDeleteWithoutRecovery: true }));
    const gone = f.client.send(new DescribeSecretCommand({ SecretId: 'm2m/other' }));
    expect(await errorOf(gone)).toBeInstanceOf(ResourceNotFoundException);
  });
});
