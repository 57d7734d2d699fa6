import { coalesce } from '../core/background/coalesce.js';
import { plural } from '../core/status/model.js';
import { createEventStreamDetector, DETECTED_KINDS } from '../core/event-streams/detection.js';
import { createTenantEventIngester } from '../core/event-streams/ingest.js';
import { createQueueConsumer } from '../core/event-streams/queue-consumer.js';
import { createSqsClient, SqsEventQueue } from '../aws/sqs-event-queue.js';
import { createEventStreamRoute } from '../http/event-stream.js';
import type { Route } from '../http/server.js';
import type { IntervalJob } from '../jobs/job.js';
import { abortableSleep } from '../jobs/sleep.js';
import { createEventStreamMetrics } from '../metrics/event-stream-metrics.js';
import type { Platform } from './platform.js';

/** SQS long polling: the longest wait, so an idle queue costs three receives a minute. */
const SQS_WAIT_SECONDS = 20;
/** Received this often and still failing: moved aside (a redrive policy to a DLQ does it too, on AWS's side). */
const SQS_MAX_RECEIVES = 5;
const EVALUATE_EVERY_MS = 60_000;
const PRUNE_EVERY_MS = 60 * 60_000;

export interface EventStreams {
  readonly routes: readonly Route[];
  readonly jobs: readonly IntervalJob[];
}

const authorizations = (config: Platform['config']['eventStreams']): string[] => [
  ...(config.token === undefined ? [] : [`Bearer ${config.token}`]),
  ...(config.basicAuth === undefined ? [] : [`Basic ${Buffer.from(config.basicAuth).toString('base64')}`]),
];

/**
 * Auth0 Event Streams: the webhook route (when a token or Basic credentials are set), the
 * EventBridge → SQS consumer (when a queue URL is set), the store and the detections. Decisions go
 * onto the bus as `event_stream_decisions`; the incident service applies them like the others.
 */
export const wireEventStreams = (platform: Platform): EventStreams => {
  const { config, logger, now, bus, stores } = platform;
  const settings = config.eventStreams;
  const metrics = createEventStreamMetrics(platform.metrics.registry);
  const detector = createEventStreamDetector({ store: stores.tenantEvents, now });
  const evaluate = () => {
    const decisions = detector.evaluate(stores.incidents.listOpen());
    if (decisions.length > 0) bus.publish({ type: 'event_stream_decisions', decisions });
    return Promise.resolve();
  };
  const detectOnNewEvents = coalesce(evaluate, (work) => {
    platform.tasks.spawn('event_streams.detect', work);
  });
  const ingester = createTenantEventIngester({
    store: stores.tenantEvents,
    uow: stores.db,
    now,
    onIngested: (events, result, via) => {
      metrics.ingested(result, via);
      if (events.some((e) => DETECTED_KINDS.has(e.kind))) detectOnNewEvents.trigger();
    },
    onRejected: (rejected) => {
      const first = rejected[0];
      logger.warn(
        {
          event: 'event_streams.rejected',
          count: rejected.length,
          via: first?.via,
          reason: first?.reason,
          ref: first?.ref,
        },
        `set aside ${plural(rejected.length, 'unusable Event Streams event')}`,
      );
    },
  });

  // A card opened by another signal gets what Event Streams saw meanwhile ("37 users blocked…").
  const own = new Set<string>([
    'mass_user_deletion',
    'mass_user_blocking',
    'signup_burst',
    'organization_connections',
  ]);
  bus.subscribe('incident_opened', ({ incidentId }) => {
    const incident = stores.incidents.get(incidentId);
    if (!incident || own.has(incident.signal)) return;
    const text = detector.recentActivity();
    if (text !== undefined) bus.publish({ type: 'incident_evidence', incidentId, text });
  });

  const accepted = authorizations(settings);
  const routes: Route[] =
    accepted.length === 0
      ? []
      : [
          createEventStreamRoute({
            authorizations: accepted,
            ingest: (values) => ingester.ingestValues(values),
            logger,
            onRequest: (outcome) => {
              metrics.request(outcome);
            },
          }),
        ];

  const jobs: IntervalJob[] = [
    { name: 'event_streams.evaluate', everyMs: EVALUATE_EVERY_MS, run: evaluate },
    {
      name: 'event_streams.prune',
      everyMs: PRUNE_EVERY_MS,
      run: () => {
        const before = new Date(now().getTime() - config.retention.logEventHours * 3_600_000).toISOString();
        const removed = stores.tenantEvents.prune(before);
        if (removed > 0)
          logger.debug({ event: 'event_streams.pruned', removed }, 'pruned old Event Streams events');
        return Promise.resolve();
      },
    },
  ];

  if (settings.sqsQueueUrl !== undefined && config.aws.region !== undefined) {
    const queue = new SqsEventQueue({
      client: createSqsClient({
        region: config.aws.region,
        endpoint: settings.sqsEndpoint,
        ...(platform.overrides.awsCredentials ? { credentials: platform.overrides.awsCredentials } : {}),
      }),
      queueUrl: settings.sqsQueueUrl,
      waitSeconds: SQS_WAIT_SECONDS,
      visibilitySeconds: settings.sqsVisibilitySeconds,
    });
    const consumer = createQueueConsumer({
      queue,
      ingester,
      visibilitySeconds: settings.sqsVisibilitySeconds,
      maxReceives: SQS_MAX_RECEIVES,
      sleep: (ms, signal) => abortableSleep(ms, signal).catch(() => undefined),
      onMovedAside: (message, reason) => {
        metrics.movedAside();
        logger.warn(
          { event: 'event_streams.sqs_moved_aside', messageId: message.messageId, reason },
          'an SQS message was moved aside',
        );
      },
      onError: (stage, err) => {
        metrics.queueError(stage);
        logger.warn({ event: 'event_streams.sqs_failed', stage, err }, `SQS ${stage} failed; backing off`);
      },
    });
    // A job, so the scheduler's stop() aborts the long poll and waits for the loop to end; the
    // loop runs until then, so a tick only matters if it ever ended (it is started again).
    jobs.push({
      name: 'event_streams.sqs',
      everyMs: 30_000,
      runAtStart: true,
      run: ({ signal }) => consumer.run(signal),
    });
  }
  return { routes, jobs };
};
