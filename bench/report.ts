import { readFileSync } from 'node:fs';

/**
 * How a benchmark hands its figures to the runner (bench/run-all.ts): one line
 * `BENCH_JSON {...}` on stdout, after its human-readable lines. `metrics` are numbers the runner
 * takes the median, min and max of over several runs; `checks` are the benchmark's correctness
 * checks (counts, exactly-once), and a failed one makes the benchmark exit non-zero. A time is
 * never a check.
 */
export interface BenchResult {
  /** One figure, or one per repetition inside the run (the runner pools them over runs). */
  readonly metrics: Record<string, number | number[]>;
  readonly checks: Record<string, boolean>;
  /** Facts about the run that are not figures (sizes, settings). */
  readonly info?: Record<string, string | number>;
}

export const RESULT_PREFIX = 'BENCH_JSON ';

/** Prints the result for the runner and exits: 0 when every check holds, 1 otherwise. */
export const finish = (result: BenchResult): never => {
  console.log(RESULT_PREFIX + JSON.stringify(result));
  const failed = Object.entries(result.checks).filter(([, ok]) => !ok);
  for (const [name] of failed) console.error(`check failed: ${name}`);
  process.exit(failed.length === 0 ? 0 : 1);
};

/** The value at percentile `p` (nearest rank) of `xs`; NaN for none. */
export const percentile = (xs: readonly number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
};

/** The peak resident set of this process so far, in MB (getrusage, so nothing between samples is missed). */
export const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

/** VmRSS and VmHWM (peak) of another process on this machine, in MB. */
export const processRssMb = (pid: number): { rss: number; peak: number } => {
  // Read at call time: the process may have exited, then both are 0.
  const status = (() => {
    try {
      return readFileSync(`/proc/${String(pid)}/status`, 'utf8');
    } catch {
      return '';
    }
  })();
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
};
