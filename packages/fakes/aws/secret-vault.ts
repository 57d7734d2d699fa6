/**
 * The fake's state: secrets, their immutable versions and the staging labels on them. Every rule
 * of AWS's staging-label rules lives here or in staging.ts; failures are thrown as AwsError.
 */
import { randomBytes } from 'node:crypto';
import { AwsError, invalidRequest, secretNotFound } from './aws-error.js';
import { attachLabel, CURRENT, holderOf, updateStage, type Staged } from './staging.js';

/** Exactly one of the two is set; `secretBinary` is base64, as on the wire. */
export interface SecretValue {
  readonly secretString?: string;
  readonly secretBinary?: string;
}

export interface StoredVersion extends Staged {
  readonly value: SecretValue;
  readonly createdAt: number;
}

export interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly createdAt: number;
  lastChangedAt: number;
  deletedAt?: number;
  /** In creation order. */
  readonly versions: StoredVersion[];
}

export interface VaultOptions {
  readonly region: string;
  readonly accountId: string;
  readonly now: () => number;
}

export interface CreateInput {
  readonly name: string;
  readonly token: string;
  readonly value?: SecretValue;
  readonly description?: string;
}

const sameValue = (a: SecretValue, b: SecretValue): boolean =>
  a.secretString === b.secretString && a.secretBinary === b.secretBinary;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** AWS appends a hyphen and six random characters to a secret's name in its ARN. */
const arnSuffix = (): string =>
  [...randomBytes(6)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length] ?? 'x').join('');

export class SecretVault {
  private readonly secrets = new Map<string, StoredSecret>();

  constructor(private readonly o: VaultOptions) {}

  /** By name or full ARN. */
  find(secretId: string): StoredSecret | undefined {
    return this.secrets.get(secretId) ?? [...this.secrets.values()].find((s) => s.arn === secretId);
  }

  resolve(secretId: string): StoredSecret {
    const secret = this.find(secretId);
    if (secret === undefined) throw secretNotFound();
    return secret;
  }

  create(input: CreateInput): { secret: StoredSecret; version?: StoredVersion } {
    const existing = this.secrets.get(input.name);
    if (existing !== undefined) return this.recreate(existing, input);
    const now = this.o.now();
    const secret: StoredSecret = {
      name: input.name,
      arn: `arn:aws:secretsmanager:${this.o.region}:${this.o.accountId}:secret:${input.name}-${arnSuffix()}`,
      ...(input.description === undefined ? {} : { description: input.description }),
      createdAt: now,
      lastChangedAt: now,
      versions: [],
    };
    this.secrets.set(input.name, secret);
    if (input.value === undefined) return { secret };
    const version = this.addVersion(secret, input.token, input.value, [CURRENT]);
    return { secret, version };
  }

  /** PutSecretValue: a new version under `token`, or nothing at all if `token` already holds `value`. */
  put(
    secretId: string,
    token: string,
    value: SecretValue,
    stages: readonly string[],
  ): { secret: StoredSecret; version: StoredVersion } {
    const secret = this.active(secretId);
    const existing = secret.versions.find((v) => v.versionId === token);
    if (existing !== undefined) {
      if (!sameValue(existing.value, value)) {
        throw new AwsError(
          'ResourceExistsException',
          "You can't modify an existing version, you can only create a new version.",
        );
      }
      return { secret, version: existing };
    }
    return { secret, version: this.addVersion(secret, token, value, stages) };
  }

  /** GetSecretValue: by version, by label, or both (then they must agree); AWSCURRENT by default. */
  read(
    secretId: string,
    versionId?: string,
    stage?: string,
  ): { secret: StoredSecret; version: StoredVersion } {
    const secret = this.active(secretId);
    if (versionId !== undefined) {
      const version = secret.versions.find((v) => v.versionId === versionId);
      if (version === undefined) {
        throw valueNotFound(`VersionId: ${versionId}`);
      }
      if (stage !== undefined && !version.stages.includes(stage)) {
        throw valueNotFound(`VersionId: ${versionId} and staging label: ${stage}`);
      }
      return { secret, version };
    }
    const label = stage ?? CURRENT;
    const version = holderOf(secret.versions, label);
    if (version === undefined) throw valueNotFound(`staging label: ${label}`);
    return { secret, version };
  }

  updateStage(
    secretId: string,
    label: string,
    moveTo: string | undefined,
    removeFrom: string | undefined,
  ): StoredSecret {
    const secret = this.active(secretId);
    updateStage(secret.versions, label, moveTo, removeFrom);
    secret.lastChangedAt = this.o.now();
    return secret;
  }

  /** Without `force` the secret is only marked: reads fail until the (never-ending) recovery window. */
  remove(secretId: string, force: boolean): StoredSecret {
    const secret = this.resolve(secretId);
    secret.deletedAt ??= this.o.now();
    if (force) this.secrets.delete(secret.name);
    return secret;
  }

  /** The secret, unless it is marked for deletion. */
  active(secretId: string): StoredSecret {
    const secret = this.resolve(secretId);
    if (secret.deletedAt !== undefined) {
      throw invalidRequest(
        "You can't perform this operation on the secret because it was marked for deletion.",
      );
    }
    return secret;
  }

  /** CreateSecret for a name in use: a retry with the same token and value is a no-op. */
  private recreate(
    secret: StoredSecret,
    input: CreateInput,
  ): { secret: StoredSecret; version?: StoredVersion } {
    if (secret.deletedAt !== undefined) {
      throw invalidRequest(
        "You can't create this secret because a secret with this name is already scheduled for deletion.",
      );
    }
    const version = secret.versions.find((v) => v.versionId === input.token);
    if (version !== undefined && input.value !== undefined && sameValue(version.value, input.value)) {
      return { secret, version };
    }
    throw new AwsError(
      'ResourceExistsException',
      `The operation failed because the secret ${input.name} already exists.`,
    );
  }

  private addVersion(
    secret: StoredSecret,
    versionId: string,
    value: SecretValue,
    stages: readonly string[],
  ): StoredVersion {
    const version: StoredVersion = { versionId, value, stages: [], createdAt: this.o.now() };
    secret.versions.push(version);
    for (const label of new Set(stages)) attachLabel(secret.versions, label, version);
    secret.lastChangedAt = version.createdAt;
    return version;
  }
}

const valueNotFound = (what: string): AwsError =>
  new AwsError(
    'ResourceNotFoundException',
    `Secrets Manager can't find the specified secret value for ${what}`,
  );
