/**
 * The bot's own health as a stream of typed events: the resilience layer publishes a breaker's
 * transitions to the event bus (bus.ts) and the incident pipeline subscribes ("the bot cannot
 * reach Auth0" is itself an incident).
 */

export type DependencyName = 'auth0' | 'secrets_manager' | 'llm' | 'slack';

/** A circuit breaker's state as shown to people (`/auth0 status`, App Home, the gauge). */
export type BreakerState = 'closed' | 'half_open' | 'open';

export const BREAKER_EVENTS = ['breaker_opened', 'breaker_half_open', 'breaker_closed'] as const;
export type HealthEventType = (typeof BREAKER_EVENTS)[number];

export interface HealthEvent {
  readonly type: HealthEventType;
  readonly dependency: DependencyName;
  readonly at: Date;
  /** Why, for people: e.g. `HTTP 503 (logs.list)`. Never a secret, a request body or a header. */
  readonly reason?: string;
}

/** Where the resilience layer reports breaker transitions (the event bus, in the running app). */
export interface HealthEventSink {
  publish(event: HealthEvent): void;
}
