/**
 * The awsJson1_1 operations: each validates its request with zod, calls the vault and shapes the
 * response as Secrets Manager does (timestamps in epoch seconds, blobs base64).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AwsError, invalidParameter } from './aws-error.js';
import type { SecretValue, SecretVault, StoredSecret, StoredVersion } from './secret-vault.js';
import { CURRENT } from './staging.js';
import type { SecretsOp } from './types.js';

// Length limits from the API reference: version ids (= ClientRequestToken) are 32–64 characters.
const versionId = z.string().min(32).max(64);
const secretId = z.string().min(1).max(2048);
const label = z.string().min(1).max(256);
const secretString = z.string().max(65_536);
const secretBinary = z.string().max(87_384);

const schemas = {
  CreateSecret: z.object({
    Name: z.string().min(1).max(512),
    ClientRequestToken: versionId.optional(),
    SecretString: secretString.optional(),
    SecretBinary: secretBinary.optional(),
    Description: z.string().max(2048).optional(),
  }),
  GetSecretValue: z.object({
    SecretId: secretId,
    VersionId: versionId.optional(),
    VersionStage: label.optional(),
  }),
  PutSecretValue: z.object({
    SecretId: secretId,
    ClientRequestToken: versionId.optional(),
    SecretString: secretString.optional(),
    SecretBinary: secretBinary.optional(),
    VersionStages: z.array(label).min(1).max(20).optional(),
  }),
  DescribeSecret: z.object({ SecretId: secretId }),
  UpdateSecretVersionStage: z.object({
    SecretId: secretId,
    VersionStage: label,
    MoveToVersionId: versionId.optional(),
    RemoveFromVersionId: versionId.optional(),
  }),
  ListSecretVersionIds: z.object({
    SecretId: secretId,
    MaxResults: z.number().int().min(1).max(100).optional(),
    NextToken: z.string().min(1).max(4096).optional(),
    IncludeDeprecated: z.boolean().optional(),
  }),
  DeleteSecret: z.object({
    SecretId: secretId,
    RecoveryWindowInDays: z.number().int().min(7).max(30).optional(),
    ForceDeleteWithoutRecovery: z.boolean().optional(),
  }),
} satisfies Record<SecretsOp, z.ZodType>;

/** Like AWS's own "1 validation error detected", but never echoing the value (it may be a secret). */
const parse = <T extends z.ZodType>(schema: T, params: unknown): z.infer<T> => {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => issue.path.join('.') || '(body)');
  throw new AwsError(
    'ValidationException',
    `${fields.length} validation error(s) detected: ${[...new Set(fields)].join(', ')} failed to satisfy constraint`,
  );
};

const valueOf = (input: { SecretString?: string; SecretBinary?: string }): SecretValue | undefined => {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) {
    throw invalidParameter("You can't specify both a binary secret value and a string secret value.");
  }
  if (input.SecretString !== undefined) return { secretString: input.SecretString };
  if (input.SecretBinary !== undefined) return { secretBinary: input.SecretBinary };
  return undefined;
};

const seconds = (ms: number): number => ms / 1000;

const names = (secret: StoredSecret) => ({ ARN: secret.arn, Name: secret.name });

const stagedVersions = (secret: StoredSecret): Record<string, string[]> =>
  Object.fromEntries(
    secret.versions.filter((v) => v.stages.length > 0).map((v) => [v.versionId, [...v.stages]]),
  );

const versionEntry = (version: StoredVersion) => ({
  VersionId: version.versionId,
  VersionStages: [...version.stages],
  CreatedDate: seconds(version.createdAt),
});

/** NextToken is opaque to callers; here it is the offset of the next version, base64url. */
const decodeNextToken = (token: string | undefined): number => {
  if (token === undefined) return 0;
  const offset = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) {
    throw new AwsError('InvalidNextTokenException', 'The NextToken value is not valid.');
  }
  return offset;
};

type Handler = (vault: SecretVault, params: unknown) => unknown;

export const operations: Readonly<Record<SecretsOp, Handler>> = {
  CreateSecret: (vault, params) => {
    const input = parse(schemas.CreateSecret, params);
    const value = valueOf(input);
    const { secret, version } = vault.create({
      name: input.Name,
      token: input.ClientRequestToken ?? randomUUID(),
      ...(value === undefined ? {} : { value }),
      ...(input.Description === undefined ? {} : { description: input.Description }),
    });
    return { ...names(secret), ...(version === undefined ? {} : { VersionId: version.versionId }) };
  },

  GetSecretValue: (vault, params) => {
    const input = parse(schemas.GetSecretValue, params);
    const { secret, version } = vault.read(input.SecretId, input.VersionId, input.VersionStage);
    return {
      ...names(secret),
      ...versionEntry(version),
      ...(version.value.secretString === undefined ? {} : { SecretString: version.value.secretString }),
      ...(version.value.secretBinary === undefined ? {} : { SecretBinary: version.value.secretBinary }),
    };
  },

  PutSecretValue: (vault, params) => {
    const input = parse(schemas.PutSecretValue, params);
    const value = valueOf(input);
    if (value === undefined) throw invalidParameter('You must provide either SecretString or SecretBinary.');
    // Without VersionStages the new version becomes AWSCURRENT at once.
    const stages = input.VersionStages ?? [CURRENT];
    const token = input.ClientRequestToken ?? randomUUID();
    const { secret, version } = vault.put(input.SecretId, token, value, stages);
    return { ...names(secret), VersionId: version.versionId, VersionStages: [...version.stages] };
  },

  DescribeSecret: (vault, params) => {
    const input = parse(schemas.DescribeSecret, params);
    const secret = vault.resolve(input.SecretId);
    return {
      ...names(secret),
      ...(secret.description === undefined ? {} : { Description: secret.description }),
      RotationEnabled: false,
      CreatedDate: seconds(secret.createdAt),
      LastChangedDate: seconds(secret.lastChangedAt),
      ...(secret.deletedAt === undefined ? {} : { DeletedDate: seconds(secret.deletedAt) }),
      VersionIdsToStages: stagedVersions(secret),
    };
  },

  UpdateSecretVersionStage: (vault, params) => {
    const input = parse(schemas.UpdateSecretVersionStage, params);
    const secret = vault.updateStage(
      input.SecretId,
      input.VersionStage,
      input.MoveToVersionId,
      input.RemoveFromVersionId,
    );
    return names(secret);
  },

  ListSecretVersionIds: (vault, params) => {
    const input = parse(schemas.ListSecretVersionIds, params);
    const secret = vault.active(input.SecretId);
    const listed = secret.versions.filter((v) => input.IncludeDeprecated === true || v.stages.length > 0);
    const offset = decodeNextToken(input.NextToken);
    const end = offset + (input.MaxResults ?? 100);
    return {
      ...names(secret),
      Versions: listed.slice(offset, end).map(versionEntry),
      ...(end < listed.length ? { NextToken: Buffer.from(String(end)).toString('base64url') } : {}),
    };
  },

  DeleteSecret: (vault, params) => {
    const input = parse(schemas.DeleteSecret, params);
    const force = input.ForceDeleteWithoutRecovery === true;
    if (force && input.RecoveryWindowInDays !== undefined) {
      throw invalidParameter(
        "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
      );
    }
    const secret = vault.remove(input.SecretId, force);
    const days = force ? 0 : (input.RecoveryWindowInDays ?? 30);
    return {
      ...names(secret),
      DeletionDate: seconds((secret.deletedAt ?? secret.lastChangedAt) + days * 86_400_000),
    };
  },
};

export const isSecretsOp = (value: string): value is SecretsOp => Object.hasOwn(operations, value);
