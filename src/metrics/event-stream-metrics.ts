import { Counter, type Registry } from 'prom-client';
import type { EventIngestResult } from '../core/event-streams/ingest.js';
import type { EventVia } from '../core/event-streams/model.js';

export interface EventStreamMetrics {
  ingested(result: EventIngestResult, via: EventVia): void;
  request(outcome: string): void;
  movedAside(): void;
  queueError(stage: string): void;
}

/** Metrics of Auth0 Event Streams: events by route and outcome, webhook requests, the SQS consumer. */
export const createEventStreamMetrics = (registry: Registry): EventStreamMetrics => {
  const registers = [registry];
  const events = new Counter({
    name: 'auth0oncall_event_stream_events_total',
    help: 'Event Streams events by route (webhook, sqs) and outcome (accepted = stored the first time, duplicate, rejected).',
    labelNames: ['via', 'outcome'],
    registers,
  });
  const requests = new Counter({
    name: 'auth0oncall_event_stream_requests_total',
    help: 'Event Streams webhook requests by outcome.',
    labelNames: ['outcome'],
    registers,
  });
  const movedAside = new Counter({
    name: 'auth0oncall_event_stream_sqs_moved_aside_total',
    help: 'SQS messages received too often without being handled, recorded as rejected and deleted.',
    registers,
  });
  const queueErrors = new Counter({
    name: 'auth0oncall_event_stream_sqs_errors_total',
    help: 'SQS consumer failures by stage (receive, ingest, delete, extend); each backs off before trying again.',
    labelNames: ['stage'],
    registers,
  });
  return {
    ingested: (r, via) => {
      events.inc({ via, outcome: 'accepted' }, r.accepted);
      events.inc({ via, outcome: 'duplicate' }, r.duplicates);
      events.inc({ via, outcome: 'rejected' }, r.rejected);
    },
    request: (outcome) => {
      requests.inc({ outcome });
    },
    movedAside: () => {
      movedAside.inc();
    },
    queueError: (stage) => {
      queueErrors.inc({ stage });
    },
  };
};
