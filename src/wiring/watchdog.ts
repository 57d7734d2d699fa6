import { logsAreFresh } from '../core/detection/freshness.js';
import { createHeartbeat, type HealthCheck } from '../core/heartbeat/heartbeat.js';
import type { LogPoller } from '../core/logs/poller.js';
import { createHeartbeatPing } from '../http/heartbeat-ping.js';
import { heartbeatJob } from '../jobs/heartbeat.js';
import type { IntervalJob } from '../jobs/job.js';
import { createWatchdogMetrics } from '../metrics/watchdog-metrics.js';
import type { Platform } from './platform.js';

export interface Watchdog {
  /** HEARTBEAT_URL's job, when it is set. */
  readonly jobs: readonly IntervalJob[];
  /** The readiness checks plus log freshness: what "healthy" means for the heartbeat and its gauge. */
  readonly health: () => HealthCheck[];
}

/**
 * Watching the watcher: the heartbeat (a dead-man's switch that pings only while the app is
 * healthy) and the gauges the Prometheus alerts in docs/prometheus/alerts.yml read.
 */
export const wireWatchdog = (
  platform: Platform,
  deps: {
    /** /healthz's checks: database, Slack socket, not shutting down. */
    readonly readiness: () => readonly HealthCheck[];
    readonly poller: Pick<LogPoller, 'status'>;
  },
): Watchdog => {
  const { config, logger, now } = platform;
  const health = (): HealthCheck[] => {
    const fresh = logsAreFresh(deps.poller.status(), now(), config.poller.intervalSeconds);
    return [
      ...deps.readiness(),
      { name: 'log_polling', ok: fresh, detail: fresh ? 'fresh' : 'stale or failing' },
    ];
  };
  const metrics = createWatchdogMetrics(platform.metrics.registry, {
    healthy: () => health().every((c) => c.ok),
    lastPollSuccess: () => deps.poller.status().lastSuccessAt,
  });
  const url = config.heartbeat.url;
  if (url === undefined) return { jobs: [], health };

  let lastSkipped = '';
  const heartbeat = createHeartbeat({
    checks: health,
    ping: createHeartbeatPing(url),
    onBeat: (outcome) => {
      metrics.heartbeat(outcome.kind);
      // One log line per change of what is failing, not one a minute.
      const failing =
        outcome.kind === 'skipped_unhealthy' ? outcome.failing.map((c) => c.name).join(',') : '';
      if (failing !== lastSkipped && failing !== '')
        logger.warn(
          { event: 'heartbeat.withheld', failing },
          `heartbeat withheld while unhealthy (${failing}): the heartbeat service will page if this lasts`,
        );
      else if (failing === '' && lastSkipped !== '')
        logger.info({ event: 'heartbeat.resumed' }, 'healthy again: heartbeat resumed');
      lastSkipped = failing;
    },
  });
  return {
    jobs: [
      heartbeatJob({
        heartbeat,
        ...(platform.overrides.heartbeatEveryMs ? { everyMs: platform.overrides.heartbeatEveryMs } : {}),
      }),
    ],
    health,
  };
};
