import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * JSON.parse of a 2 MiB Log Stream body of ~700,000 tiny items holds the event loop for half a
 * second or more on a busy host. These parse it a slice at a time with a turn of the event loop
 * between slices, so Slack acks are answered meanwhile (bench/log-stream-stall.ts).
 */
const SCAN_CHARS_PER_TURN = 256 * 1024;
const VALUES_PER_TURN = 5_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN = new Set([0x7b, 0x5b]);
const CLOSE = new Set([0x7d, 0x5d]);

/**
 * The source text of each top-level element of the JSON array `text` (which starts with `[`).
 * Elements are split at commas outside strings and nesting; parsing each one validates it, so a
 * body whose elements all parse is exactly a valid JSON array.
 */
const arrayElements = async (text: string): Promise<string[]> => {
  const end = text.length - 1;
  if (text.charCodeAt(end) !== 0x5d) throw new SyntaxError('the array is not closed');
  const elements: string[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = 1;
  for (let i = 1; i < end; i += 1) {
    if (i % SCAN_CHARS_PER_TURN === 0) await nextTurn();
    const c = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === BACKSLASH) escaped = true;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (OPEN.has(c)) depth += 1;
    else if (CLOSE.has(c)) depth -= 1;
    else if (c === COMMA && depth === 0) {
      elements.push(text.slice(start, i));
      start = i + 1;
    }
  }
  const last = text.slice(start, end);
  if (elements.length > 0 || last.trim() !== '') elements.push(last);
  return elements;
};

/** JSON.parse of each source, a slice at a time; throws as JSON.parse does. */
const parseEach = async (sources: readonly string[]): Promise<unknown[]> => {
  const values = new Array<unknown>(sources.length);
  for (let i = 0; i < sources.length; i += 1) {
    if (i > 0 && i % VALUES_PER_TURN === 0) await nextTurn();
    values[i] = JSON.parse(sources[i] ?? '') as unknown;
  }
  return values;
};

/** A JSON array, parsed in turns. */
export const parseJsonArrayInTurns = async (text: string): Promise<unknown[]> =>
  parseEach(await arrayElements(text));

/** JSON lines (blank lines ignored), parsed in turns. */
export const parseJsonLinesInTurns = (text: string): Promise<unknown[]> =>
  parseEach(text.split('\n').filter((l) => l.trim() !== ''));
