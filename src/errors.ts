/**
 * The one error type that crosses module boundaries. Codes are stable snake_case strings that
 * tests, logs and metrics key on; messages are for people and never carry a secret.
 */
export type AppErrorCode =
  | 'config_invalid'
  | 'database_unavailable'
  | 'migration_failed'
  | 'already_running' // another instance holds the database's lock
  | 'slack_unavailable'
  | 'slack_auth_failed'
  | 'http_unavailable'
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'append_only'
  | 'shutdown_timeout'
  | 'backup_failed'
  // An outside dependency (Auth0, Secrets Manager, the LLM, Slack), set by src/resilience:
  | 'dependency_unavailable' // its circuit breaker is open: calls fail fast
  | 'dependency_failed' // 5xx, network error or an unexpected 4xx, after any retries
  | 'dependency_auth_failed' // our own credential for it was refused
  | 'rate_limited'
  | 'timeout'
  | 'cancelled' // the caller aborted (e.g. shutdown), not the dependency's fault
  | 'internal';

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: AppErrorCode;

  constructor(code: AppErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export const isAppError = (value: unknown): value is AppError => value instanceof AppError;

/** Turns anything thrown at an edge into an AppError, keeping the original as `cause`. */
export const toAppError = (value: unknown, code: AppErrorCode = 'internal'): AppError => {
  if (value instanceof AppError) return value;
  if (value instanceof Error) return new AppError(code, value.message, { cause: value });
  return new AppError(code, typeof value === 'string' ? value : 'unknown error', { cause: value });
};
