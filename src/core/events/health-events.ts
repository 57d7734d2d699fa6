/**
 * The bot's own health as a stream of typed events: the resilience layer publishes a breaker's
 * transitions here and the incident pipeline subscribes ("the bot cannot reach Auth0" is itself
 * an incident). Synchronous and in-process: delivery happens inside `publish`.
 */

export const DEPENDENCY_NAMES = ['auth0', 'secrets_manager', 'llm', 'slack'] as const;
export type DependencyName = (typeof DEPENDENCY_NAMES)[number];

/** A circuit breaker's state as shown to people (`/auth0 status`, App Home, the gauge). */
export type BreakerState = 'closed' | 'half_open' | 'open';

export type HealthEventType = 'breaker_opened' | 'breaker_half_open' | 'breaker_closed';

export interface HealthEvent {
  readonly type: HealthEventType;
  readonly dependency: DependencyName;
  readonly at: Date;
  /** Why, for people: e.g. `HTTP 503 (logs.list)`. Never a secret, a request body or a header. */
  readonly reason?: string;
}

export type HealthListener = (event: HealthEvent) => void;

export interface HealthEvents {
  /** Returns the unsubscribe function; calling it twice is harmless. */
  subscribe(listener: HealthListener): () => void;
  /** Delivers to every current listener; one listener throwing never stops the others or the publisher. */
  publish(event: HealthEvent): void;
  /** The last event published for `dependency`, if any. */
  latest(dependency: DependencyName): HealthEvent | undefined;
}

export interface HealthEventsOptions {
  /** Told about a listener that threw (or rejected); the composition root points it at the logger. */
  readonly onListenerError?: (error: unknown, event: HealthEvent) => void;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && 'then' in value && typeof value.then === 'function';

export const createHealthEvents = (options: HealthEventsOptions = {}): HealthEvents => {
  // Each subscription is its own entry, so subscribing one function twice needs two unsubscribes.
  const listeners = new Set<{ readonly listener: HealthListener }>();
  const latestByDependency = new Map<DependencyName, HealthEvent>();

  const report = (error: unknown, event: HealthEvent): void => {
    try {
      options.onListenerError?.(error, event);
    } catch {
      // The error reporter itself failed: nothing sensible is left to tell.
    }
  };

  const deliver = (listener: HealthListener, event: HealthEvent): void => {
    try {
      // An async listener is typed as returning void; its rejection must not go unhandled.
      const call: (event: HealthEvent) => unknown = listener;
      const result = call(event);
      if (isThenable(result)) {
        result.then(undefined, (error: unknown) => {
          report(error, event);
        });
      }
    } catch (error) {
      report(error, event);
    }
  };

  return {
    subscribe(listener) {
      const entry = { listener };
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
    publish(event) {
      latestByDependency.set(event.dependency, event);
      // A snapshot, so a listener that (un)subscribes during delivery does not change this round.
      for (const { listener } of [...listeners]) deliver(listener, event);
    },
    latest(dependency) {
      return latestByDependency.get(dependency);
    },
  };
};
