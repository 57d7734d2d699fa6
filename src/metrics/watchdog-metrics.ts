import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * What watching the watcher needs (docs/prometheus/alerts.yml): whether the app thinks it is
 * healthy, when log polling last succeeded, and how the heartbeat fares. Gauges are read at
 * scrape time from the functions given.
 */
export interface WatchdogMetricsDeps {
  readonly healthy: () => boolean;
  readonly lastPollSuccess: () => Date | undefined;
}

export interface WatchdogMetrics {
  heartbeat(outcome: 'sent' | 'skipped_unhealthy' | 'failed'): void;
}

export const createWatchdogMetrics = (registry: Registry, deps: WatchdogMetricsDeps): WatchdogMetrics => {
  const registers = [registry];
  new Gauge({
    name: 'auth0oncall_healthy',
    help: 'The heartbeat condition: 1 while Slack is connected, the database healthy and log polling fresh.',
    registers,
    collect() {
      this.set(deps.healthy() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'auth0oncall_log_poll_last_success_timestamp_seconds',
    help: 'Unix time of the last successful log poll (0 before the first).',
    registers,
    collect() {
      this.set((deps.lastPollSuccess()?.getTime() ?? 0) / 1000);
    },
  });
  const pings = new Counter({
    name: 'auth0oncall_heartbeat_pings_total',
    help: 'Heartbeat ticks by outcome: sent, skipped_unhealthy (the switch is left to fire), failed.',
    labelNames: ['outcome'],
    registers,
  });
  for (const outcome of ['sent', 'skipped_unhealthy', 'failed']) pings.inc({ outcome }, 0);
  return {
    heartbeat: (outcome) => {
      pings.inc({ outcome });
    },
  };
};
