import { afterEach } from 'vitest';
import type { Decision } from '../../../../src/core/detection/model.js';
import {
  createDetector,
  type DetectionThresholds,
  type Detector,
} from '../../../../src/core/detection/index.js';
import { classifyLog, parseLogEntry, type ClassifiedLog } from '../../../../src/core/logs/classification.js';
import type { LogStore } from '../../../../src/core/logs/ports.js';
import { openDatabase, type StoreDatabase } from '../../../../src/store/index.js';
import { SqliteLogStore } from '../../../../src/store/sqlite-log-store.js';
import { normalMinute } from '../../../helpers/normal-traffic.js';

/**
 * A tenant's stored logs in a real in-memory SQLite database, and detectors over it. Times are
 * given in minutes before the current minute (`NOW` is 30 s into 12:00 UTC).
 */

export const BOT = 'botClient0001';
const CURRENT_MINUTE = Date.parse('2026-03-10T12:00:00.000Z');
export const NOW = new Date(CURRENT_MINUTE + 30_000);

/** The ISO time `minutes` before the current minute starts, plus `seconds`. */
export const ago = (minutes: number, seconds = 0): string =>
  new Date(CURRENT_MINUTE - minutes * 60_000 + seconds * 1000).toISOString();

/** `NOW` moved by `minutes`. */
export const later = (minutes: number): Date => new Date(NOW.getTime() + minutes * 60_000);

type Fields = Record<string, unknown>;

const stores: StoreDatabase[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

export interface World {
  readonly logs: SqliteLogStore;
  /** `n` entries of `type` in the minute `minutesAgo` before the current one. */
  add(type: string, minutesAgo: number, n: number, fields?: Fields | ((i: number) => Fields)): void;
  /** `perMinute` entries of `type` in every minute from `fromAgo` down to `toAgo` (inclusive). */
  spread(type: string, fromAgo: number, toAgo: number, perMinute: number, fields?: Fields): void;
  /**
   * A small company's ordinary traffic (tests/helpers/normal-traffic.ts) in every minute from
   * `fromAgo` down to `toAgo` (inclusive): the background every detection is judged beside.
   */
  normal(fromAgo: number, toAgo?: number): void;
  /** Raw Auth0 log entries as they are (dates included). */
  raw(entries: readonly Fields[]): void;
  detector(options?: {
    thresholds?: Partial<DetectionThresholds>;
    now?: () => Date;
    logs?: Pick<LogStore, 'counts' | 'eachCount' | 'recent'> & Partial<Pick<LogStore, 'newestDate'>>;
  }): Detector;
}

export const createWorld = (): World => {
  const store = openDatabase({ path: ':memory:' });
  stores.push(store);
  const logs = new SqliteLogStore(store);
  let seq = 0;
  const classify = (raw: Fields): ClassifiedLog => {
    const parsed = parseLogEntry(raw);
    if (!parsed.ok) throw new Error(`bad test entry: ${parsed.problem}`);
    return classifyLog(parsed.entry, { botClientId: BOT });
  };
  const insert = (batch: ClassifiedLog[]) => {
    store.transaction(() => logs.insert(batch, 'poll', NOW.toISOString()));
  };
  const entries = (type: string, minutesAgo: number, n: number, fields: Fields | ((i: number) => Fields)) =>
    Array.from({ length: n }, (_, i) =>
      classify({
        log_id: `log-${++seq}`,
        date: ago(minutesAgo, Math.floor((i * 60) / Math.max(n, 1))),
        type,
        ...(typeof fields === 'function' ? fields(i) : fields),
      }),
    );
  return {
    logs,
    add(type, minutesAgo, n, fields = {}) {
      insert(entries(type, minutesAgo, n, fields));
    },
    spread(type, fromAgo, toAgo, perMinute, fields = {}) {
      const batch: ClassifiedLog[] = [];
      for (let m = fromAgo; m >= toAgo; m--) batch.push(...entries(type, m, perMinute, fields));
      insert(batch);
    },
    normal(fromAgo, toAgo = 0) {
      const batch: ClassifiedLog[] = [];
      for (let m = fromAgo; m >= toAgo; m--) {
        const start = Date.parse(ago(m));
        batch.push(...normalMinute(Math.floor(start / 60_000), start, BOT).map(classify));
      }
      insert(batch);
    },
    raw(entries) {
      insert(entries.map(classify));
    },
    detector(options = {}) {
      return createDetector({
        logs: options.logs ?? logs,
        now: options.now ?? (() => NOW),
        ...(options.thresholds ? { thresholds: options.thresholds } : {}),
      });
    },
  };
};

export const DB = 'Username-Password-Authentication';
export const db = { connection: DB };
export const billing = { client_id: 'Zx81billing', client_name: 'billing-worker' };

/** The decisions without their evidence, for compact assertions. */
export const brief = (decisions: readonly Decision[]) =>
  decisions.map((d) =>
    d.kind === 'recover'
      ? { kind: d.kind, signal: d.signal, scope: d.scope }
      : { kind: d.kind, signal: d.signal, scope: d.scope, severity: d.severity, title: d.title },
  );

/** The one non-recover decision for `signal`, failing the test when there is not exactly one. */
export const only = (decisions: readonly Decision[], signal: string) => {
  const found = decisions.filter((d) => d.signal === signal);
  const [first] = found;
  if (found.length !== 1 || !first || first.kind === 'recover') {
    throw new Error(`expected one open/update for ${signal}, got ${JSON.stringify(brief(decisions))}`);
  }
  return first;
};
