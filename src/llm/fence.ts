import { DATA_CLOSE, DATA_OPEN, MAX_DATA_CHARS, MAX_TEXT_CHARS, neutralise } from './prompt.js';

/**
 * The thread agent's untrusted values (log fields, Slack users' words, tool results) as the model
 * sees them: each string neutralised and bounded (prompt.ts) and the whole in one fenced DATA
 * block, so the block's end is always ours.
 */

/** A question or an earlier turn may be longer than a log value. */
const MAX_SAID_CHARS = 1_000;

/** Stands in for an empty text part: the model APIs refuse empty text blocks. */
export const NO_TEXT = '(no text)';

const neutraliseDeep = (value: unknown, max: number, items: number): unknown => {
  if (typeof value === 'string') return neutralise(value, max);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean' || value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.slice(0, items).map((v) => neutraliseDeep(v, max, items));
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .slice(0, 40)
        .map(([k, v]) => [neutralise(k, 40), neutraliseDeep(v, max, items)]),
    );
  }
  return null;
};

/** One fenced block; lists shrink until it fits MAX_DATA_CHARS. */
export const fence = (label: string, value: unknown): string => {
  const max = label === 'question' || label === 'engineer_said' ? MAX_SAID_CHARS : MAX_TEXT_CHARS;
  let json = '';
  for (const items of [20, 10, 5, 1, 0]) {
    json = JSON.stringify(neutraliseDeep(value ?? null, max, items));
    if (json.length <= MAX_DATA_CHARS) break;
  }
  return `${neutralise(label, 40)}:\n${DATA_OPEN}\n${json}\n${DATA_CLOSE}`;
};
