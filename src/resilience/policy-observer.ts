import type { AuditAction, AuditLog, AuditOutcome } from '../core/audit/ports.js';
import type {
  BreakerState,
  DependencyName,
  HealthEventSink,
  HealthEventType,
} from '../core/events/health-events.js';
import type { Logger } from '../logger.js';
import type { CallOutcome } from './dependency-error.js';

/** What the policies record; metrics/resilience-metrics.ts implements it with prom-client. */
export interface ResilienceMetrics {
  setBreakerState(dependency: DependencyName, state: BreakerState): void;
  countCall(dependency: DependencyName, outcome: CallOutcome): void;
  countRetry(dependency: DependencyName): void;
}

export interface PolicyObserverDeps {
  readonly dependency: DependencyName;
  readonly events: HealthEventSink;
  readonly metrics?: ResilienceMetrics;
  readonly logger?: Logger;
  readonly audit?: AuditLog;
  readonly now: () => Date;
}

interface BreakerOpened {
  readonly reason: string;
  /** When a trial call will next be let through. */
  readonly halfOpenAfterMs?: number;
}

interface RetryScheduled {
  readonly operation: string;
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
}

/**
 * The one place where breaker and retry events become log lines, metrics, audit rows and health
 * events. Every sink is isolated: a closed database or a throwing subscriber must never break
 * the call that happened to trigger the transition.
 */
export interface PolicyObserver {
  breakerOpened(info: BreakerOpened): void;
  breakerHalfOpen(): void;
  breakerClosed(): void;
  retryScheduled(info: RetryScheduled): void;
  retriesExhausted(info: { operation: string; attempts: number; reason: string }): void;
  callFinished(outcome: CallOutcome): void;
}

interface Transition {
  readonly state: BreakerState;
  readonly event: HealthEventType;
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  readonly summary: string;
}

const TRANSITIONS: Readonly<Record<BreakerState, Transition>> = {
  open: {
    state: 'open',
    event: 'breaker_opened',
    action: 'breaker.open',
    outcome: 'failure',
    summary: 'circuit opened: calls fail fast',
  },
  // 'started': a trial call is under way; breaker.open or breaker.close records how it ended.
  half_open: {
    state: 'half_open',
    event: 'breaker_half_open',
    action: 'breaker.half_open',
    outcome: 'started',
    summary: 'circuit half-open: trying one call',
  },
  closed: {
    state: 'closed',
    event: 'breaker_closed',
    action: 'breaker.close',
    outcome: 'success',
    summary: 'circuit closed: calls flow again',
  },
};

export const createPolicyObserver = (deps: PolicyObserverDeps): PolicyObserver => {
  const { dependency, logger } = deps;

  const isolated = (sink: string, effect: () => void): void => {
    try {
      effect();
    } catch (error) {
      try {
        logger?.error({ dependency, sink, err: error }, 'resilience observer sink failed');
      } catch {
        // Even logging failed; the call itself must still go on.
      }
    }
  };

  const transition = (state: BreakerState, reason?: string, halfOpenAfterMs?: number): void => {
    const t = TRANSITIONS[state];
    const at = deps.now();
    const fields = {
      dependency,
      breaker: state,
      ...(reason === undefined ? {} : { reason }),
      ...(halfOpenAfterMs === undefined ? {} : { halfOpenAfterMs }),
    };
    isolated('logger', () => {
      const message = `${dependency} ${t.summary}`;
      if (state === 'open') logger?.warn(fields, message);
      else logger?.info(fields, message);
    });
    isolated('metrics', () => deps.metrics?.setBreakerState(dependency, state));
    isolated('audit', () =>
      deps.audit?.append({
        at: at.toISOString(),
        actor: 'system',
        action: t.action,
        outcome: t.outcome,
        summary: `${dependency} ${t.summary}${reason === undefined ? '' : `: ${reason}`}`,
        detail: fields,
      }),
    );
    isolated('events', () => {
      deps.events.publish({
        type: t.event,
        dependency,
        at,
        ...(reason === undefined ? {} : { reason }),
      });
    });
  };

  isolated('metrics', () => deps.metrics?.setBreakerState(dependency, 'closed'));

  return {
    breakerOpened: ({ reason, halfOpenAfterMs }) => {
      transition('open', reason, halfOpenAfterMs);
    },
    breakerHalfOpen: () => {
      transition('half_open');
    },
    breakerClosed: () => {
      transition('closed');
    },
    retryScheduled: ({ operation, attempt, delayMs, reason }) => {
      isolated('metrics', () => deps.metrics?.countRetry(dependency));
      isolated('logger', () =>
        logger?.info(
          { dependency, operation, attempt, delayMs, reason },
          `${dependency} ${operation} retrying`,
        ),
      );
    },
    retriesExhausted: ({ operation, attempts, reason }) => {
      isolated('logger', () =>
        logger?.warn({ dependency, operation, attempts, reason }, `${dependency} ${operation} gave up`),
      );
    },
    callFinished: (outcome) => {
      isolated('metrics', () => deps.metrics?.countCall(dependency, outcome));
    },
  };
};
