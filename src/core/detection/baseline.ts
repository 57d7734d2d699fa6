import type { LogStore } from '../logs/ports.js';
import { median, minuteKey, parseMinuteKey } from './minutes.js';
import type { LogDetectionSignal, SignalGroup } from './rules.js';
import { countsKey, groupSignals } from './series.js';
import type { DetectionThresholds } from './thresholds.js';

/**
 * The baseline: the median of the per-window failure rates over the history before the current
 * window (24 h by default), windows aligned to multiples of `windowMinutes` since the epoch.
 *
 * - A minute with no stored count is a zero, but only from the moment the store shows the bot was
 *   watching: the earliest count of any log signal in the history. Windows before that are left out,
 *   and with less than `baselineMinHistoryMinutes` of watching there is no baseline at all.
 * - The median ignores a minority of bad windows, so an ongoing incident barely moves its own baseline.
 * - The history only changes when the aligned boundary moves (every `windowMinutes`), so a snapshot
 *   is reused until then. A late backlog of old events therefore shows in the baseline at most one
 *   window later; nothing else is kept between evaluations.
 */

interface GroupHistory {
  /** Failures per aligned window, oldest first, per stored scope. */
  readonly windowFailures: ReadonlyMap<string, readonly number[]>;
  readonly aggregateWindowFailures: readonly number[];
  readonly successes: ReadonlyMap<string, number>;
  readonly aggregateSuccesses: number;
}

export interface HistorySnapshot {
  /** History covers minutes [boundary - windows × windowMinutes, boundary - 1]. */
  readonly boundary: number;
  readonly windows: number;
  /** The earliest minute with any count in the history: when watching (visibly) began. */
  readonly observedSince: number | undefined;
  readonly groups: ReadonlyMap<LogDetectionSignal, GroupHistory>;
}

/** The aligned boundary at or before the current window's first minute. */
export const historyBoundary = (currentMinute: number, t: DetectionThresholds): number => {
  const windowStart = currentMinute - t.windowMinutes + 1;
  return Math.floor(windowStart / t.windowMinutes) * t.windowMinutes;
};

const readGroup = (
  logs: Pick<LogStore, 'counts'>,
  group: SignalGroup,
  first: number,
  windows: number,
  t: DetectionThresholds,
): { history: GroupHistory; earliest: number | undefined } => {
  const last = first + windows * t.windowMinutes - 1;
  const windowFailures = new Map<string, number[]>();
  const aggregateWindowFailures = new Array<number>(windows).fill(0);
  const successes = new Map<string, number>();
  let aggregateSuccesses = 0;
  let earliest: number | undefined;
  const signals = groupSignals(group);
  for (const row of logs.counts({ signals, fromMinute: minuteKey(first), toMinute: minuteKey(last) })) {
    const minute = parseMinuteKey(row.minute);
    if (!(minute >= first && minute <= last)) continue;
    earliest = earliest === undefined ? minute : Math.min(earliest, minute);
    if (row.signal === group.success) {
      successes.set(row.scope, (successes.get(row.scope) ?? 0) + row.count);
      aggregateSuccesses += row.count;
    } else if (group.failures.includes(row.signal)) {
      const k = Math.floor((minute - first) / t.windowMinutes);
      let perWindow = windowFailures.get(row.scope);
      if (!perWindow) {
        perWindow = new Array<number>(windows).fill(0);
        windowFailures.set(row.scope, perWindow);
      }
      perWindow[k] = (perWindow[k] ?? 0) + row.count - row.ownCount;
      aggregateWindowFailures[k] = (aggregateWindowFailures[k] ?? 0) + row.count - row.ownCount;
    }
  }
  return { history: { windowFailures, aggregateWindowFailures, successes, aggregateSuccesses }, earliest };
};

export const readHistory = (
  logs: Pick<LogStore, 'counts'>,
  groups: readonly SignalGroup[],
  boundary: number,
  t: DetectionThresholds,
): HistorySnapshot => {
  const windows = Math.max(1, Math.floor(t.baselineHistoryMinutes / t.windowMinutes));
  const first = boundary - windows * t.windowMinutes;
  const byGroup = new Map<LogDetectionSignal, GroupHistory>();
  let observedSince: number | undefined;
  const read = new Map<string, ReturnType<typeof readGroup>>();
  for (const group of groups) {
    const key = countsKey(group);
    const { history, earliest } = read.get(key) ?? readGroup(logs, group, first, windows, t);
    read.set(key, { history, earliest });
    byGroup.set(group.signal, history);
    if (earliest !== undefined) observedSince = Math.min(observedSince ?? earliest, earliest);
  }
  return { boundary, windows, observedSince, groups: byGroup };
};

/** `perWindow` undefined means the scope had no failures at all: zeros. */
export const baselineOf = (
  snapshot: HistorySnapshot,
  perWindow: readonly number[] | undefined,
  t: DetectionThresholds,
): number | undefined => {
  const { observedSince, boundary, windows } = snapshot;
  if (observedSince === undefined || boundary - observedSince < t.baselineMinHistoryMinutes) return undefined;
  const first = boundary - windows * t.windowMinutes;
  const rates: number[] = [];
  for (let k = 0; k < windows; k++) {
    const lastMinute = first + (k + 1) * t.windowMinutes - 1;
    if (lastMinute < observedSince) continue;
    rates.push((perWindow?.[k] ?? 0) / t.windowMinutes);
  }
  return median(rates);
};
