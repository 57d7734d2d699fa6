import type { CheckpointStore } from './ports.js';
import type { LogIngester } from './ingest.js';
import type { Tenant } from '../tenant/ports.js';

export const LOG_CHECKPOINT = 'auth0.logs';
const PAGE_SIZE = 100;

/**
 * The checkpoint is either `log:<log_id>` (checkpoint mode: fetch what is newer) or `time:<iso>`
 * (not yet anchored to a log: the tenant had no logs at or after that time when last asked).
 */
type Anchor = { kind: 'log'; logId: string } | { kind: 'time'; iso: string };

const readAnchor = (value: string | undefined): Anchor | undefined => {
  if (value?.startsWith('log:') && value.length > 4) return { kind: 'log', logId: value.slice(4) };
  if (value?.startsWith('time:') && !Number.isNaN(Date.parse(value.slice(5))))
    return { kind: 'time', iso: value.slice(5) };
  return undefined;
};

/** What the poller needs of the rate-limit budget: how long to hold off before the next call. */
interface LogsBudget {
  waitBeforeNextCall(bucket: 'logs', now: Date): number;
}

export interface LogPollerDeps {
  readonly tenant: Pick<Tenant, 'fetchLogs' | 'searchLogs'>;
  readonly ingester: LogIngester;
  readonly checkpoints: Pick<CheckpointStore, 'get'>;
  readonly budget: LogsBudget;
  readonly now: () => Date;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** On first start, how far back to read; 0 starts from "now". */
  readonly lookbackMinutes: number;
  /** A tick stops draining after this many pages (the next tick continues), to stay responsive. */
  readonly maxPagesPerTick?: number;
  /** A budget wait longer than this ends the tick instead of sleeping through it. */
  readonly maxWaitMs?: number;
}

interface PollOutcome {
  readonly pages: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly malformed: number;
  readonly caughtUp: boolean;
}

export interface PollerStatus {
  readonly lastAttemptAt: Date | undefined;
  readonly lastSuccessAt: Date | undefined;
  readonly lastError: string | undefined;
  readonly caughtUp: boolean;
  readonly newestLogDate: string | undefined;
  readonly ingested: number;
}

export interface LogPoller {
  poll(signal: AbortSignal): Promise<PollOutcome>;
  status(): PollerStatus;
}

export const createLogPoller = (deps: LogPollerDeps): LogPoller => {
  const maxPages = deps.maxPagesPerTick ?? 200;
  const maxWaitMs = deps.maxWaitMs ?? 60_000;
  const state = {
    lastAttemptAt: undefined as Date | undefined,
    lastSuccessAt: undefined as Date | undefined,
    lastError: undefined as string | undefined,
    caughtUp: false,
    newestLogDate: undefined as string | undefined,
    ingested: 0,
  };
  const totals = () => ({ pages: 0, accepted: 0, duplicates: 0, malformed: 0 });

  const ingest = (entries: readonly unknown[], next: string, t: ReturnType<typeof totals>) => {
    const r = deps.ingester.ingest(entries, 'poll', { name: LOG_CHECKPOINT, value: `log:${next}` });
    t.pages += 1;
    t.accepted += r.accepted;
    t.duplicates += r.duplicates;
    t.malformed += r.malformed;
    state.ingested += r.accepted;
    if (r.newestDate && (!state.newestLogDate || r.newestDate > state.newestLogDate))
      state.newestLogDate = r.newestDate;
  };

  /** Anchors to a log at or after `since`, ingesting the first page found by date; else keeps a time anchor. */
  const anchorFromTime = async (
    since: string,
    signal: AbortSignal,
    t: ReturnType<typeof totals>,
  ): Promise<string | undefined> => {
    const found = await deps.tenant.searchLogs(
      { q: `date:[${since} TO *]`, sort: 'date:1', perPage: PAGE_SIZE },
      signal,
    );
    const last = lastLogId(found);
    if (last === undefined) {
      deps.ingester.ingest([], 'poll', { name: LOG_CHECKPOINT, value: `time:${since}` });
      return undefined;
    }
    ingest(found, last, t);
    return last;
  };

  /** First start: from the newest log ("now"), or from the look-back window. */
  const seed = async (signal: AbortSignal, t: ReturnType<typeof totals>): Promise<string | undefined> => {
    const now = deps.now();
    if (deps.lookbackMinutes > 0) {
      return anchorFromTime(new Date(now.getTime() - deps.lookbackMinutes * 60_000).toISOString(), signal, t);
    }
    const newest = await deps.tenant.searchLogs({ sort: 'date:-1', perPage: 1 }, signal);
    const logId = lastLogId(newest);
    deps.ingester.ingest([], 'poll', {
      name: LOG_CHECKPOINT,
      value: logId ? `log:${logId}` : `time:${now.toISOString()}`,
    });
    return logId;
  };

  const drain = async (from: string, signal: AbortSignal, t: ReturnType<typeof totals>): Promise<boolean> => {
    let cursor = from;
    while (t.pages < maxPages && !signal.aborted) {
      const wait = deps.budget.waitBeforeNextCall('logs', deps.now());
      if (wait > maxWaitMs) return false;
      if (wait > 0) await deps.sleep(wait, signal);
      const page = await deps.tenant.fetchLogs(cursor, PAGE_SIZE, signal);
      const next = page.nextFrom ?? lastLogId(page.entries) ?? cursor;
      ingest(page.entries, next, t);
      cursor = next;
      // A short page means Auth0 had nothing more; an empty one keeps the same cursor.
      if (page.entries.length < PAGE_SIZE) return true;
    }
    return false;
  };

  return {
    async poll(signal) {
      state.lastAttemptAt = deps.now();
      const t = totals();
      try {
        const anchor = readAnchor(deps.checkpoints.get(LOG_CHECKPOINT)?.value);
        let from: string | undefined;
        if (!anchor) from = await seed(signal, t);
        else if (anchor.kind === 'time') from = await anchorFromTime(anchor.iso, signal, t);
        else from = anchor.logId;
        const caughtUp = from === undefined ? true : await drain(from, signal, t);
        state.caughtUp = caughtUp;
        state.lastSuccessAt = deps.now();
        state.lastError = undefined;
        return { ...t, caughtUp };
      } catch (error) {
        state.caughtUp = false;
        state.lastError = error instanceof Error ? error.message : 'poll failed';
        throw error;
      }
    },
    status: () => ({ ...state }),
  };
};

const lastLogId = (entries: readonly unknown[]): string | undefined => {
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    const e = entries[i];
    if (
      typeof e === 'object' &&
      e !== null &&
      'log_id' in e &&
      typeof e.log_id === 'string' &&
      e.log_id !== ''
    )
      return e.log_id;
  }
  return undefined;
};
