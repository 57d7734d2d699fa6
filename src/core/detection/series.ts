import type { LogSignal } from '../logs/classification.js';
import type { LogStore, MinuteCount } from '../logs/ports.js';
import { minuteKey, parseMinuteKey } from './minutes.js';
import type { SignalGroup, WindowStats } from './rules.js';
import type { DetectionThresholds } from './thresholds.js';

/** Per-minute counts of one scope over the recent minutes; index 0 is the oldest minute. */
export interface Series {
  readonly failures: readonly number[];
  readonly successes: readonly number[];
  readonly extra: readonly number[];
  /** The same counts per log signal, for groups judged by their mix (families/attacks.ts). */
  readonly bySignal: ReadonlyMap<LogSignal, readonly number[]>;
}

export interface RecentCounts {
  /** Minute index of element 0. */
  readonly start: number;
  readonly length: number;
  readonly byScope: ReadonlyMap<string, Series>;
  /** Every scope summed: the tenant as a whole. */
  readonly aggregate: Series;
}

interface MutableSeries {
  failures: number[];
  successes: number[];
  extra: number[];
  bySignal: Map<LogSignal, number[]>;
}

const emptySeries = (length: number): MutableSeries => ({
  failures: new Array<number>(length).fill(0),
  successes: new Array<number>(length).fill(0),
  extra: new Array<number>(length).fill(0),
  bySignal: new Map(),
});

const addTo = (
  series: MutableSeries,
  column: 'failures' | 'successes' | 'extra',
  signal: LogSignal,
  count: number,
  offset: number,
) => {
  series[column][offset] = (series[column][offset] ?? 0) + count;
  let perSignal = series.bySignal.get(signal);
  if (!perSignal) {
    perSignal = new Array<number>(series.failures.length).fill(0);
    series.bySignal.set(signal, perSignal);
  }
  perSignal[offset] = (perSignal[offset] ?? 0) + count;
};

const columnOf = (group: SignalGroup, row: MinuteCount): 'failures' | 'successes' | 'extra' | undefined => {
  if (group.failures.includes(row.signal)) return 'failures';
  if (row.signal === group.success) return 'successes';
  if (row.signal === group.extra) return 'extra';
  return undefined;
};

export const groupSignals = (group: SignalGroup) =>
  [...group.failures, group.success, group.extra].filter((s) => s !== undefined);

/** Groups counting the same signals the same way (failed logins and stuffing) share one read. */
export const countsKey = (group: SignalGroup): string =>
  `${group.failures.join(',')}|${group.success ?? ''}|${group.extra ?? ''}`;

/** The group's per-minute counts for minutes `start`..`end` (inclusive), one bounded query. */
export const readRecent = (
  logs: Pick<LogStore, 'counts'>,
  group: SignalGroup,
  start: number,
  end: number,
): RecentCounts => {
  const length = end - start + 1;
  const byScope = new Map<string, MutableSeries>();
  const aggregate = emptySeries(length);
  const rows = logs.counts({
    signals: groupSignals(group),
    fromMinute: minuteKey(start),
    toMinute: minuteKey(end),
  });
  for (const row of rows) {
    const offset = parseMinuteKey(row.minute) - start;
    const column = columnOf(group, row);
    if (column === undefined || !(offset >= 0 && offset < length)) continue;
    let series = byScope.get(row.scope);
    if (!series) {
      series = emptySeries(length);
      byScope.set(row.scope, series);
    }
    // The bot's own failures (its test token requests, its own rate-limit hits) are not the
    // tenant's problem: left out of the numbers, and named on the card (log-decisions.ts).
    const count = column === 'failures' ? row.count - row.ownCount : row.count;
    addTo(series, column, row.signal, count, offset);
    addTo(aggregate, column, row.signal, count, offset);
  }
  return { start, length, byScope, aggregate };
};

export const zeroSeries = (length: number): Series => emptySeries(length);

const sum = (values: readonly number[], from: number, to: number): number => {
  let total = 0;
  for (let i = Math.max(0, from); i <= to; i++) total += values[i] ?? 0;
  return total;
};

/** The numbers of the window ending at offset `end` (inclusive). */
export const statsAt = (series: Series, end: number, t: DetectionThresholds): WindowStats => {
  const from = end - t.windowMinutes + 1;
  let activeMinutes = 0;
  for (let i = end - t.rateLimitSustainedOfMinutes + 1; i <= end; i++) {
    if ((series.failures[i] ?? 0) > 0) activeMinutes++;
  }
  const bySignal: Partial<Record<LogSignal, number>> = {};
  for (const [signal, values] of series.bySignal) bySignal[signal] = sum(values, from, end);
  return {
    failures: sum(series.failures, from, end),
    successes: sum(series.successes, from, end),
    extra: sum(series.extra, from, end),
    activeMinutes,
    bySignal,
  };
};

export const totalOf = (values: readonly number[]): number => sum(values, 0, values.length - 1);
