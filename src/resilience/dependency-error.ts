import type { DependencyName } from '../core/events/health-events.js';
import { AppError, type AppErrorCode } from '../errors.js';
import type { FailureInfo } from './http-failure.js';

/** How one `execute` ended, after any retries. */
export type CallOutcome =
  | 'success'
  | 'failure' // 5xx, network, or our credential refused: the dependency is in trouble
  | 'timeout'
  | 'rate_limited'
  | 'client_error' // a 4xx other than 429: the dependency is up, the request was refused
  | 'circuit_open' // failed fast without calling the dependency
  | 'cancelled'
  | 'error'; // something unexpected, most likely our own bug

export interface FailureContext {
  readonly dependency: DependencyName;
  readonly operation: string;
  /** Attempts made, counting the first. */
  readonly attempts: number;
}

const codeFor = (info: FailureInfo): AppErrorCode => {
  switch (info.kind) {
    case 'rate_limited':
      return 'rate_limited';
    case 'timeout':
      return 'timeout';
    case 'cancelled':
      return 'cancelled';
    case 'circuit_open':
      return 'dependency_unavailable';
    case 'auth':
      return info.tokenRequest ? 'dependency_auth_failed' : 'dependency_failed';
    case 'server_error':
    case 'network':
      return 'dependency_failed';
    case 'client_error':
      if (info.status === 404) return 'not_found';
      if (info.status === 409) return 'conflict';
      if (info.status === 400 || info.status === 422) return 'invalid_input';
      return 'dependency_failed';
    case 'unknown':
      return 'internal';
  }
};

/**
 * The error `execute` finally throws: an AppError with a stable code whose message names the
 * dependency, the operation and a safe reason, and keeps the original as `cause` for adapters
 * that need the details (e.g. a 404 that means "offline"). An AppError thrown by the adapter's
 * own function passes through untouched.
 */
export const toDependencyError = (error: unknown, info: FailureInfo, context: FailureContext): AppError => {
  if (error instanceof AppError) return error;
  const { dependency, operation, attempts } = context;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const wait =
    info.kind === 'rate_limited' && info.retryAfterMs !== undefined
      ? `; the server asked to wait ${Math.ceil(info.retryAfterMs / 1000)} s`
      : '';
  const hint = info.kind === 'auth' && info.tokenRequest ? '; its own credential may be wrong' : '';
  return new AppError(
    codeFor(info),
    `${dependency} ${operation} failed: ${info.reason}${tries}${wait}${hint}`,
    { cause: error },
  );
};

export const outcomeOf = (info: FailureInfo): CallOutcome => {
  switch (info.kind) {
    case 'rate_limited':
    case 'timeout':
    case 'cancelled':
    case 'circuit_open':
      return info.kind;
    case 'client_error':
      return 'client_error';
    case 'auth':
      return info.tokenRequest ? 'failure' : 'client_error';
    case 'server_error':
    case 'network':
      return 'failure';
    case 'unknown':
      return 'error';
  }
};
