/** Public shapes of the fake Secrets Manager: operations, recorded calls, fault specs, options. */

export const SECRETS_OPS = [
  'CreateSecret',
  'GetSecretValue',
  'PutSecretValue',
  'DescribeSecret',
  'UpdateSecretVersionStage',
  'ListSecretVersionIds',
  'DeleteSecret',
] as const;

export type SecretsOp = (typeof SECRETS_OPS)[number];

/** An operation name, or `*` for every operation. */
export type OpSelector = SecretsOp | '*';

export interface FakeSecretsManagerOptions {
  /** Goes into ARNs only (default us-east-1). */
  readonly region?: string;
  /** Goes into ARNs only (default 000000000000). */
  readonly accountId?: string;
  /** Milliseconds since the epoch, for CreatedDate and friends (default Date.now). */
  readonly now?: () => number;
}

/** One version as the test hooks show it. `value` is the SecretString; `binary` the base64 blob. */
export interface VersionView {
  readonly versionId: string;
  readonly value?: string;
  readonly binary?: string;
  readonly stages: readonly string[];
  /** No staging label: AWS omits it from DescribeSecret and may delete it. */
  readonly deprecated: boolean;
  readonly createdAt: number;
}

/** What happened to a request, beyond its HTTP status. */
export type CallOutcome = 'answered' | 'injected' | 'crashed' | 'dropped' | 'outage' | 'pending';

export interface RecordedCall {
  /** The operation named by `X-Amz-Target`, or the raw header when it names none we know. */
  readonly op: string;
  /** The JSON body with `SecretString` and `SecretBinary` replaced by `[redacted]`. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly hasAuthorization: boolean;
  /** `now()` when the request arrived. */
  readonly at: number;
  /** 0 while unanswered, and for a dropped connection. */
  status: number;
  /** The AWS error code sent back (`__type`), if any. */
  errorType?: string;
  outcome: CallOutcome;
}

export interface ErrorSpec {
  /** AWS error code sent as `__type` (default InternalServiceError). */
  readonly type?: string;
  /** Default 500 for InternalServiceError and ServiceUnavailable, else 400. */
  readonly status?: number;
  readonly message?: string;
  /** Destroy the connection instead of answering (the SDK sees a network error). */
  readonly drop?: boolean;
}

export interface FailSpec extends ErrorSpec {
  /** How many matching calls fail (default 1; `Infinity` until cleared). */
  readonly times?: number;
}
