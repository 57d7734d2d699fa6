/** Per-minute arithmetic on the log store's `YYYY-MM-DDTHH:MM` (UTC) buckets. */

export const MINUTE_MS = 60_000;

/** Minutes since the epoch of the minute containing `at`. */
export const minuteIndex = (at: Date | string): number =>
  Math.floor((typeof at === 'string' ? Date.parse(at) : at.getTime()) / MINUTE_MS);

/** The log store's bucket name for a minute index. */
export const minuteKey = (index: number): string => new Date(index * MINUTE_MS).toISOString().slice(0, 16);

/** The bucket name back to a minute index; NaN for anything else. */
export const parseMinuteKey = (key: string): number => Date.parse(`${key}:00.000Z`) / MINUTE_MS;

/** The ISO time a minute starts at. */
export const minuteStart = (index: number): string => new Date(index * MINUTE_MS).toISOString();

/** The middle value (the mean of the two middle ones for an even count); undefined when empty. */
export const median = (values: readonly number[]): number | undefined => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
};
