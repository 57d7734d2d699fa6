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
}

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
  return {
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
