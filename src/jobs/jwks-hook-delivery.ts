import type { HookDeliveryPass } from '../core/jwks-hooks/delivery.js';
import type { IntervalJob } from './job.js';

/**
 * Retries JWKS-refresh hooks a receiver did not acknowledge, and reports finished notifications
 * to their incident thread; each delivery waits out its own backoff.
 */
export const jwksHookDeliveryJob = (deps: {
  readonly delivery: HookDeliveryPass;
  readonly everyMs: number;
}): IntervalJob => ({
  name: 'jwks.hooks',
  everyMs: deps.everyMs,
  // Hooks a crash left queued go out as soon as the app is back.
  runAtStart: true,
  run: () => deps.delivery.deliver(),
});
