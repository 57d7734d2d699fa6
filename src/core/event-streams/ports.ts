import type { EventVia, TenantEvent, TenantEventKind } from './model.js';

/** An event that could not be used: counted and kept aside (reason and digest only, never the body). */
export interface RejectedEvent {
  readonly via: EventVia;
  readonly reason: string;
  /** sha256 of the raw item, to match it with the sender's copy. */
  readonly digest: string;
  /** The CloudEvent id or SQS message id, when one was readable. */
  readonly ref?: string;
  readonly at: string;
}

export interface TenantEventStore {
  /**
   * Stores the events not seen before (by id) and returns those; call it inside
   * `UnitOfWork.transaction` so a batch commits whole or not at all.
   */
  insert(events: readonly TenantEvent[], via: EventVia, receivedAt: string): TenantEvent[];
  reject(rejected: RejectedEvent): void;
  /** Distinct users with an event of `kind` at or after `since` (ISO); events without a user count once each. */
  countUsers(kind: TenantEventKind, since: string): number;
  /** user.created at or after `since`, per sign-up connection, most first. */
  signupsByConnection(since: string): Array<{ readonly connection: string; readonly count: number }>;
  /** organization.connection.* events at or after `since`, oldest first (at most `limit`). */
  organizationChanges(since: string, limit: number): TenantEvent[];
  /** Removes events that happened before `before`; returns how many. */
  prune(before: string): number;
}

/** One message taken from the queue: invisible to other receivers until deleted or its time runs out. */
export interface QueueMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** How many times the queue has handed this message out, this time included. */
  readonly receiveCount: number;
}

/** The queue the EventBridge rule fills (Amazon SQS in production). */
export interface EventQueue {
  /** Long-polls for up to `max` messages; an empty list when none came within the wait. */
  receive(max: number, signal: AbortSignal): Promise<QueueMessage[]>;
  /**
   * Deletes them. A handle the queue refuses has expired: that message was handed out again and
   * comes back, as a duplicate.
   */
  delete(messages: readonly QueueMessage[]): Promise<void>;
  /** Keeps them invisible `seconds` longer while a batch is still being handled. */
  extend(messages: readonly QueueMessage[], seconds: number): Promise<void>;
}
