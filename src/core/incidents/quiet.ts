import type { IsoTimestamp } from '../audit/ports.js';
import { isActive, windowCovers, type MaintenanceStore, type WindowScope } from '../maintenance/model.js';
import type { Incident, Severity } from './model.js';

/**
 * Quiet incidents: snoozed by a person, or covered by a maintenance window. A quiet incident keeps
 * recording evidence and updating its card, but pages nobody: no reminders, no escalation by the
 * bot (docs/on-call.md, "Snooze and maintenance windows").
 */

export interface Snooze {
  readonly incidentId: string;
  readonly until: IsoTimestamp;
  readonly by: string;
}

export interface SnoozeStore {
  snoozeOf(incidentId: string): Snooze | null;
  /** Sets (or moves) the snooze of an unresolved incident; false when there is none. */
  setSnooze(snooze: Snooze, at: IsoTimestamp): boolean;
  /** Clears a snooze and returns it; null when the incident was not snoozed. */
  clearSnooze(incidentId: string, at: IsoTimestamp): Snooze | null;
  /** Snoozes of unresolved incidents whose end is at or before `at`. */
  lapsedSnoozes(at: IsoTimestamp): Snooze[];
}

const SNOOZE_OPTIONS = ['1h', '4h', 'tomorrow', 'wake'] as const;
export type SnoozeOption = (typeof SNOOZE_OPTIONS)[number];

export const isSnoozeOption = (value: string): value is SnoozeOption =>
  (SNOOZE_OPTIONS as readonly string[]).includes(value);

/** Whether `name` is an IANA time zone this runtime knows (e.g. `Europe/Paris`, `UTC`). */
export const isTimeZone = (name: string): boolean => {
  if (name.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
};

/** The wall-clock date and time at `at` in `timeZone`, as if it were UTC (ms). */
const wallClock = (at: number, timeZone: string): number => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
};

/**
 * `hour`:00 on the calendar day after `now`'s day in `timeZone`, as an instant. The zone's offset
 * is read at the guess and again at the answer, so a daylight-saving change overnight is counted.
 */
export const tomorrowAt = (now: Date, timeZone: string, hour = 9): Date => {
  const local = new Date(wallClock(now.getTime(), timeZone));
  const wanted = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1, hour);
  let guess = wanted - (wallClock(wanted, timeZone) - wanted);
  guess -= wallClock(guess, timeZone) - wanted;
  return new Date(guess);
};

/** When a snooze chosen at `now` ends; `wake` has no end. */
export const snoozeEnd = (option: Exclude<SnoozeOption, 'wake'>, now: Date, timeZone: string): Date =>
  option === '1h'
    ? new Date(now.getTime() + 60 * 60_000)
    : option === '4h'
      ? new Date(now.getTime() + 4 * 60 * 60_000)
      : tomorrowAt(now, timeZone);

/** What the card shows about quiet: the snooze and every window covering the incident. */
export interface CardQuiet {
  readonly snooze: Snooze | undefined;
  readonly windows: ReadonlyArray<{
    readonly id: string;
    readonly scope: WindowScope;
    readonly reason: string;
    readonly endsAt: IsoTimestamp;
  }>;
}

export interface QuietStateDeps {
  readonly snoozes: Pick<SnoozeStore, 'snoozeOf' | 'clearSnooze'>;
  readonly windows: Pick<MaintenanceStore, 'active'>;
  /** A client's name, for windows opened by name (`client:billing-worker`). */
  readonly nameOf?: (clientId: string) => string | undefined;
  readonly now: () => Date;
}

export interface QuietState {
  /** Undefined when the incident is neither snoozed nor in a window. */
  stateOf(incident: Incident): CardQuiet | undefined;
  /** Whether the bot must not page about it now (snoozed until later, or in an active window). */
  isQuiet(incident: Incident): boolean;
  /**
   * Call inside the transaction that raises the severity: ends a snooze, since a snooze was chosen
   * for the incident as it was. Returns the snooze it ended. Windows stay: they are planned work.
   */
  wakeOnRise(incident: Incident, from: Severity, to: Severity): Snooze | undefined;
}

const rank: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3 };

export const createQuietState = (deps: QuietStateDeps): QuietState => {
  const stateOf = (incident: Incident): CardQuiet | undefined => {
    if (incident.state === 'resolved') return undefined;
    const now = deps.now();
    const stored = deps.snoozes.snoozeOf(incident.id);
    const snooze = stored && Date.parse(stored.until) > now.getTime() ? stored : undefined;
    const windows = deps.windows
      .active(now.toISOString())
      .filter((w) => isActive(w, now) && windowCovers(w, incident.scope, deps.nameOf))
      .map((w) => ({ id: w.id, scope: w.scope, reason: w.reason, endsAt: w.endsAt }));
    return snooze === undefined && windows.length === 0 ? undefined : { snooze, windows };
  };
  return {
    stateOf,
    isQuiet: (incident) => stateOf(incident) !== undefined,
    wakeOnRise(incident, from, to) {
      if (rank[to] <= rank[from]) return undefined;
      return deps.snoozes.clearSnooze(incident.id, deps.now().toISOString()) ?? undefined;
    },
  };
};
