import { toAppError } from '../../errors.js';
import { hookLabel } from './model.js';
import type {
  HookDelivery,
  HookNotification,
  HookOutcome,
  HookResult,
  HookSender,
  HookStore,
} from './ports.js';
import { SIGNATURE_HEADER, signHook } from './signature.js';

export interface HookDeliveryDeps {
  readonly store: HookStore;
  readonly sender: HookSender;
  /** JWKS_REFRESH_SECRET: it signs each attempt and goes nowhere else. */
  readonly secret: string;
  readonly now: () => Date;
  /** First retry after this long, doubling per attempt up to `maxDelayMs` (defaults 2 s, 5 min). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Attempts before a URL that keeps failing is given up on (default 8, about 8 minutes). */
  readonly maxAttempts?: number;
  /**
   * Tells the incident thread which hooks acknowledged; false when there is no thread to tell yet
   * (the incident's card is not posted). Asked again on later passes until `reportWithinMs`.
   */
  readonly report: (notification: HookNotification, results: readonly HookResult[]) => Promise<boolean>;
  /** How long an outcome waits for its incident's card before it is only logged (default 10 min). */
  readonly reportWithinMs?: number;
  readonly onError?: (what: string, error: unknown) => void;
  readonly onSettled?: (delivery: HookDelivery, outcome: 'delivered' | 'failed' | 'retry') => void;
}

export interface HookDeliveryPass {
  /** Posts every due delivery, then reports finished notifications. Concurrent calls share a pass. */
  deliver(): Promise<void>;
}

/** Every delivery of a notification has finished: acknowledged, or refused / given up on. */
export const allFinished = (results: readonly HookResult[]): boolean =>
  results.every((r) => r.state !== 'pending');

/** `acknowledged by a (204), b (200); not acknowledged by c (HTTP 401, 1 attempt)`. */
export const describeResults = (results: readonly HookResult[]): string => {
  const status = (r: HookResult) => (r.status === null ? 'no answer' : `HTTP ${r.status}`);
  const acked = results.filter((r) => r.state === 'delivered');
  const failed = results.filter((r) => r.state === 'failed');
  const waiting = results.filter((r) => r.state === 'pending');
  const parts = [
    acked.length > 0 &&
      `acknowledged by ${acked.map((r) => `${hookLabel(r.url)} (${String(r.status)})`).join(', ')}`,
    failed.length > 0 &&
      `not acknowledged by ${failed
        .map((r) => `${hookLabel(r.url)} (${status(r)}, ${r.attempts} attempt${r.attempts === 1 ? '' : 's'})`)
        .join(', ')}`,
    waiting.length > 0 &&
      `still retrying ${waiting.map((r) => `${hookLabel(r.url)} (${status(r)} so far)`).join(', ')}`,
  ].filter((p): p is string => typeof p === 'string');
  return parts.join('; ') || 'no hooks configured';
};

/**
 * Delivers hook notifications at least once. Unlike a Slack post, a repeated notification is
 * harmless (a receiver resets a cache), so nothing is looked up before a retry: the attempt is
 * counted, the request signed with the current time, posted, and the row settled by the answer.
 */
export const createHookDelivery = (deps: HookDeliveryDeps): HookDeliveryPass => {
  const base = deps.baseDelayMs ?? 2_000;
  const max = deps.maxDelayMs ?? 300_000;
  const maxAttempts = deps.maxAttempts ?? 8;
  const reportWithinMs = deps.reportWithinMs ?? 600_000;
  const at = () => deps.now().toISOString();
  const later = (attempts: number, retryAfterMs: number | undefined) => {
    const backoff = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
    return new Date(deps.now().getTime() + Math.max(backoff, retryAfterMs ?? 0)).toISOString();
  };

  const settle = (d: HookDelivery, attempts: number, outcome: HookOutcome): void => {
    if (outcome.ok) {
      deps.store.delivered(d.id, outcome.status, at());
      deps.onSettled?.(d, 'delivered');
      return;
    }
    if (outcome.permanent || attempts >= maxAttempts) {
      deps.store.failed(d.id, outcome.status, outcome.reason, at());
      deps.onSettled?.(d, 'failed');
      deps.onError?.(
        `JWKS hook ${hookLabel(d.url)}`,
        new Error(`${outcome.reason}${outcome.permanent ? '' : ` after ${attempts} attempts`}; given up`),
      );
      return;
    }
    deps.store.retryLater(d.id, later(attempts, outcome.retryAfterMs), outcome.status, outcome.reason);
    deps.onSettled?.(d, 'retry');
  };

  const deliverOne = async (d: HookDelivery): Promise<void> => {
    try {
      deps.store.attempting(d.id);
      const headers = {
        'content-type': 'application/json',
        'x-auth0-oncall-event-id': d.notificationId,
        [SIGNATURE_HEADER]: signHook(deps.secret, d.body, deps.now()),
      };
      settle(d, d.attempts + 1, await deps.sender.post(d.url, d.body, headers));
    } catch (error) {
      // The sender answers outcomes; a throw is our own fault (the database), so try again later.
      deps.store.retryLater(
        d.id,
        later(d.attempts + 1, undefined),
        null,
        toAppError(error).message.slice(0, 300),
      );
      deps.onError?.(`JWKS hook ${hookLabel(d.url)}`, error);
    }
  };

  const reportFinished = async () => {
    for (const n of deps.store.unreported(50)) {
      const results = deps.store.results(n.id);
      if (!allFinished(results)) continue;
      let told = false;
      try {
        told = await deps.report(n, results);
      } catch (error) {
        deps.onError?.(`JWKS hook outcome ${n.id}`, error);
      }
      const expired = deps.now().getTime() - Date.parse(n.createdAt) > reportWithinMs;
      if (told || expired) deps.store.markReported(n.id, at());
    }
  };

  const pass = async () => {
    const now = at();
    const due = deps.store.pending(200).filter((d) => d.nextAttemptAt <= now);
    // Receivers are independent: one slow URL must not hold back the others.
    await Promise.all(due.map(deliverOne));
    await reportFinished();
  };

  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const deliver = (): Promise<void> => {
    if (!running) {
      running = pass().finally(() => {
        running = undefined;
      });
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return deliver();
      });
    return queued;
  };
  return { deliver };
};
