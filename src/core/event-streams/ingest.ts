import { createHash } from 'node:crypto';
import type { UnitOfWork } from '../logs/ports.js';
import {
  parseCloudEvent,
  unwrapEventBridge,
  type EventVia,
  type ParsedEvent,
  type TenantEvent,
} from './model.js';
import type { QueueMessage, RejectedEvent, TenantEventStore } from './ports.js';

export interface EventIngestResult {
  readonly received: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
}

export interface TenantEventIngesterDeps {
  readonly store: TenantEventStore;
  readonly uow: UnitOfWork;
  readonly now: () => Date;
  /** After commit, with the events stored for the first time (detection listens here). */
  readonly onIngested: (events: readonly TenantEvent[], result: EventIngestResult, via: EventVia) => void;
  /** After commit, once per request or batch with rejected items. */
  readonly onRejected?: (rejected: readonly RejectedEvent[]) => void;
}

export interface TenantEventIngester {
  /** Parsed JSON values from the webhook (one per CloudEvent); stores the batch in one transaction. */
  ingestValues(values: readonly unknown[]): EventIngestResult;
  /**
   * SQS messages from the EventBridge route, in one transaction: a message that is not JSON or
   * not a CloudEvent is recorded as rejected in the same commit, so it can be deleted too.
   */
  ingestMessages(messages: readonly QueueMessage[]): EventIngestResult;
  /** Records a message as moved aside (received too often without being handled). */
  moveAside(message: QueueMessage, reason: string): void;
}

interface Candidate {
  readonly parsed: ParsedEvent;
  readonly digest: string;
  readonly ref?: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const fromValue = (value: unknown): Candidate => ({
  parsed: parseCloudEvent(value),
  // Values come from JSON.parse, so they always stringify.
  digest: sha256(JSON.stringify(value)),
});

const fromMessage = (message: QueueMessage): Candidate => {
  let value: unknown;
  try {
    value = JSON.parse(message.body) as unknown;
  } catch {
    return {
      parsed: { ok: false, problem: 'message body is not JSON' },
      digest: sha256(message.body),
      ref: message.messageId,
    };
  }
  return {
    parsed: parseCloudEvent(unwrapEventBridge(value)),
    digest: sha256(message.body),
    ref: message.messageId,
  };
};

/**
 * Event Streams ingestion: each event is stored once by its id (Auth0 delivers at least once,
 * and the webhook and the queue may both carry it), in one transaction per request or batch, and
 * only then acknowledged: the webhook answers 2xx and the queue message is deleted after the
 * commit, so a crash before it means a redelivery, and the redelivery is a duplicate.
 */
export const createTenantEventIngester = (deps: TenantEventIngesterDeps): TenantEventIngester => {
  const commit = (candidates: readonly Candidate[], via: EventVia): EventIngestResult => {
    const at = deps.now().toISOString();
    const events: TenantEvent[] = [];
    const rejected: RejectedEvent[] = [];
    for (const c of candidates) {
      if (c.parsed.ok) events.push(c.parsed.event);
      else {
        const ref = c.parsed.id ?? c.ref;
        rejected.push({ via, reason: c.parsed.problem, digest: c.digest, at, ...(ref ? { ref } : {}) });
      }
    }
    const fresh = deps.uow.transaction(() => {
      for (const r of rejected) deps.store.reject(r);
      return deps.store.insert(events, via, at);
    });
    const result: EventIngestResult = {
      received: candidates.length,
      accepted: fresh.length,
      duplicates: events.length - fresh.length,
      rejected: rejected.length,
    };
    if (rejected.length > 0) deps.onRejected?.(rejected);
    deps.onIngested(fresh, result, via);
    return result;
  };

  return {
    ingestValues: (values) => commit(values.map(fromValue), 'webhook'),
    ingestMessages: (messages) => commit(messages.map(fromMessage), 'sqs'),
    moveAside: (message, reason) => {
      const rejected: RejectedEvent = {
        via: 'sqs',
        reason,
        digest: sha256(message.body),
        ref: message.messageId,
        at: deps.now().toISOString(),
      };
      deps.uow.transaction(() => {
        deps.store.reject(rejected);
      });
      deps.onRejected?.([rejected]);
    },
  };
};
