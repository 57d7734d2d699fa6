import { toAppError } from '../../errors.js';
import type { OutboxChat, OutboxEntry, OutboxStore, PostOutcome } from './ports.js';

export interface OutboxDeliveryDeps {
  readonly store: OutboxStore;
  readonly chat: OutboxChat;
  readonly now: () => Date;
  /** First retry after this long, doubling per attempt up to `maxDelayMs` (defaults 2 s, 5 min). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** How many undelivered entries one pass looks at (default 200). */
  readonly batch?: number;
  readonly onError?: (what: string, error: unknown) => void;
  readonly onDelivered?: (entry: OutboxEntry, recovered: boolean) => void;
}

export interface OutboxDelivery {
  /**
   * Delivers every due entry once. Concurrent calls share one pass and queue at most one more,
   * so a caller that just enqueued a message is served by a pass that starts after its commit.
   */
  deliver(): Promise<void>;
}

const threadOf = (e: OutboxEntry) => `${e.channel}/${e.threadTs ?? ''}`;

/**
 * Posts outbox entries in order, per thread: an entry that cannot go yet holds back the later
 * ones of its thread, so lines never overtake each other. chat.postMessage is not idempotent, so
 * the attempt is recorded before the post; an entry with an earlier attempt is first looked for
 * in Slack (by its key in the message metadata) and only posted again when it is not there.
 */
export const createOutboxDelivery = (deps: OutboxDeliveryDeps): OutboxDelivery => {
  const base = deps.baseDelayMs ?? 2_000;
  const max = deps.maxDelayMs ?? 300_000;
  const at = () => deps.now().toISOString();
  const later = (attempts: number, retryAfterMs: number | undefined) => {
    const backoff = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
    return new Date(deps.now().getTime() + Math.max(backoff, retryAfterMs ?? 0)).toISOString();
  };

  const settle = (entry: OutboxEntry, attempts: number, outcome: PostOutcome): boolean => {
    if (outcome.ok) {
      deps.store.delivered(entry.id, outcome.ts, at());
      deps.onDelivered?.(entry, false);
      return true;
    }
    if (outcome.permanent) {
      deps.store.failed(entry.id, outcome.reason, at());
      deps.onError?.(`outbox ${entry.key}`, new Error(`Slack refused it: ${outcome.reason}`));
      return true;
    }
    deps.store.retryLater(entry.id, later(attempts, outcome.retryAfterMs), outcome.reason);
    return false;
  };

  /** True when the thread may go on to its next entry. */
  const deliverOne = async (entry: OutboxEntry): Promise<boolean> => {
    try {
      if (entry.attempts > 0) {
        const ts = await deps.chat.findPosted(entry, entry.createdAt);
        if (ts !== undefined) {
          deps.store.delivered(entry.id, ts, at());
          deps.onDelivered?.(entry, true);
          return true;
        }
      }
      deps.store.attempting(entry.id);
      return settle(entry, entry.attempts + 1, await deps.chat.post(entry));
    } catch (error) {
      const reason = toAppError(error).message.slice(0, 300);
      deps.store.retryLater(entry.id, later(entry.attempts + 1, undefined), reason);
      deps.onError?.(`outbox ${entry.key}`, error);
      return false;
    }
  };

  const pass = async () => {
    const now = at();
    const held = new Set<string>();
    for (const entry of deps.store.pending(deps.batch ?? 200)) {
      const thread = threadOf(entry);
      if (held.has(thread)) continue;
      if (entry.nextAttemptAt > now || !(await deliverOne(entry))) held.add(thread);
    }
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
