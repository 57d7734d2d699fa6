/** The tenant log: entries kept in `log_id` order, as checkpoint paging serves them. */
import { toMillis, type Now } from './clock.js';
import { isRecord } from './http.js';
import type { LogEntry, LogEntryInput } from './types.js';

/** Descriptions Auth0 uses for the codes the fake emits (the rest default to the code itself). */
const DESCRIPTIONS: Record<string, string> = {
  s: 'Successful login',
  f: 'Failed login',
  fp: 'Wrong email or password.',
  fu: 'Wrong email or password.',
  seccft: 'Client Credentials for Access Token',
  feccft: 'Unauthorized',
  seacft: 'Authorization Code for Access Token',
  feacft: 'Unauthorized',
  sertft: 'Refresh Token for Access Token',
  sapi: 'API Operation',
  mgmt_api_read: 'API GET operation returning secrets',
  api_limit: 'Rate limit exceeded',
  api_limit_warning: 'Rate limit warning',
  limit_wc: 'Blocked Account',
  limit_sul: 'Blocked user',
  limit_mu: 'Blocked IP Address',
  actions_execution_failed: 'Action execution failed',
  custom_domain_verification_failed: 'Custom domain verification failed',
};

export interface StoredLog {
  /** The `log_id` the store assigned; for raw entries it may differ from the served object's. */
  key: string;
  dateMs: number;
  value: unknown;
}

export interface LogStoreOptions {
  now: Now;
  tenantName: string;
  environmentName: string;
}

// 900 + 17-digit UTC timestamp + 36-digit sequence = 56 digits, like the ids in Auth0's examples.
const SEQUENCE_DIGITS = 36;

function stampDigits(ms: number): string {
  return new Date(ms).toISOString().replace(/\D/g, '');
}

export class LogStore {
  private readonly entries: StoredLog[] = [];
  private readonly byKey = new Map<string, StoredLog>();
  private lastStamp = 0;
  private sequence = 0n;

  constructor(private readonly options: LogStoreOptions) {}

  append(inputs: readonly LogEntryInput[]): LogEntry[] {
    return inputs.map((input) => {
      const dateMs = input.date === undefined ? this.options.now() : toMillis(input.date);
      const key = this.nextKey(dateMs);
      const { date: _date, log_id: _logId, _id: _underscoreId, type, ...fields } = input;
      const entry: LogEntry = {
        log_id: key,
        _id: key,
        date: new Date(dateMs).toISOString(),
        type,
        description: DESCRIPTIONS[type] ?? type,
        tenant_name: this.options.tenantName,
        environment_name: this.options.environmentName,
        ...fields,
      };
      this.store({ key, dateMs, value: entry });
      return entry;
    });
  }

  /** Stores objects verbatim (malformed entries for parser tests); they still get a place in order. */
  appendRaw(objects: readonly unknown[]): string[] {
    return objects.map((value) => {
      const date = isRecord(value) && typeof value.date === 'string' ? Date.parse(value.date) : NaN;
      const dateMs = Number.isNaN(date) ? this.options.now() : date;
      const key = this.nextKey(dateMs);
      this.store({ key, dateMs, value });
      return key;
    });
  }

  count(): number {
    return this.entries.length;
  }

  all(): readonly StoredLog[] {
    return this.entries;
  }

  get(id: string): StoredLog | undefined {
    return this.byKey.get(id);
  }

  latestKey(): string | undefined {
    return this.entries.at(-1)?.key;
  }

  /** Entries with a key strictly greater than `from`, in key order. */
  after(from: string, take: number): StoredLog[] {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const key = this.entries[mid]?.key ?? '';
      if (compareKeys(key, from) <= 0) low = mid + 1;
      else high = mid;
    }
    return this.entries.slice(low, low + take);
  }

  private store(stored: StoredLog): void {
    this.entries.push(stored);
    this.byKey.set(stored.key, stored);
  }

  // Late entries (dated before the last one) keep an increasing id, as Auth0 ids follow ingestion.
  private nextKey(dateMs: number): string {
    this.lastStamp = Math.max(this.lastStamp, dateMs);
    this.sequence += 1n;
    return `900${stampDigits(this.lastStamp)}${this.sequence.toString().padStart(SEQUENCE_DIGITS, '0')}`;
  }
}

/** Numeric order for digit strings of any length (a shorter `from` is an older one). */
function compareKeys(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
