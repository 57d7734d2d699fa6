/** Time for the fake: every expiry, bucket refill and default log date reads `now()` (ms). */
export type Now = () => number;

/** A clock that only moves when told to, so rate-limit refills and windows need no real waiting. */
export class ManualClock {
  private current: number;

  constructor(start: number | Date = Date.now()) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  readonly now: Now = () => this.current;

  advance(ms: number): number {
    this.current += ms;
    return this.current;
  }

  set(at: number | Date): void {
    this.current = typeof at === 'number' ? at : at.getTime();
  }
}

export function toMillis(value: number | string | Date): number {
  if (typeof value === 'number') return value;
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (Number.isNaN(ms)) throw new Error(`fake Auth0: not a date: ${String(value)}`);
  return ms;
}
