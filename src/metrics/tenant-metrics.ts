import { Counter, Gauge, type Registry } from 'prom-client';
import type { IngestResult } from '../core/logs/ingest.js';
import type { LogSource } from '../core/logs/ports.js';
import type { RateLimitReading } from '../core/tenant/rate-limit-budget.js';

export interface TenantMetrics {
  ingested(result: IngestResult, source: LogSource): void;
  logStreamRequest(outcome: string): void;
  jobRun(job: string, outcome: string): void;
  rateLimit(reading: RateLimitReading): void;
  pollLag(seconds: number): void;
  unknownLogTypes(counts: ReadonlyMap<string, number>): void;
  logFieldsDropped(counts: ReadonlyMap<string, number>): void;
}

/** Distinct `type` labels of the unknown-code counter; later codes are counted under `other`. */
const MAX_UNKNOWN_TYPE_LABELS = 50;

/** Metrics of tenant watching: ingestion, the Log Stream, jobs, the rate-limit budget. */
export const createTenantMetrics = (registry: Registry): TenantMetrics => {
  const registers = [registry];
  const ingested = new Counter({
    name: 'auth0oncall_logs_ingested_total',
    help: 'Tenant log events stored for the first time, by source (a duplicate from the other source is not counted).',
    labelNames: ['source'],
    registers,
  });
  const duplicates = new Counter({
    name: 'auth0oncall_logs_duplicate_total',
    help: 'Log events seen again (push and poll overlap, redeliveries).',
    labelNames: ['source'],
    registers,
  });
  const malformed = new Counter({
    name: 'auth0oncall_logs_malformed_total',
    help: 'Log entries skipped because they did not match the log schema.',
    labelNames: ['source'],
    registers,
  });
  const streamRequests = new Counter({
    name: 'auth0oncall_log_stream_requests_total',
    help: 'Log Stream webhook requests by outcome.',
    labelNames: ['outcome'],
    registers,
  });
  const jobRuns = new Counter({
    name: 'auth0oncall_job_runs_total',
    help: 'Scheduled job runs by outcome (skipped = the previous run was still going).',
    labelNames: ['job', 'outcome'],
    registers,
  });
  const remaining = new Gauge({
    name: 'auth0oncall_ratelimit_remaining',
    help: 'Last x-ratelimit-remaining Auth0 reported, by bucket.',
    labelNames: ['bucket'],
    registers,
  });
  const throttled = new Counter({
    name: 'auth0oncall_auth0_429_total',
    help: 'HTTP 429 answers from Auth0, by bucket.',
    labelNames: ['bucket'],
    registers,
  });
  const lag = new Gauge({
    name: 'auth0oncall_log_poll_lag_seconds',
    help: 'Age of the newest ingested log event at the end of the last poll.',
    registers,
  });
  const unknownTypes = new Counter({
    name: 'auth0oncall_unknown_log_types_total',
    help: `Log events whose type code the catalogue does not know (docs/log-codes.md), by type; after ${MAX_UNKNOWN_TYPE_LABELS} distinct types, under "other".`,
    labelNames: ['type'],
    registers,
  });
  const typeLabels = new Set<string>();
  const fieldsDropped = new Counter({
    name: 'auth0oncall_log_fields_dropped_total',
    help: 'Optional log fields of the wrong type dropped from an event that was kept, by field.',
    labelNames: ['field'],
    registers,
  });
  return {
    unknownLogTypes: (counts) => {
      for (const [type, n] of counts) {
        if (!typeLabels.has(type) && typeLabels.size < MAX_UNKNOWN_TYPE_LABELS) typeLabels.add(type);
        unknownTypes.inc({ type: typeLabels.has(type) ? type : 'other' }, n);
      }
    },
    // Field names come from the parser's fixed list of optional fields: bounded.
    logFieldsDropped: (counts) => {
      for (const [field, n] of counts) fieldsDropped.inc({ field }, n);
    },
    ingested: (r, source) => {
      ingested.inc({ source }, r.accepted);
      duplicates.inc({ source }, r.duplicates);
      malformed.inc({ source }, r.malformed);
    },
    logStreamRequest: (outcome) => {
      streamRequests.inc({ outcome });
    },
    jobRun: (job, outcome) => {
      jobRuns.inc({ job, outcome });
    },
    rateLimit: (reading) => {
      if (reading.remaining !== undefined) remaining.set({ bucket: reading.bucket }, reading.remaining);
      if (reading.status === 429) throttled.inc({ bucket: reading.bucket });
    },
    pollLag: (seconds) => {
      lag.set(seconds);
    },
  };
};
