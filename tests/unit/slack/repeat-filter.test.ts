import { describe, expect, it } from 'vitest';
import { createRepeatFilter } from '../../../src/slack/repeat-filter.js';

describe('repeat filter for private replies', () => {
  it('lets a key through once per window, and again once the window has passed', () => {
    let t = 1_000;
    const firstTime = createRepeatFilter(5_000, () => t);
    expect(firstTime('U1 step:a already running')).toBe(true);
    t += 10;
    expect(firstTime('U1 step:a already running')).toBe(false);
    t += 4_980;
    expect(firstTime('U1 step:a already running')).toBe(false);
    t += 10;
    expect(firstTime('U1 step:a already running')).toBe(true);
  });

  it('keeps other people, other buttons and new texts apart', () => {
    const firstTime = createRepeatFilter(5_000, () => 0);
    expect(firstTime('U1 step:a running')).toBe(true);
    expect(firstTime('U2 step:a running')).toBe(true);
    expect(firstTime('U1 step:b running')).toBe(true);
    expect(firstTime('U1 step:a done')).toBe(true);
    expect(firstTime('U1 step:a running')).toBe(false);
  });

  it('holds at most maxKeys keys, dropping the oldest first', () => {
    const firstTime = createRepeatFilter(60_000, () => 0, 3);
    for (const key of ['a', 'b', 'c', 'd']) expect(firstTime(key)).toBe(true);
    // 'a' was dropped to make room for 'd'; 'c' and 'd' are still held.
    expect(firstTime('c')).toBe(false);
    expect(firstTime('d')).toBe(false);
    expect(firstTime('a')).toBe(true);
  });
});
