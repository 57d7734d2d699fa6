import { describe, expect, it } from 'vitest';
import { KNOWN_CODE_COUNT } from '../../../../src/core/logs/catalogue.js';
import { createUnknownCodeTally, logCodesStatusItem } from '../../../../src/core/logs/catalogue-unknown.js';

describe('the tally of unknown log codes', () => {
  it('adds counts across batches and says which codes are new', () => {
    const tally = createUnknownCodeTally();
    expect(tally.add(new Map([['xyz', 2]]))).toEqual(['xyz']);
    expect(
      tally.add(
        new Map([
          ['xyz', 1],
          ['abc', 1],
        ]),
      ),
    ).toEqual(['abc']);
    expect(tally.snapshot()).toEqual([
      { type: 'xyz', count: 3 },
      { type: 'abc', count: 1 },
    ]);
  });

  it('keeps at most maxTypes codes by name and sums the rest under other', () => {
    const tally = createUnknownCodeTally({ maxTypes: 2 });
    tally.add(new Map(['a', 'b', 'c', 'd'].map((t) => [t, 1])));
    tally.add(new Map([['a', 5]]));
    expect(tally.snapshot()).toEqual([
      { type: 'a', count: 6 },
      { type: 'other', count: 2 },
      { type: 'b', count: 1 },
    ]);
  });
});

describe('the "log codes" status line', () => {
  it('says how many codes are known, and is calm while no unknown one has been seen', () => {
    expect(logCodesStatusItem([])).toEqual({
      label: 'log codes',
      value: `${KNOWN_CODE_COUNT} known; no unknown code seen`,
      level: 'ok',
    });
  });

  it('lists the unknown codes seen, most frequent first, as a warning', () => {
    const item = logCodesStatusItem([
      { type: 'xyz', count: 3 },
      { type: 'abc', count: 1 },
    ]);
    expect(item).toEqual({
      label: 'log codes',
      value: `${KNOWN_CODE_COUNT} known; unknown seen: xyz ×3, abc ×1`,
      level: 'warn',
    });
  });

  it('shows five codes and how many more', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ type: `c${i}`, count: 8 - i }));
    expect(logCodesStatusItem(many).value).toMatch(/c0 ×8, c1 ×7, c2 ×6, c3 ×5, c4 ×4 and 3 more$/);
  });
});
