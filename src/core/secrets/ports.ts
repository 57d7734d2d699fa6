/**
 * AWS Secrets Manager as the domain sees it: versions with staging labels; AWSCURRENT is what
 * consumers read. Implemented by src/aws/. How rotation uses the labels:
 * docs/decisions/0003-client-secret-rotation-by-patch.md.
 */
export type StagingLabel = 'AWSCURRENT' | 'AWSPENDING' | 'AWSPREVIOUS';

export interface SecretVersion {
  readonly versionId: string;
  readonly value: string;
  readonly stages: readonly StagingLabel[];
}

export interface SecretStore {
  /** The value under a label (default AWSCURRENT), or undefined when no version carries it. */
  get(secretId: string, stage?: StagingLabel, signal?: AbortSignal): Promise<SecretVersion | undefined>;
  getVersion(secretId: string, versionId: string, signal?: AbortSignal): Promise<SecretVersion | undefined>;
  /** Which labels sit on which version. */
  describe(
    secretId: string,
    signal?: AbortSignal,
  ): Promise<Readonly<Record<string, readonly StagingLabel[]>>>;
  /**
   * Stores a new version as AWSPENDING under the caller's token (its VersionId). Idempotent: the
   * same token with the same value succeeds again; with another value it fails.
   */
  putPending(secretId: string, token: string, value: string, signal?: AbortSignal): Promise<void>;
  /** Moves a label to a version (AWS puts AWSPREVIOUS on the version AWSCURRENT leaves). */
  moveStage(
    secretId: string,
    stage: StagingLabel,
    toVersionId: string | undefined,
    fromVersionId: string | undefined,
    signal?: AbortSignal,
  ): Promise<void>;
}
