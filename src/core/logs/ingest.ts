import { setImmediate as nextTurn } from 'node:timers/promises';
import type { CheckpointStore, UnitOfWork } from './ports.js';
import { isKnownCode } from './catalogue.js';
import { classifyLog, parseLogEntry, type ClassifiedLog } from './classification.js';
import type { LogSource, LogStore } from './ports.js';

/** Where classified events go next: detection implements this. Called after commit. */
export interface ClassifiedLogSink {
  accept(batch: readonly ClassifiedLog[], source: LogSource): void;
}

export interface IngestResult {
  readonly received: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly malformed: number;
  readonly newestDate: string | undefined;
}

/** The malformed entries of one request (one Auth0 page, one Log Stream body), in one report. */
export interface MalformedSummary {
  readonly count: number;
  /** How many entries had each problem (at most MAX_PROBLEM_KINDS kinds; the rest under `other`). */
  readonly byProblem: Readonly<Record<string, number>>;
  /** The first few, to find them. */
  readonly examples: ReadonlyArray<{ readonly logId: string | undefined; readonly problem: string }>;
}

const MAX_EXAMPLES = 3;
const MAX_PROBLEM_KINDS = 10;
/**
 * A Log Stream body of up to 2 MiB can hold ~700,000 tiny items; handled in one go it blocked the
 * event loop for seconds, past Slack's 3 s ack deadline. Chunks of this size keep each turn short
 * (bench/log-stream-stall.ts measures the longest stall).
 */
const DEFAULT_CHUNK = 500;

const createTally = () => {
  const byProblem: Record<string, number> = {};
  const examples: Array<{ logId: string | undefined; problem: string }> = [];
  let count = 0;
  return {
    add(problem: string, logId: string | undefined) {
      count += 1;
      if (examples.length < MAX_EXAMPLES) examples.push({ logId, problem });
      const key =
        problem in byProblem || Object.keys(byProblem).length < MAX_PROBLEM_KINDS ? problem : 'other';
      byProblem[key] = (byProblem[key] ?? 0) + 1;
    },
    summary: (): MalformedSummary | undefined => (count === 0 ? undefined : { count, byProblem, examples }),
  };
};
type Tally = ReturnType<typeof createTally>;

export interface LogIngesterDeps {
  readonly store: LogStore;
  readonly checkpoints: CheckpointStore;
  readonly uow: UnitOfWork;
  readonly botClientId: string;
  readonly now: () => Date;
  readonly sinks?: readonly ClassifiedLogSink[];
  /** Once per call (per request), never per entry: a body of junk must not become a flood of log lines. */
  readonly onMalformed?: (summary: MalformedSummary, source: LogSource) => void;
  readonly onIngested?: (result: IngestResult, source: LogSource) => void;
  /**
   * Codes the catalogue does not know, with how many new entries (duplicates not counted) carried
   * each; once per stored batch, only when there were some.
   */
  readonly onUnknownTypes?: (counts: ReadonlyMap<string, number>, source: LogSource) => void;
  /** Optional fields of the wrong type dropped from new entries, by field; once per stored batch. */
  readonly onFieldsDropped?: (counts: ReadonlyMap<string, number>, source: LogSource) => void;
  /** A failing sink must not undo or repeat an ingest that has committed; it is reported here. */
  readonly onSinkError?: (error: unknown) => void;
}

export interface LogIngester {
  /**
   * Classifies a batch and stores it, with the checkpoint that covers it, in ONE transaction: a
   * crash before the commit leaves neither, so the batch is fetched and counted again exactly once.
   */
  ingest(
    raw: readonly unknown[],
    source: LogSource,
    checkpoint?: { name: string; value: string },
  ): IngestResult;
  /**
   * A large batch without a checkpoint (a Log Stream body), in chunks of `chunkSize` with a turn
   * of the event loop between them, so Slack acks and health checks are answered meanwhile. Each
   * chunk commits on its own; entries are deduplicated by log_id, so a retried body counts once.
   */
  ingestInChunks(
    raw: readonly unknown[],
    source: LogSource,
    options?: { chunkSize?: number },
  ): Promise<IngestResult>;
}

export const createLogIngester = (deps: LogIngesterDeps): LogIngester => {
  const report = (tally: Tally, source: LogSource) => {
    const summary = tally.summary();
    if (summary) deps.onMalformed?.(summary, source);
  };
  const bump = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  /** Unknown codes and dropped fields of the new entries only, so an event pushed and polled counts once. */
  const reportNovelties = (fresh: readonly ClassifiedLog[], source: LogSource) => {
    let unknown: Map<string, number> | undefined;
    let dropped: Map<string, number> | undefined;
    for (const c of fresh) {
      if (!isKnownCode(c.entry.type)) bump((unknown ??= new Map<string, number>()), c.entry.type);
      for (const field of c.entry.droppedFields ?? []) bump((dropped ??= new Map<string, number>()), field);
    }
    if (unknown) deps.onUnknownTypes?.(unknown, source);
    if (dropped) deps.onFieldsDropped?.(dropped, source);
  };
  const ingestOne = (
    raw: readonly unknown[],
    source: LogSource,
    checkpoint: { name: string; value: string } | undefined,
    tally: Tally,
  ): IngestResult => {
    const classified: ClassifiedLog[] = [];
    let malformed = 0;
    for (const item of raw) {
      const parsed = parseLogEntry(item);
      if (!parsed.ok) {
        malformed += 1;
        tally.add(parsed.problem, parsed.logId);
        continue;
      }
      classified.push(classifyLog(parsed.entry, { botClientId: deps.botClientId }));
    }
    const at = deps.now().toISOString();
    const fresh = deps.uow.transaction(() => {
      const inserted = deps.store.insert(classified, source, at);
      if (checkpoint) deps.checkpoints.set(checkpoint.name, checkpoint.value, at);
      return inserted;
    });
    const newestDate = classified.reduce<string | undefined>(
      (max, c) => (max === undefined || c.entry.date > max ? c.entry.date : max),
      undefined,
    );
    const result: IngestResult = {
      received: raw.length,
      accepted: fresh.length,
      duplicates: classified.length - fresh.length,
      malformed,
      newestDate,
    };
    deps.onIngested?.(result, source);
    reportNovelties(fresh, source);
    if (fresh.length > 0) {
      for (const sink of deps.sinks ?? []) {
        try {
          sink.accept(fresh, source);
        } catch (error) {
          deps.onSinkError?.(error);
        }
      }
    }
    return result;
  };
  return {
    ingest(raw, source, checkpoint) {
      const tally = createTally();
      const result = ingestOne(raw, source, checkpoint, tally);
      report(tally, source);
      return result;
    },
    async ingestInChunks(raw, source, options = {}) {
      const size = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK);
      const tally = createTally();
      const total = { received: 0, accepted: 0, duplicates: 0, malformed: 0 };
      let newestDate: string | undefined;
      try {
        for (let start = 0; start < raw.length || start === 0; start += size) {
          if (start > 0) await nextTurn();
          const r = ingestOne(raw.slice(start, start + size), source, undefined, tally);
          total.received += r.received;
          total.accepted += r.accepted;
          total.duplicates += r.duplicates;
          total.malformed += r.malformed;
          if (r.newestDate !== undefined && (newestDate === undefined || r.newestDate > newestDate))
            newestDate = r.newestDate;
        }
      } finally {
        report(tally, source);
      }
      return { ...total, newestDate };
    },
  };
};
