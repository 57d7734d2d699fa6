import type { OutboxDelivery } from '../core/outbox/delivery.js';
import type { IntervalJob } from './job.js';

/**
 * Retries what the outbox could not deliver at once (Slack down, a crash mid-post); each entry
 * waits out its own backoff, so a frequent tick costs one indexed read when nothing is due.
 */
export const outboxDeliveryJob = (deps: {
  readonly delivery: OutboxDelivery;
  readonly everyMs: number;
}): IntervalJob => ({
  name: 'slack.outbox',
  everyMs: deps.everyMs,
  // Lines a crash left queued go out as soon as the app is back.
  runAtStart: true,
  run: () => deps.delivery.deliver(),
});
