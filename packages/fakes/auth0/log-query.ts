/**
 * The subset of Auth0's log search syntax the fake understands: `field:value`, `field:pre*`,
 * `field:"quoted"`, `field:(a OR b)`, `date:[from TO to]` (`*` open, `{}` exclusive), joined by AND.
 */
import { isRecord } from './http.js';
import type { StoredLog } from './log-store.js';

export type Predicate = (log: StoredLog) => boolean;
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function fieldValue(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (!isRecord(current)) return undefined;
    current = current[part];
  }
  return current;
}

function wildcard(pattern: string): RegExp {
  // `?` is not a wildcard in Auth0's log search, so only `*` expands.
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`);
}

function rangeBound(text: string, field: string): number | string | undefined {
  if (text === '*') return undefined;
  if (field !== 'date') return text;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`invalid date "${text}"`);
  return ms;
}

function rangePredicate(field: string, value: string): Predicate {
  const match = /^([[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$/.exec(value);
  if (match === null) throw new Error(`invalid range "${value}"`);
  const [, open = '[', fromText = '*', toText = '*', close = ']'] = match;
  const from = rangeBound(fromText, field);
  const to = rangeBound(toText, field);
  return (log) => {
    const raw = field === 'date' ? log.dateMs : fieldValue(log.value, field);
    if (typeof raw !== 'number' && typeof raw !== 'string') return false;
    if (from !== undefined && (open === '[' ? raw < from : raw <= from)) return false;
    if (to !== undefined && (close === ']' ? raw > to : raw >= to)) return false;
    return true;
  };
}

function termPredicate(term: string): Predicate {
  const match = /^([\w.]+):(.+)$/s.exec(term);
  if (match === null) throw new Error(`unsupported term "${term}" (use field:value)`);
  const [, field = '', rawValue = ''] = match;
  const value = rawValue.trim();
  if (/^[[{]/.test(value)) return rangePredicate(field, value);
  const group = /^\((.+)\)$/.exec(value);
  const alternatives = group?.[1] === undefined ? [value] : group[1].split(/\s+OR\s+/);
  const tests = alternatives.map((alternative) => {
    const quoted = /^"(.*)"$/.exec(alternative);
    if (quoted !== null) return (text: string) => text === quoted[1];
    if (alternative.includes('*')) {
      const regex = wildcard(alternative);
      return (text: string) => regex.test(text);
    }
    return (text: string) => text === alternative;
  });
  return (log) => {
    const raw = fieldValue(log.value, field);
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') return false;
    const text = String(raw);
    return tests.some((test) => test(text));
  };
}

export function parseLogQuery(q: string | null): Parsed<Predicate> {
  if (q === null || q.trim() === '') return { ok: true, value: () => true };
  try {
    const predicates = q
      .trim()
      .split(/\s+AND\s+/)
      .map(termPredicate);
    return { ok: true, value: (log) => predicates.every((predicate) => predicate(log)) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

function sortable(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}

export type Comparator = (a: StoredLog, b: StoredLog) => number;

/** `date:-1` (the default: newest first) or `field:1`; ties keep `log_id` order. */
export function parseSort(sort: string | null): Parsed<Comparator> {
  const match = /^([\w.]+):(-?1)$/.exec(sort ?? 'date:-1');
  if (match === null) return { ok: false, message: `invalid sort "${sort ?? ''}"` };
  const [, field = 'date', direction = '-1'] = match;
  const sign = direction === '1' ? 1 : -1;
  return {
    ok: true,
    value: (a, b) => {
      const left = field === 'date' ? a.dateMs : sortable(fieldValue(a.value, field));
      const right = field === 'date' ? b.dateMs : sortable(fieldValue(b.value, field));
      const order = left < right ? -1 : left > right ? 1 : 0;
      return order === 0 ? (a.key < b.key ? -sign : sign) : order * sign;
    },
  };
}

/** `fields=a,b` with `include_fields` (default true) keeps or drops those top-level fields. */
export function projectFields(value: unknown, fields: string | null, include: boolean): unknown {
  if (fields === null || fields === '' || !isRecord(value)) return value;
  const names = new Set(fields.split(',').map((name) => name.trim()));
  return Object.fromEntries(Object.entries(value).filter(([name]) => names.has(name) === include));
}
