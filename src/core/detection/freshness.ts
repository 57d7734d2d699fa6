import type { PollerStatus } from '../logs/poller.js';
import type { Decision, DetectionSignal } from './model.js';

/** Signals computed from log counts: their silence means "quiet" only while logs are arriving. */
const LOG_DERIVED: ReadonlySet<DetectionSignal> = new Set<DetectionSignal>([
  'failed_logins',
  'm2m_token_failures',
  'web_token_failures',
  'rate_limit',
  'attack_protection',
  'actions_failures',
  'security_weakened',
  'secret_exposure',
]);

/** Never less than two minutes: a slow poll on a busy tenant is not a stall. */
const MIN_STALE_MS = 120_000;

/**
 * Whether log polling is current: its last poll succeeded, and within three poll intervals (at
 * least two minutes). A failing or stalled poller means the counts are missing, not low.
 */
export const logsAreFresh = (status: PollerStatus, now: Date, pollIntervalSeconds: number): boolean => {
  const maxAgeMs = Math.max(3 * pollIntervalSeconds * 1000, MIN_STALE_MS);
  return (
    status.lastError === undefined &&
    status.lastSuccessAt !== undefined &&
    now.getTime() - status.lastSuccessAt.getTime() <= maxAgeMs
  );
};

/**
 * While logs are stale, an incident derived from them is not resolved for looking quiet: the
 * decisions to recover those are dropped (opening and updating still go ahead on what did arrive;
 * watcher and breaker incidents do not depend on logs).
 */
export const holdRecoveriesWhileStale = (decisions: readonly Decision[], fresh: boolean): Decision[] =>
  fresh ? [...decisions] : decisions.filter((d) => d.kind !== 'recover' || !LOG_DERIVED.has(d.signal));
