import type * as SecretsManager from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import type { SecretStore, SecretVersion, StagingLabel } from '../core/secrets/ports.js';
import { AppError } from '../errors.js';
import type { DependencyPolicy } from '../resilience/index.js';
import type { LazySecretsManagerClient } from './secrets-client.js';

type Sdk = typeof SecretsManager;

export interface SecretsManagerSecretStoreOptions {
  /**
   * Built by createSecretsManagerClient (`maxAttempts: 1`: the policy is the only retry layer).
   * Loaded inside the policy, so an SDK that fails to load fails the call like any other error.
   */
  readonly client: LazySecretsManagerClient;
  /** The secrets_manager dependency policy. */
  readonly policy: DependencyPolicy;
}

const LABELS: readonly string[] = ['AWSCURRENT', 'AWSPENDING', 'AWSPREVIOUS'] satisfies StagingLabel[];
const isLabel = (value: string): value is StagingLabel => LABELS.includes(value);

const secretValueSchema = z.object({
  VersionId: z.string().min(1),
  SecretString: z.string().optional(),
  VersionStages: z.array(z.string()).optional(),
});
const describeSchema = z.object({ VersionIdsToStages: z.record(z.string(), z.array(z.string())).optional() });
const putSchema = z.object({ VersionId: z.string().min(1) });

/** Only the path of the first problem is named: a message could quote the value. */
const parse = <T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const path = result.error.issues[0]?.path.map(String).join('.') ?? '';
  throw new AppError(
    'invalid_input',
    `Secrets Manager returned an unexpected ${what}${path === '' ? '' : ` (at ${path})`}`,
  );
};

const missingSecret =
  (sdk: Sdk, secretId: string) =>
  (error: unknown): never => {
    if (error instanceof sdk.ResourceNotFoundException) {
      throw new AppError('not_found', `Secrets Manager has no secret "${secretId}"`, { cause: error });
    }
    throw error;
  };

/** UpdateSecretVersionStage refusing a move, e.g. one that already happened. */
const isRefusedMove = (sdk: Sdk | undefined, error: unknown): boolean =>
  sdk !== undefined &&
  error instanceof AppError &&
  (error.cause instanceof sdk.InvalidParameterException ||
    error.cause instanceof sdk.InvalidRequestException);

/**
 * The SecretStore port over AWS Secrets Manager. Every call is idempotent and so retried by the
 * policy: reads trivially, `putPending` through its ClientRequestToken, `moveStage` in effect
 * (a repeat that AWS refuses is re-checked against DescribeSecret). Errors name the secret id
 * and version ids, never a value.
 */
export class SecretsManagerSecretStore implements SecretStore {
  constructor(private readonly o: SecretsManagerSecretStoreOptions) {}

  get(
    secretId: string,
    stage: StagingLabel = 'AWSCURRENT',
    signal?: AbortSignal,
  ): Promise<SecretVersion | undefined> {
    return this.read(secretId, { VersionStage: stage }, signal);
  }

  getVersion(secretId: string, versionId: string, signal?: AbortSignal): Promise<SecretVersion | undefined> {
    return this.read(secretId, { VersionId: versionId }, signal);
  }

  describe(
    secretId: string,
    signal?: AbortSignal,
  ): Promise<Readonly<Record<string, readonly StagingLabel[]>>> {
    return this.call('DescribeSecret', secretId, signal, async (abortSignal) => {
      const { sdk, client } = await this.o.client.load();
      const output = await client
        .send(new sdk.DescribeSecretCommand({ SecretId: secretId }), { abortSignal })
        .catch(missingSecret(sdk, secretId));
      const { VersionIdsToStages = {} } = parse(describeSchema, output, 'DescribeSecret response');
      return Object.fromEntries(
        Object.entries(VersionIdsToStages).map(([versionId, stages]) => [versionId, stages.filter(isLabel)]),
      );
    });
  }

  async putPending(secretId: string, token: string, value: string, signal?: AbortSignal): Promise<void> {
    // AWS bounds version ids to 32–64 characters (API reference); say so before the round trip.
    if (token.length < 32 || token.length > 64) {
      throw new AppError(
        'invalid_input',
        `A version token must be 32 to 64 characters (a UUID); got ${token.length}`,
      );
    }
    await this.call('PutSecretValue', secretId, signal, async (abortSignal) => {
      const { sdk, client } = await this.o.client.load();
      const command = new sdk.PutSecretValueCommand({
        SecretId: secretId,
        ClientRequestToken: token,
        SecretString: value,
        // Without it the new version would become AWSCURRENT at once.
        VersionStages: ['AWSPENDING'],
      });
      const output = await client.send(command, { abortSignal }).catch((error: unknown) => {
        if (error instanceof sdk.ResourceExistsException) {
          throw new AppError(
            'conflict',
            `Secrets Manager already holds version ${token} of "${secretId}" with a different value: a resumed rotation must re-read it, not generate a new one`,
            { cause: error },
          );
        }
        return missingSecret(sdk, secretId)(error);
      });
      const { VersionId } = parse(putSchema, output, 'PutSecretValue response');
      if (VersionId !== token) {
        throw new AppError(
          'internal',
          `Secrets Manager stored "${secretId}" as version ${VersionId}, not ${token}`,
        );
      }
    });
  }

  async moveStage(
    secretId: string,
    stage: StagingLabel,
    toVersionId: string | undefined,
    fromVersionId: string | undefined,
    signal?: AbortSignal,
  ): Promise<void> {
    if (toVersionId === undefined && fromVersionId === undefined) {
      throw new AppError(
        'invalid_input',
        `Moving ${stage} on "${secretId}" needs a version to move it to or from`,
      );
    }
    const input = {
      SecretId: secretId,
      VersionStage: stage,
      ...(toVersionId === undefined ? {} : { MoveToVersionId: toVersionId }),
      ...(fromVersionId === undefined ? {} : { RemoveFromVersionId: fromVersionId }),
    };
    // Set once the SDK has loaded, to recognise its exceptions after the policy has wrapped them.
    let sdk: Sdk | undefined;
    let versionMissing: boolean;
    try {
      versionMissing = await this.call('UpdateSecretVersionStage', secretId, signal, async (abortSignal) => {
        const loaded = await this.o.client.load();
        sdk = loaded.sdk;
        return loaded.client
          .send(new loaded.sdk.UpdateSecretVersionStageCommand(input), { abortSignal })
          .then(
            () => false,
            (error: unknown) => {
              if (error instanceof loaded.sdk.ResourceNotFoundException) return true;
              throw error;
            },
          );
      });
    } catch (error) {
      // AWS refuses a repeat of a move whose first answer was lost (the label no longer sits on
      // RemoveFromVersionId); the caller asked for an end state, so check whether it holds.
      if (!isRefusedMove(sdk, error)) throw error;
      const stages = await this.describe(secretId, signal);
      const reached =
        toVersionId === undefined
          ? !(stages[fromVersionId ?? ''] ?? []).includes(stage)
          : (stages[toVersionId] ?? []).includes(stage);
      if (reached) return;
      throw error;
    }
    if (versionMissing) {
      await this.describe(secretId, signal); // throws not_found when the secret itself is missing
      throw new AppError(
        'not_found',
        `Secrets Manager secret "${secretId}" has no version ${toVersionId ?? fromVersionId ?? ''}`,
      );
    }
  }

  private async read(
    secretId: string,
    selector: { VersionStage: StagingLabel } | { VersionId: string },
    signal: AbortSignal | undefined,
  ): Promise<SecretVersion | undefined> {
    const found = await this.call('GetSecretValue', secretId, signal, async (abortSignal) => {
      const { sdk, client } = await this.o.client.load();
      const command = new sdk.GetSecretValueCommand({ SecretId: secretId, ...selector });
      const output = await client.send(command, { abortSignal }).catch((error: unknown) => {
        if (error instanceof sdk.ResourceNotFoundException) return undefined;
        throw error;
      });
      return output === undefined ? undefined : toSecretVersion(secretId, output);
    });
    // AWS says ResourceNotFoundException both for "no version has that label" (undefined) and for
    // "no such secret" (an error): DescribeSecret tells them apart.
    if (found === undefined) await this.describe(secretId, signal);
    return found;
  }

  private call<T>(
    operation: string,
    secretId: string,
    caller: AbortSignal | undefined,
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return this.o.policy.execute(fn, {
      idempotent: true,
      operation: `${operation} ${secretId}`,
      ...(caller === undefined ? {} : { signal: caller }),
    });
  }
}

const toSecretVersion = (secretId: string, output: unknown): SecretVersion => {
  const parsed = parse(secretValueSchema, output, 'GetSecretValue response');
  if (parsed.SecretString === undefined) {
    throw new AppError(
      'invalid_input',
      `Secrets Manager secret "${secretId}" version ${parsed.VersionId} holds binary data, not a string`,
    );
  }
  return {
    versionId: parsed.VersionId,
    value: parsed.SecretString,
    stages: (parsed.VersionStages ?? []).filter(isLabel),
  };
};
