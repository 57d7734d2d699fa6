import type { EventIngestResult, TenantEventIngester } from './ingest.js';
import type { EventQueue, QueueMessage } from './ports.js';

/** SQS hands out at most 10 messages per receive. */
const BATCH = 10;
const DELETE_ATTEMPTS = 3;

export interface QueueConsumerOptions {
  readonly queue: EventQueue;
  readonly ingester: Pick<TenantEventIngester, 'ingestMessages' | 'moveAside'>;
  /** The queue's visibility timeout: a batch is extended by this much every half of it while in hand. */
  readonly visibilitySeconds: number;
  /** A message received this often that still fails is moved aside instead of retried again. */
  readonly maxReceives: number;
  /** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly backoff?: { readonly minMs: number; readonly maxMs: number };
  readonly onBatch?: (result: EventIngestResult) => void;
  readonly onMovedAside?: (message: QueueMessage, reason: string) => void;
  readonly onError: (stage: 'receive' | 'ingest' | 'delete' | 'extend', error: unknown) => void;
}

export interface QueueConsumer {
  /**
   * Receives, commits and deletes until `signal` aborts (which also ends a long poll at once);
   * run by a job, so a loop that ended for any reason is started again by the next tick.
   */
  run(signal: AbortSignal): Promise<void>;
}

/**
 * The EventBridge → SQS consumer. A message is deleted only after its events are committed; a
 * crash in between means the queue hands it out again when its visibility timeout ends, and the
 * store drops it as a duplicate (by event id). Failures back off exponentially instead of
 * receiving again at once, so a broken database or queue never turns into a hot loop; a message
 * that keeps failing is moved aside once it has been received `maxReceives` times.
 */
export const createQueueConsumer = (options: QueueConsumerOptions): QueueConsumer => {
  const { queue, ingester, sleep } = options;
  const minMs = options.backoff?.minMs ?? 1_000;
  const maxMs = options.backoff?.maxMs ?? 60_000;
  let failures = 0;

  const pause = async (signal: AbortSignal) => {
    failures += 1;
    await sleep(Math.min(maxMs, minMs * 2 ** (failures - 1)), signal);
  };

  /** Keeps the batch invisible while it is in hand (a slow commit, delete retries). */
  const heartbeat = (messages: readonly QueueMessage[]) => {
    const timer = setInterval(
      () => {
        queue.extend(messages, options.visibilitySeconds).catch((error: unknown) => {
          options.onError('extend', error);
        });
      },
      Math.max(500, (options.visibilitySeconds * 1000) / 2),
    );
    return () => {
      clearInterval(timer);
    };
  };

  /** Commits the batch; when the batch as a whole fails, each message on its own. */
  const commit = (messages: readonly QueueMessage[]): QueueMessage[] => {
    try {
      // Called first, not as the argument of `onBatch?.(…)`: an absent onBatch would skip it.
      const result = ingester.ingestMessages(messages);
      options.onBatch?.(result);
      return [...messages];
    } catch (error) {
      options.onError('ingest', error);
    }
    const done: QueueMessage[] = [];
    for (const message of messages) {
      try {
        const result = ingester.ingestMessages([message]);
        options.onBatch?.(result);
        done.push(message);
      } catch (error) {
        if (message.receiveCount < options.maxReceives) continue;
        const reason = `received ${message.receiveCount} times and failed each time`;
        try {
          ingester.moveAside(message, reason);
          options.onMovedAside?.(message, reason);
          done.push(message);
        } catch {
          options.onError('ingest', error);
        }
      }
    }
    return done;
  };

  const remove = async (messages: readonly QueueMessage[], signal: AbortSignal) => {
    for (let attempt = 1; attempt <= DELETE_ATTEMPTS; attempt += 1) {
      try {
        // A refused handle has expired: the message was handed out again, and counts as a duplicate then.
        await queue.delete(messages);
        return;
      } catch (error) {
        if (signal.aborted) return;
        options.onError('delete', error);
        await sleep(minMs * attempt, signal);
      }
    }
  };

  const once = async (signal: AbortSignal) => {
    let messages: QueueMessage[];
    try {
      messages = await queue.receive(BATCH, signal);
    } catch (error) {
      if (signal.aborted) return;
      options.onError('receive', error);
      await pause(signal);
      return;
    }
    if (messages.length === 0) return;
    const stopHeartbeat = heartbeat(messages);
    try {
      const done = commit(messages);
      // Deleted even when shutdown has begun: the commit is done, a redelivery would only be a duplicate.
      if (done.length > 0) await remove(done, signal);
      if (done.length < messages.length) await pause(signal);
      else failures = 0;
    } finally {
      stopHeartbeat();
    }
  };

  return {
    run: async (signal) => {
      while (!signal.aborted) await once(signal);
    },
  };
};
