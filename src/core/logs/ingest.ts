import type { CheckpointStore, UnitOfWork } from './ports.js';
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

export interface LogIngesterDeps {
  readonly store: LogStore;
  readonly checkpoints: CheckpointStore;
  readonly uow: UnitOfWork;
  readonly botClientId: string;
  readonly now: () => Date;
  readonly sinks?: readonly ClassifiedLogSink[];
  readonly onMalformed?: (problem: string, logId: string | undefined, source: LogSource) => void;
  readonly onIngested?: (result: IngestResult, source: LogSource) => void;
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
}

export const createLogIngester = (deps: LogIngesterDeps): LogIngester => ({
  ingest(raw, source, checkpoint) {
    const classified: ClassifiedLog[] = [];
    let malformed = 0;
    for (const item of raw) {
      const parsed = parseLogEntry(item);
      if (!parsed.ok) {
        malformed += 1;
        deps.onMalformed?.(parsed.problem, parsed.logId, source);
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
  },
});
