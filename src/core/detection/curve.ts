import type { LogSignal } from '../logs/classification.js';
import type { LogStore, StoredLogEvent } from '../logs/ports.js';
import type { Curve, LogQuery } from './model.js';
import { minuteIndex, minuteKey, minuteStart, parseMinuteKey } from './minutes.js';
import type { DetectionThresholds } from './thresholds.js';

/**
 * The shape of an incident's signal for its card: when the episode started, the last hour in
 * buckets (a text sparkline, one character per bucket), when a baseline will exist, and what to
 * search for in the tenant's logs. Read from the stored per-minute counts (the same counts
 * detection judges, series.ts), so the curve and the numbers never disagree.
 */

/** 12 × 5 min: one hour, short enough for one line on a phone. */
const CURVE_BUCKETS = 12;
const CURVE_BUCKET_MINUTES = 5;

/** The eight block heights; the lowest also stands for "none". */
const BARS = '▁▂▃▄▅▆▇█';

interface SignalScope {
  readonly signals: readonly LogSignal[];
  /** Undefined for the tenant as a whole (every scope summed). */
  readonly scope: string | undefined;
}

/** Failures per 5-minute bucket over the hour ending with `currentMinute`; the bot's own left out. */
export const readCurve = (
  logs: Pick<LogStore, 'counts'>,
  of: SignalScope,
  currentMinute: number,
  now: Date,
): Curve => {
  const first = currentMinute - CURVE_BUCKETS * CURVE_BUCKET_MINUTES + 1;
  const counts = new Array<number>(CURVE_BUCKETS).fill(0);
  const rows = logs.counts({
    signals: of.signals,
    fromMinute: minuteKey(first),
    toMinute: minuteKey(currentMinute),
    ...(of.scope === undefined ? {} : { scope: of.scope }),
  });
  for (const row of rows) {
    const k = Math.floor((parseMinuteKey(row.minute) - first) / CURVE_BUCKET_MINUTES);
    if (k >= 0 && k < CURVE_BUCKETS) counts[k] = (counts[k] ?? 0) + row.count - row.ownCount;
  }
  return { to: now.toISOString(), bucketMinutes: CURVE_BUCKET_MINUTES, counts };
};

/**
 * One character per bucket, scaled to the highest bucket (or to `usual`, a baseline per bucket,
 * when that is higher, so ordinary traffic does not look like a spike). Any failure shows at
 * least one step above the floor, so "a few" never reads as "none".
 */
export const sparkline = (counts: readonly number[], usual = 0): string => {
  const finite = counts.map((c) => (Number.isFinite(c) && c > 0 ? c : 0));
  const top = Math.max(Number.isFinite(usual) ? usual : 0, ...finite);
  return finite
    .map((c) => {
      if (c === 0 || top <= 0) return BARS[0];
      const level = Math.min(BARS.length - 1, Math.max(1, Math.ceil((c / top) * (BARS.length - 1))));
      return BARS[level];
    })
    .join('');
};

/**
 * The first evaluation with a baseline: history must cover `baselineMinHistoryMinutes` from the
 * first count seen, counted up to the aligned boundary before the current window (baseline.ts).
 */
export const baselineFrom = (observedSince: number, t: DetectionThresholds): string => {
  const w = t.windowMinutes;
  const boundary = Math.ceil((observedSince + t.baselineMinHistoryMinutes) / w) * w;
  return minuteStart(boundary + w - 1);
};

/** Events read to find the first failure of the episode (the bot's own are skipped). */
const ONSET_READ = 20;

/**
 * The first minute from `from` to `to` whose failures stand above the usual level (twice the
 * baseline per minute; any failure without one): the firing run's first window starts with the
 * ordinary failures before the rise, which are not the problem.
 */
const firstElevated = (
  logs: Pick<LogStore, 'counts'>,
  of: SignalScope,
  from: number,
  to: number,
  baseline: number | undefined,
): number => {
  const perMinute = new Map<number, number>();
  const rows = logs.counts({
    signals: of.signals,
    fromMinute: minuteKey(from),
    toMinute: minuteKey(to),
    ...(of.scope === undefined ? {} : { scope: of.scope }),
  });
  for (const row of rows) {
    const m = parseMinuteKey(row.minute);
    perMinute.set(m, (perMinute.get(m) ?? 0) + row.count - row.ownCount);
  }
  const usual = Math.max(0, 2 * (baseline ?? 0));
  for (let m = from; m <= to; m++) if ((perMinute.get(m) ?? 0) > usual) return m;
  return from;
};

/**
 * When the episode began: the first failing event of its first elevated minute, to the second
 * (`onsetMinute` is the first failing minute of the unbroken firing run, assess.ts); the minute
 * itself when the store has no such event left.
 */
export const onsetOf = (
  logs: Pick<LogStore, 'recent' | 'counts'>,
  of: SignalScope,
  run: {
    readonly onsetMinute: number;
    readonly currentMinute: number;
    readonly baseline: number | undefined;
  },
): string => {
  const minute = firstElevated(logs, of, run.onsetMinute, run.currentMinute, run.baseline);
  const events = logs.recent({
    signals: of.signals,
    ...(of.scope === undefined ? {} : { scope: of.scope }),
    since: minuteStart(minute),
    limit: ONSET_READ,
    order: 'oldest',
  });
  const first = events.find((e) => !e.own);
  return first !== undefined && minuteIndex(first.date) === minute ? first.date : minuteStart(minute);
};

/** Type codes named in the dashboard query: the most frequent few, so the link stays readable. */
const QUERY_TYPES = 4;

/**
 * The log search for an incident: the types of its sampled failures and its scope's field (a
 * client, a connection or an IP); for the tenant as a whole, an IP behind most of the traffic.
 */
export const logQueryOf = (
  scope: string,
  events: readonly StoredLogEvent[],
  singleSourceIp: string | undefined,
): LogQuery => {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  const types = [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .slice(0, QUERY_TYPES)
    .map(([type]) => type);
  const colon = scope.indexOf(':');
  const kind = colon < 0 ? scope : scope.slice(0, colon);
  const value = colon < 0 ? '' : scope.slice(colon + 1);
  const known = value !== '' && value !== 'unknown';
  return {
    types,
    ...(kind === 'client' && known ? { clientId: value } : {}),
    ...(kind === 'connection' && known ? { connection: value } : {}),
    ...(kind === 'ip' && known ? { ip: value } : singleSourceIp === undefined ? {} : { ip: singleSourceIp }),
  };
};
