import type { Decision } from '../detection/model.js';
import type { HealthEvent } from './health-events.js';
import type { WatcherEvent } from '../watchers/model.js';
import type { RotationTrigger } from '../rotation/model.js';
import type { RotationResult } from '../rotation/ports.js';
import type { RotationTarget } from '../rotation/target.js';

/**
 * What one feature tells the others, in-process and typed. Features publish facts ("an incident
 * opened", "a rotation finished") instead of calling each other through late-bound callbacks, so
 * wiring can build them in any order and a new listener needs no change to the publisher.
 */
type DomainEvent =
  | HealthEvent
  | { readonly type: 'logs_ingested'; readonly accepted: number; readonly source: 'poll' | 'stream' }
  | { readonly type: 'watcher_signals'; readonly events: readonly WatcherEvent[] }
  /** A line of evidence for an incident's thread, from another feature (e.g. Event Streams activity). */
  | { readonly type: 'incident_evidence'; readonly incidentId: string; readonly text: string }
  /** Decisions drawn from Auth0 Event Streams events (src/core/event-streams/detection.ts). */
  | { readonly type: 'event_stream_decisions'; readonly decisions: readonly Decision[] }
  | { readonly type: 'incident_opened'; readonly incidentId: string }
  /** An open incident has no runbook yet (a restart or a writer outage interrupted it). */
  | { readonly type: 'runbook_missing'; readonly incidentId: string }
  /** Any incident changed: opened, acknowledged, escalated, resolved, card posted. */
  | { readonly type: 'incident_changed' }
  /** A rotation began (after its authorization and audit); `rotation_finished` follows. */
  | {
      readonly type: 'rotation_started';
      readonly target: RotationTarget;
      readonly trigger: RotationTrigger;
      readonly by: string;
    }
  | {
      readonly type: 'rotation_finished';
      readonly target: RotationTarget;
      readonly result: RotationResult;
      readonly trigger: RotationTrigger;
      readonly by: string;
    };

type DomainEventType = DomainEvent['type'];
/** The events whose type is one of `T` (a breaker event's type is itself a union, hence no plain Extract). */
export type EventOf<T extends DomainEventType> = DomainEvent extends infer E
  ? E extends { readonly type: infer U }
    ? [Extract<U, T>] extends [never]
      ? never
      : E
    : never
  : never;
/** A listener may be async; its promise is handed to `track` so shutdown waits for it. */
type EventListener<T extends DomainEventType> = (event: EventOf<T>) => unknown;

export interface EventBus {
  /** Returns the unsubscribe function; calling it twice is harmless. */
  subscribe<T extends DomainEventType>(types: T | readonly T[], listener: EventListener<T>): () => void;
  /** Delivers synchronously to every current listener; one failing never stops the others or the publisher. */
  publish(event: DomainEvent): void;
}

export interface EventBusOptions {
  /** Told about a listener that threw or rejected (wiring points it at the logger). */
  readonly onListenerError?: (error: unknown, event: DomainEvent) => void;
  /** Where an async listener's promise goes, so shutdown can wait for it (the background-task runner). */
  readonly track?: (name: string, work: Promise<unknown>) => void;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && 'then' in value && typeof value.then === 'function';

export const createEventBus = (options: EventBusOptions = {}): EventBus => {
  // Each subscription is its own entry, so subscribing one function twice needs two unsubscribes.
  const listeners = new Set<{
    readonly types: ReadonlySet<string>;
    readonly listener: (e: DomainEvent) => unknown;
  }>();

  const report = (error: unknown, event: DomainEvent): void => {
    try {
      options.onListenerError?.(error, event);
    } catch {
      // The error reporter itself failed: nothing sensible is left to tell.
    }
  };

  const deliver = (listener: (e: DomainEvent) => unknown, event: DomainEvent): void => {
    try {
      const result = listener(event);
      if (!isThenable(result)) return;
      const settled = Promise.resolve(result).then(undefined, (error: unknown) => {
        report(error, event);
      });
      options.track?.(`event:${event.type}`, settled);
    } catch (error) {
      report(error, event);
    }
  };

  return {
    subscribe(types, listener) {
      const entry = {
        types: new Set<string>(typeof types === 'string' ? [types] : types),
        // Safe: delivery below only hands an entry the event types it subscribed to.
        listener: listener as (e: DomainEvent) => unknown,
      };
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
    publish(event) {
      // A snapshot, so a listener that (un)subscribes during delivery does not change this round.
      for (const entry of [...listeners]) if (entry.types.has(event.type)) deliver(entry.listener, event);
    },
  };
};
