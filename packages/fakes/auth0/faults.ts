/** Fault injection by path prefix: outages, scripted failures, latency, hangs, malformed bodies. */
import type { Reply } from './types.js';

export interface FailSpec {
  status: number;
  /** Default: the Management API error shape for `status`. */
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail (default 1; `Infinity` until cleared). */
  times?: number;
}

export interface MalformedSpec {
  /** Default: a truncated JSON document. */
  body?: string;
  times?: number;
}

interface Scripted {
  prefix: string;
  reply: Reply;
  remaining: number;
}

/** `drop`: the fake is stopping and the request is left unanswered (its socket is destroyed). */
export type Interception = Reply | 'drop' | undefined;

function defaultBody(status: number): unknown {
  return { statusCode: status, error: 'Injected fault', message: `Injected ${status}` };
}

export class Faults {
  private readonly scripted: Scripted[] = [];
  private readonly latencies = new Map<string, number>();
  private readonly hung = new Set<string>();
  private readonly waiters = new Set<{ prefix: string; release: () => void }>();
  private outageReply: Reply | undefined;
  private readonly stopping = new AbortController();

  failNext(prefix: string, spec: FailSpec): void {
    const reply: Reply = { status: spec.status, body: spec.body ?? defaultBody(spec.status) };
    if (spec.headers !== undefined) reply.headers = spec.headers;
    this.scripted.push({ prefix, reply, remaining: spec.times ?? 1 });
  }

  /** A 200 whose body is not JSON, as a misbehaving proxy in front of the tenant might send. */
  malformedNext(prefix: string, spec: MalformedSpec = {}): void {
    const reply: Reply = {
      status: 200,
      raw: spec.body ?? '[{"log_id":"9002026',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    };
    this.scripted.push({ prefix, reply, remaining: spec.times ?? 1 });
  }

  setLatency(prefix: string, ms: number): void {
    if (ms <= 0) this.latencies.delete(prefix);
    else this.latencies.set(prefix, ms);
  }

  /** Matching requests get no answer until `release(prefix)`, `clear()` or `stop`. */
  hang(prefix: string): void {
    this.hung.add(prefix);
  }

  /** Un-hangs a prefix; requests already waiting then proceed normally. */
  release(prefix: string): void {
    this.hung.delete(prefix);
    for (const waiter of this.waiters) if (waiter.prefix === prefix) waiter.release();
  }

  outage(spec: { status?: number; body?: unknown } = {}): void {
    const status = spec.status ?? 503;
    this.outageReply = { status, body: spec.body ?? defaultBody(status) };
  }

  get inOutage(): boolean {
    return this.outageReply !== undefined;
  }

  restore(): void {
    this.outageReply = undefined;
  }

  clear(): void {
    this.scripted.length = 0;
    this.latencies.clear();
    this.restore();
    for (const prefix of [...this.hung]) this.release(prefix);
  }

  stop(): void {
    this.stopping.abort();
    for (const waiter of this.waiters) waiter.release();
  }

  async intercept(path: string): Promise<Interception> {
    if (this.outageReply !== undefined) return this.outageReply;
    const hungPrefix = [...this.hung].find((prefix) => path.startsWith(prefix));
    if (hungPrefix !== undefined) await this.wait(hungPrefix);
    const latency = [...this.latencies].find(([prefix]) => path.startsWith(prefix))?.[1];
    if (latency !== undefined) await this.sleep(latency);
    if (this.stopping.signal.aborted) return 'drop';
    const index = this.scripted.findIndex((entry) => path.startsWith(entry.prefix));
    const entry = this.scripted[index];
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.scripted.splice(index, 1);
    return entry.reply;
  }

  private wait(prefix: string): Promise<void> {
    if (this.stopping.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        prefix,
        release: () => {
          this.waiters.delete(waiter);
          resolve();
        },
      };
      this.waiters.add(waiter);
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.stopping.signal;
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done);
    });
  }
}
