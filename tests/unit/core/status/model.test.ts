import { describe, expect, it } from 'vitest';
import { collectStatus, formatDuration, type StatusProvider } from '../../../../src/core/status/model.js';

const provider = (title: string, read: StatusProvider['read']): StatusProvider => ({ title, read });

describe('collectStatus', () => {
  it('returns every section in order, sync or async', async () => {
    const sections = await collectStatus(
      [
        provider('A', () => ({ title: 'A', items: [{ label: 'x', value: '1', level: 'ok' }] })),
        provider('B', () => Promise.resolve({ title: 'B', items: [] })),
      ],
      { timeoutMs: 100 },
    );
    expect(sections.map((s) => s.title)).toEqual(['A', 'B']);
  });

  it('reports a failing or hanging section without hiding the others', async () => {
    const sections = await collectStatus(
      [
        provider('Broken', () => {
          throw new Error('db closed');
        }),
        provider('Slow', () => new Promise(() => undefined)),
        provider('Fine', () => ({ title: 'Fine', items: [] })),
      ],
      { timeoutMs: 30 },
    );
    expect(sections[0]).toEqual({
      title: 'Broken',
      items: [{ label: 'status', value: 'unavailable: db closed', level: 'error' }],
    });
    expect(sections[1]?.items[0]?.value).toBe('unavailable: no answer within 30 ms');
    expect(sections[2]?.title).toBe('Fine');
  });

  it('says "failed" when a section throws something that is not an Error', async () => {
    const odd = await collectStatus(
      [
        provider('Y', () => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a careless provider might do
          throw 'text';
        }),
      ],
      { timeoutMs: 30 },
    );
    expect(odd[0]?.items[0]?.value).toBe('unavailable: failed');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [-5, '0s'],
    [42_000, '42s'],
    [125_000, '2m 5s'],
    [2 * 3600_000 + 5 * 60_000, '2h 5m'],
    [3 * 86_400_000 + 4 * 3600_000, '3d 4h'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
