/**
 * Fault injection by operation: outages, scripted failures, latency, and crashes AFTER the effect
 * (the call changed the secret but the caller saw a 500 or a dropped connection), the case a
 * crash-safe rotation must survive.
 */
import { AwsError } from './aws-error.js';
import type { ErrorSpec, FailSpec, OpSelector } from './types.js';

export type FaultReply =
  | { readonly kind: 'error'; readonly error: AwsError }
  | { readonly kind: 'raw'; readonly body: unknown }
  | { readonly kind: 'drop' };

export interface Interception {
  readonly source: 'outage' | 'injected';
  readonly reply: FaultReply;
}

interface Scripted {
  readonly op: OpSelector;
  readonly reply: FaultReply;
  remaining: number;
}

const replyFor = (spec: ErrorSpec): FaultReply => {
  if (spec.drop === true) return { kind: 'drop' };
  const type = spec.type ?? 'InternalServiceError';
  return { kind: 'error', error: new AwsError(type, spec.message ?? `Injected ${type}`, spec.status) };
};

const matches = (selector: OpSelector, op: string): boolean => selector === '*' || selector === op;

/** Takes one use of the first entry matching `op`, dropping it when used up. */
const take = (entries: Scripted[], op: string): FaultReply | undefined => {
  const index = entries.findIndex((entry) => matches(entry.op, op));
  const entry = entries[index];
  if (entry === undefined) return undefined;
  entry.remaining -= 1;
  if (entry.remaining <= 0) entries.splice(index, 1);
  return entry.reply;
};

export class Faults {
  private readonly failures: Scripted[] = [];
  private readonly crashes: Scripted[] = [];
  private readonly latencies = new Map<string, number>();
  private outageReply: FaultReply | undefined;
  private readonly stopping = new AbortController();

  failNext(op: OpSelector, spec: FailSpec = {}): void {
    this.failures.push({ op, reply: replyFor(spec), remaining: spec.times ?? 1 });
  }

  /** A 200 with `body` instead of running the operation. */
  malformedNext(op: OpSelector, body: unknown): void {
    this.failures.push({ op, reply: { kind: 'raw', body }, remaining: 1 });
  }

  crashAfter(op: OpSelector, spec: FailSpec = {}): void {
    this.crashes.push({ op, reply: replyFor(spec), remaining: spec.times ?? 1 });
  }

  latency(op: OpSelector, ms: number): void {
    if (ms <= 0) this.latencies.delete(op);
    else this.latencies.set(op, ms);
  }

  outage(spec: ErrorSpec = {}): void {
    this.outageReply = replyFor(spec);
  }

  restore(): void {
    this.outageReply = undefined;
  }

  clear(): void {
    this.failures.length = 0;
    this.crashes.length = 0;
    this.latencies.clear();
    this.restore();
  }

  stop(): void {
    this.stopping.abort();
  }

  /**
   * Before `op` runs: the outage reply, else the latency then any scripted failure. `stopped`
   * when the fake stopped during the wait (the request is then left unanswered).
   */
  async before(op: string): Promise<Interception | 'stopped' | undefined> {
    if (this.outageReply !== undefined) return { source: 'outage', reply: this.outageReply };
    const ms = this.latencies.get(op) ?? this.latencies.get('*');
    if (ms !== undefined) await this.sleep(ms);
    if (this.stopping.signal.aborted) return 'stopped';
    const reply = take(this.failures, op);
    return reply === undefined ? undefined : { source: 'injected', reply };
  }

  /** After `op` succeeded, its effect applied: the crash armed for it, if any. */
  takeCrash(op: string): FaultReply | undefined {
    return take(this.crashes, op);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.stopping.signal;
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });
  }
}
