import type { BreakerState } from '../events/health-events.js';
import { logCodesStatusItem, type UnknownCodeCount } from '../logs/catalogue-unknown.js';
import type { PollerStatus } from '../logs/poller.js';
import type { RateLimitBucketSnapshot } from './rate-limit-budget.js';
import { formatDuration, type StatusItem, type StatusProvider } from '../status/model.js';
import type { WatcherName, WatcherReadings } from '../watchers/ports.js';

export interface TenantStatusDeps {
  readonly breaker: {
    state(): BreakerState;
    lastFailure(): { at: Date; reason: string } | undefined;
    lastSuccess(): Date | undefined;
  };
  readonly poller: { status(): PollerStatus };
  readonly budget: { snapshot(): RateLimitBucketSnapshot[] };
  readonly readings: WatcherReadings;
  readonly ingested: () => { poll: number; stream: number };
  readonly logStreamEnabled: boolean;
  /** Log codes the catalogue does not know, seen since start (the "log codes" line). */
  readonly unknownLogCodes: () => readonly UnknownCodeCount[];
  readonly now?: () => number;
}

const ago = (now: number, at: Date | string): string => `${formatDuration(now - new Date(at).getTime())} ago`;

const breakerItem = (deps: TenantStatusDeps, now: number): StatusItem => {
  const state = deps.breaker.state();
  const failure = deps.breaker.lastFailure();
  if (state === 'closed') {
    const ok = deps.breaker.lastSuccess();
    return {
      label: 'Management API',
      value: ok ? `reachable (last success ${ago(now, ok)})` : 'not called yet',
      level: 'ok',
    };
  }
  const why = failure ? `: ${failure.reason}` : '';
  return state === 'open'
    ? { label: 'Management API', value: `unreachable, circuit open${why}`, level: 'error' }
    : { label: 'Management API', value: `recovering (half-open)${why}`, level: 'warn' };
};

const pollItems = (deps: TenantStatusDeps, now: number): StatusItem[] => {
  const s = deps.poller.status();
  const counts = deps.ingested();
  // The first poll only counts as done once it has drained the whole backlog; until then, say so.
  const first: StatusItem =
    counts.poll > 0
      ? { label: 'log poll', value: 'first poll, draining the backlog', level: 'warn' }
      : { label: 'log poll', value: 'not run yet', level: 'info' };
  const last: StatusItem = s.lastError
    ? { label: 'log poll', value: `failing: ${s.lastError}`, level: 'error' }
    : s.lastSuccessAt
      ? {
          label: 'log poll',
          value: `${ago(now, s.lastSuccessAt)}, ${s.caughtUp ? 'caught up' : 'draining a backlog'}`,
          level: s.caughtUp ? 'ok' : 'warn',
        }
      : first;
  const newest: StatusItem = s.newestLogDate
    ? { label: 'newest log', value: ago(now, s.newestLogDate), level: 'info' }
    : { label: 'newest log', value: 'none since start', level: 'info' };
  const events: StatusItem = {
    label: 'events ingested',
    value: `${counts.poll} polled${deps.logStreamEnabled ? `, ${counts.stream} pushed` : ''} since start`,
    level: 'info',
  };
  return [last, newest, events];
};

const budgetItem = (deps: TenantStatusDeps, now: number): StatusItem => {
  const logs = deps.budget.snapshot().find((b) => b.bucket === 'logs');
  if (!logs || logs.remaining === undefined)
    return { label: 'rate limit (logs)', value: 'no reading yet', level: 'info' };
  const reset = logs.resetAt ? `, refills in ${formatDuration(logs.resetAt.getTime() - now)}` : '';
  const of = logs.limit === undefined ? '' : ` of ${logs.limit}`;
  const level = logs.throttled
    ? 'error'
    : logs.limit !== undefined && logs.remaining <= logs.limit * 0.2
      ? 'warn'
      : 'ok';
  return {
    label: 'rate limit (logs)',
    value: `${logs.remaining}${of} left${reset}${logs.throttled ? ' (throttled)' : ''}`,
    level,
  };
};

const labels: Record<WatcherName, string> = {
  signing_keys: 'signing keys',
  certificates: 'certificates',
  credentials: 'credentials',
};

const watcherItem = (deps: TenantStatusDeps, name: WatcherName): StatusItem => {
  const r = deps.readings.get(name);
  if (!r) return { label: labels[name], value: 'not checked yet', level: 'info' };
  return { label: labels[name], value: r.summary, level: r.ok ? 'ok' : 'warn' };
};

/** The "Auth0" section of `/auth0 status`: breaker, poll and lag, budget, watcher readings. */
export const tenantStatusProvider = (deps: TenantStatusDeps): StatusProvider => ({
  title: 'Auth0',
  read: () => {
    const now = (deps.now ?? Date.now)();
    return {
      title: 'Auth0',
      items: [
        breakerItem(deps, now),
        ...pollItems(deps, now),
        logCodesStatusItem(deps.unknownLogCodes()),
        budgetItem(deps, now),
        watcherItem(deps, 'signing_keys'),
        watcherItem(deps, 'certificates'),
        watcherItem(deps, 'credentials'),
      ],
    };
  },
});
