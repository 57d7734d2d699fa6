import type { IsoTimestamp } from '../audit/ports.js';
import type { ChatMessage } from '../incidents/ports.js';

/**
 * The durable Slack outbox: a message the app must deliver is written next to the state change
 * that caused it (inside that change's transaction) and delivered later, with retries, by
 * OutboxDelivery. A crash or a Slack outage delays a message; the dedupe key keeps it single.
 */
export interface OutboxMessage {
  /** Unique per message, e.g. `step:<claim key>`; enqueueing a key again is a no-op. */
  readonly key: string;
  readonly channel: string;
  /** The thread it belongs in; undefined for a message in the channel itself. */
  readonly threadTs?: string;
  readonly message: ChatMessage;
}

export interface OutboxEntry extends OutboxMessage {
  readonly id: number;
  /** Posts tried so far: above 0, the last one may have reached Slack without us hearing back. */
  readonly attempts: number;
  readonly nextAttemptAt: IsoTimestamp;
  readonly createdAt: IsoTimestamp;
}

export interface OutboxStore {
  /** Runs no transaction of its own: call it inside the state change's. False when the key exists. */
  enqueue(message: OutboxMessage, at: IsoTimestamp): boolean;
  /** Undelivered entries, oldest first (due or not: ordering within a thread depends on it). */
  pending(limit: number): OutboxEntry[];
  /** Committed before the post, so a crash during it leaves a row that says "look before posting". */
  attempting(id: number): void;
  delivered(id: number, ts: string, at: IsoTimestamp): void;
  retryLater(id: number, nextAttemptAt: IsoTimestamp, error: string): void;
  /** Slack refused the message for good (e.g. the thread is gone): kept for the record, never retried. */
  failed(id: number, error: string, at: IsoTimestamp): void;
}

/** What Slack said about one post. */
export type PostOutcome =
  | { readonly ok: true; readonly ts: string }
  | {
      readonly ok: false;
      /** Retrying cannot help (channel or thread gone, blocks refused). */
      readonly permanent: boolean;
      /** Slack's Retry-After, when it gave one. */
      readonly retryAfterMs?: number;
      readonly reason: string;
    };

/** The chat side of the outbox: posts carry the dedupe key so they can be found again. */
export interface OutboxChat {
  post(entry: OutboxMessage): Promise<PostOutcome>;
  /**
   * The ts of a message already posted with this key (in the thread, or among the channel's
   * recent messages), or undefined. Throws when Slack cannot be asked.
   */
  findPosted(entry: OutboxMessage, since: IsoTimestamp): Promise<string | undefined>;
}

/** What the features hold: write a message next to a state change, then ask for delivery. */
export interface Outbox {
  /** Runs no transaction of its own: call it inside the state change's. False when the key exists. */
  enqueue(message: OutboxMessage, at: IsoTimestamp): boolean;
  /** Delivers what is due now; what fails stays queued for the delivery job. Never throws. */
  deliver(): Promise<void>;
  /** Starts a delivery in the background, for callers that must not wait on Slack or the queue. */
  nudge(): void;
}
