import { Counter, type Registry } from 'prom-client';
import type { StepMetrics, StepRunOutcome } from '../core/steps/step-runner.js';

const STEP_RUN_OUTCOMES: readonly StepRunOutcome[] = [
  'success',
  'failure',
  'denied',
  'duplicate',
  'cancelled',
  'invalid',
];

/** auth0oncall_step_runs_total{outcome}: every label starts at 0, so rates exist at once. */
export const createStepMetrics = (registry: Registry): StepMetrics => {
  const runs = new Counter({
    name: 'auth0oncall_step_runs_total',
    help: 'Runbook step clicks and runs by outcome: success, failure, denied, duplicate, cancelled, invalid.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  for (const outcome of STEP_RUN_OUTCOMES) runs.inc({ outcome }, 0);
  return {
    stepRun(outcome) {
      runs.inc({ outcome });
    },
  };
};
