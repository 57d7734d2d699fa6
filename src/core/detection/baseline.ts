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
 *   is reused until then and read whole again after. While a backlog is still filling it (drained
 *   oldest first), the minutes that arrive are added to it (extendHistory) rather than the whole
 *   day read again. Events older than what was already read show at most one window later.
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
  /**
   * The last minute whose counts are in the snapshot: `boundary - 1` once the history is whole;
   * earlier while a backlog is still filling it (see extendHistory).
   */
  readonly through: number;
  /** The earliest minute with any count in the history: when watching (visibly) began. */
  readonly observedSince: number | undefined;
  readonly groups: ReadonlyMap<LogDetectionSignal, GroupHistory>;
}

/** The aligned boundary at or before the current window's first minute. */
export const historyBoundary = (currentMinute: number, t: DetectionThresholds): number => {
  const windowStart = currentMinute - t.windowMinutes + 1;
  return Math.floor(windowStart / t.windowMinutes) * t.windowMinutes;
};

interface MutableGroupHistory {
  windowFailures: Map<string, number[]>;
  aggregateWindowFailures: number[];
  successes: Map<string, number>;
  aggregateSuccesses: number;
}

const emptyGroup = (windows: number): MutableGroupHistory => ({
  windowFailures: new Map(),
  aggregateWindowFailures: new Array<number>(windows).fill(0),
  successes: new Map(),
  aggregateSuccesses: 0,
});

/** A copy to add to: a snapshot handed out before is never changed under its reader. */
const copyGroup = (g: GroupHistory): MutableGroupHistory => ({
  windowFailures: new Map([...g.windowFailures].map(([scope, w]) => [scope, [...w]])),
  aggregateWindowFailures: [...g.aggregateWindowFailures],
  successes: new Map(g.successes),
  aggregateSuccesses: g.aggregateSuccesses,
});

/**
 * Adds the group's counts of minutes [from, to] to `into`, whose windows start at `first`.
 * Returns the earliest minute with a count. `minuteOf` parses the store's minute keys; a history
 * read sees each key once per signal and scope, so the caller memoises it.
 */
const addGroup = (
  logs: Pick<LogStore, 'eachCount'>,
  group: SignalGroup,
  into: MutableGroupHistory,
  range: { first: number; windows: number; from: number; to: number },
  t: DetectionThresholds,
  minuteOf: (key: string) => number,
): number | undefined => {
  const { first, windows, from, to } = range;
  let earliest: number | undefined;
  const signals = groupSignals(group);
  logs.eachCount({ signals, fromMinute: minuteKey(from), toMinute: minuteKey(to) }, (row) => {
    const minute = minuteOf(row.minute);
    if (!(minute >= from && minute <= to)) return;
    earliest = earliest === undefined ? minute : Math.min(earliest, minute);
    if (row.signal === group.success) {
      into.successes.set(row.scope, (into.successes.get(row.scope) ?? 0) + row.count);
      into.aggregateSuccesses += row.count;
    } else if (group.failures.includes(row.signal)) {
      const k = Math.floor((minute - first) / t.windowMinutes);
      let perWindow = into.windowFailures.get(row.scope);
      if (!perWindow) {
        perWindow = new Array<number>(windows).fill(0);
        into.windowFailures.set(row.scope, perWindow);
      }
      perWindow[k] = (perWindow[k] ?? 0) + row.count - row.ownCount;
      into.aggregateWindowFailures[k] = (into.aggregateWindowFailures[k] ?? 0) + row.count - row.ownCount;
    }
  });
  return earliest;
};

/** Reads minutes [from, through] of every group into `base` (or into empty histories). */
const fill = (
  logs: Pick<LogStore, 'eachCount'>,
  groups: readonly SignalGroup[],
  shape: { boundary: number; windows: number; from: number; through: number },
  t: DetectionThresholds,
  base?: HistorySnapshot,
): HistorySnapshot => {
  const { boundary, windows, from, through } = shape;
  const first = boundary - windows * t.windowMinutes;
  const keys = new Map<string, number>();
  const minuteOf = (key: string): number => {
    let minute = keys.get(key);
    if (minute === undefined) {
      minute = parseMinuteKey(key);
      keys.set(key, minute);
    }
    return minute;
  };
  const byGroup = new Map<LogDetectionSignal, GroupHistory>();
  let observedSince = base?.observedSince;
  const read = new Map<string, MutableGroupHistory>();
  for (const group of groups) {
    const key = countsKey(group);
    let history = read.get(key);
    if (!history) {
      const before = base?.groups.get(group.signal);
      history = before ? copyGroup(before) : emptyGroup(windows);
      read.set(key, history);
      if (through >= from) {
        const earliest = addGroup(logs, group, history, { first, windows, from, to: through }, t, minuteOf);
        if (earliest !== undefined) observedSince = Math.min(observedSince ?? earliest, earliest);
      }
    }
    byGroup.set(group.signal, history);
  }
  return { boundary, windows, through, observedSince, groups: byGroup };
};

/**
 * The history before `boundary`, read whole; `through` (default `boundary - 1`) stops it earlier,
 * at the last minute a backlog still filling it has completed.
 */
export const readHistory = (
  logs: Pick<LogStore, 'eachCount'>,
  groups: readonly SignalGroup[],
  boundary: number,
  t: DetectionThresholds,
  through = boundary - 1,
): HistorySnapshot => {
  const windows = Math.max(1, Math.floor(t.baselineHistoryMinutes / t.windowMinutes));
  const first = boundary - windows * t.windowMinutes;
  return fill(logs, groups, { boundary, windows, from: first, through: Math.min(through, boundary - 1) }, t);
};

/**
 * The same history with minutes (previous.through, through] added: a backlog drained oldest first
 * adds only what arrived since the last read, instead of every evaluation reading the whole day
 * again. Counts of minutes already read that arrive late (out of order) are seen when the boundary
 * next moves and the history is read whole again, at most one window later.
 */
export const extendHistory = (
  logs: Pick<LogStore, 'eachCount'>,
  groups: readonly SignalGroup[],
  previous: HistorySnapshot,
  through: number,
  t: DetectionThresholds,
): HistorySnapshot => {
  const to = Math.min(through, previous.boundary - 1);
  if (to <= previous.through) return previous;
  return fill(
    logs,
    groups,
    { boundary: previous.boundary, windows: previous.windows, from: previous.through + 1, through: to },
    t,
    previous,
  );
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
