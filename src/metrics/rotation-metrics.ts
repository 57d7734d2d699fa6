import { Counter, type Registry } from 'prom-client';
import type { RotationResult } from '../core/rotation/ports.js';

const ROTATION_METRIC_OUTCOMES = [
  'succeeded',
  'failed',
  'rolled_back',
  'skipped',
  'already_running',
] as const;
export type RotationMetricOutcome = (typeof ROTATION_METRIC_OUTCOMES)[number];

/** Paused and unknown targets did not run: skipped; a refusal because one is running has its own label. */
export const rotationMetricOutcome = (result: RotationResult): RotationMetricOutcome => {
  if (result.ok) return 'succeeded';
  if ('reason' in result) return result.reason === 'already_running' ? 'already_running' : 'skipped';
  return result.rolledBack ? 'rolled_back' : 'failed';
};

export interface RotationMetrics {
  rotation(outcome: RotationMetricOutcome): void;
  /** Counts a rotate() result under its outcome. */
  result(result: RotationResult): void;
}

/** auth0oncall_rotations_total{outcome}: every label starts at 0, so rates exist at once. */
export const createRotationMetrics = (registry: Registry): RotationMetrics => {
  const rotations = new Counter({
    name: 'auth0oncall_rotations_total',
    help: 'Credential rotations by outcome: succeeded, failed, rolled_back, skipped, already_running.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  for (const outcome of ROTATION_METRIC_OUTCOMES) rotations.inc({ outcome }, 0);
  return {
    rotation(outcome) {
      rotations.inc({ outcome });
    },
    result(result) {
      rotations.inc({ outcome: rotationMetricOutcome(result) });
    },
  };
};
