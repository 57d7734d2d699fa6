/** A configured rotation target (ROTATION_TARGETS): which client, where its credential lives, how. */
export interface RotationTarget {
  readonly clientId: string;
  readonly strategy: 'client_secret' | 'private_key_jwt';
  /** Secrets Manager secret name or ARN. */
  readonly secretId: string;
}
