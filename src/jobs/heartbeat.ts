import type { BeatOutcome } from '../core/heartbeat/heartbeat.js';
import type { IntervalJob } from './job.js';

/** HEARTBEAT_URL, every minute: the services' default period, so their grace time fits. */
export const heartbeatJob = (deps: {
  readonly heartbeat: { beat(signal: AbortSignal): Promise<BeatOutcome> };
  readonly everyMs?: number;
}): IntervalJob => ({
  name: 'heartbeat',
  everyMs: deps.everyMs ?? 60_000,
  // The first poll may still be running at start: the first ping waits a period, within any grace time.
  runAtStart: false,
  run: async ({ signal }) => {
    const outcome = await deps.heartbeat.beat(signal);
    // A failed ping is the job failing (counted and logged by the scheduler); unhealthy is by design.
    if (outcome.kind === 'failed') throw outcome.error;
  },
});
