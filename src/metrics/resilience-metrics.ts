import { Counter, Gauge, type Registry } from 'prom-client';
import type { BreakerState } from '../core/events/health-events.js';
import type { ResilienceMetrics } from '../resilience/policy-observer.js';

/** The gauge's encoding: it rises with how bad things are, so `max()` over time reads naturally. */
const BREAKER_STATE_VALUES: Readonly<Record<BreakerState, number>> = {
  closed: 0,
  half_open: 1,
  open: 2,
};

export const createResilienceMetrics = (registry: Registry): ResilienceMetrics => {
  const registers = [registry];
  const breakerState = new Gauge({
    name: 'auth0oncall_breaker_state',
    help: 'Circuit breaker state per dependency: 0 closed, 1 half-open, 2 open.',
    labelNames: ['dependency'],
    registers,
  });
  const calls = new Counter({
    name: 'auth0oncall_dependency_calls_total',
    help: 'Calls to a dependency by final outcome (after retries).',
    labelNames: ['dependency', 'outcome'],
    registers,
  });
  const retries = new Counter({
    name: 'auth0oncall_retries_total',
    help: 'Retried attempts of idempotent calls, per dependency.',
    labelNames: ['dependency'],
    registers,
  });
  return {
    setBreakerState: (dependency, state) => {
      breakerState.set({ dependency }, BREAKER_STATE_VALUES[state]);
    },
    countCall: (dependency, outcome) => {
      calls.inc({ dependency, outcome });
    },
    countRetry: (dependency) => {
      retries.inc({ dependency });
    },
  };
};
