import type { StatusItem } from '../status/model.js';
import { KNOWN_CODE_COUNT } from './catalogue.js';

export interface UnknownCodeCount {
  readonly type: string;
  readonly count: number;
}

/**
 * The log codes seen since start that the catalogue does not know, for `/auth0 status`. Held in
 * memory like the other "since start" counts: the Prometheus counter keeps the history, and a code
 * still being emitted shows up again after a restart. At most `maxTypes` codes are kept by name
 * (log types are attacker-influenced through the Log Stream); the rest are summed under `other`.
 */
export const createUnknownCodeTally = ({ maxTypes = 50 }: { maxTypes?: number } = {}) => {
  const counts = new Map<string, number>();
  return {
    /** Adds a batch's counts; returns the codes seen for the first time since start. */
    add(seen: ReadonlyMap<string, number>): string[] {
      const first: string[] = [];
      for (const [type, n] of seen) {
        const key = counts.has(type) || counts.size < maxTypes ? type : 'other';
        if (!counts.has(key) && key !== 'other') first.push(type);
        counts.set(key, (counts.get(key) ?? 0) + n);
      }
      return first;
    },
    /** Most seen first. */
    snapshot: (): UnknownCodeCount[] =>
      [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count),
  };
};

const SHOWN = 5;

/** "185 known; unknown seen: xyz ×3, abc ×1": a warning while any unknown code has been seen. */
export const logCodesStatusItem = (unknown: readonly UnknownCodeCount[]): StatusItem => {
  if (unknown.length === 0)
    return { label: 'log codes', value: `${KNOWN_CODE_COUNT} known; no unknown code seen`, level: 'ok' };
  const shown = unknown.slice(0, SHOWN).map((u) => `${u.type} ×${u.count}`);
  const more = unknown.length > SHOWN ? ` and ${unknown.length - SHOWN} more` : '';
  return {
    label: 'log codes',
    value: `${KNOWN_CODE_COUNT} known; unknown seen: ${shown.join(', ')}${more}`,
    level: 'warn',
  };
};
