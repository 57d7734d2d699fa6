import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteIdempotencyClaims, openDatabase } from '../../../src/store/index.js';
import { at, memoryStore, open, tempDir } from './helpers.js';

const KEY = 'step:inc1:verify';

const request = (actor: string, minutes = 0) => ({ key: KEY, scope: 'step', actor, at: at(minutes) });

describe('SqliteIdempotencyClaims', () => {
  it('gives the key to the first claimer and the existing claim to every later one', () => {
    const claims = new SqliteIdempotencyClaims(memoryStore());

    const first = claims.claim(request('U1'));
    const second = claims.claim(request('U2', 1));

    expect(first).toEqual({
      claimed: true,
      claim: {
        key: KEY,
        scope: 'step',
        claimedBy: 'U1',
        claimedAt: at(0),
        state: 'running',
        finishedAt: null,
        resultSummary: null,
        result: null,
      },
    });
    expect(second).toEqual({ claimed: false, existing: first.claimed ? first.claim : undefined });
  });

  it('claims a key once when two connections to the same file race for it', () => {
    const path = join(tempDir(), 'claims.db');
    const a = new SqliteIdempotencyClaims(open({ path }));
    const b = new SqliteIdempotencyClaims(open({ path }));
    const results = [
      a.claim(request('U1')),
      b.claim(request('U2')),
      a.claim(request('U3')),
      b.claim(request('U4')),
    ];
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    expect(b.get(KEY)?.claimedBy).toBe('U1');
  });

  it('finishes a running claim once and tells later clicks the result', () => {
    const claims = new SqliteIdempotencyClaims(memoryStore());
    claims.claim(request('U1'));

    expect(
      claims.finish(KEY, {
        state: 'succeeded',
        summary: 'token exchange ok',
        result: { status: 200 },
        at: at(2),
      }),
    ).toBe(true);
    expect(claims.finish(KEY, { state: 'failed', summary: 'late', at: at(3) })).toBe(false);

    const later = claims.claim(request('U2', 5));
    expect(later).toMatchObject({
      claimed: false,
      existing: {
        claimedBy: 'U1',
        state: 'succeeded',
        finishedAt: at(2),
        resultSummary: 'token exchange ok',
        result: { status: 200 },
      },
    });
  });

  it('does not finish a key nobody claimed', () => {
    const claims = new SqliteIdempotencyClaims(memoryStore());
    expect(claims.finish('step:nope:x', { state: 'failed', summary: 'x', at: at(0) })).toBe(false);
    expect(claims.get('step:nope:x')).toBeNull();
  });

  it('keeps a non-object result and a missing result', () => {
    const claims = new SqliteIdempotencyClaims(memoryStore());
    claims.claim({ ...request('U1'), key: 'a' });
    claims.claim({ ...request('U1'), key: 'b' });
    claims.finish('a', { state: 'failed', summary: 'boom', result: ['x', 1], at: at(1) });
    claims.finish('b', { state: 'failed', summary: 'boom', at: at(1) });
    expect(claims.get('a')?.result).toEqual(['x', 1]);
    expect(claims.get('b')?.result).toBeNull();
  });

  it('lists claims left running, oldest first, for crash recovery', () => {
    const claims = new SqliteIdempotencyClaims(memoryStore());
    claims.claim({ ...request('U1', 2), key: 'late' });
    claims.claim({ ...request('U1', 1), key: 'early' });
    claims.claim({ ...request('U1', 3), key: 'done' });
    claims.finish('done', { state: 'succeeded', summary: 'ok', at: at(4) });
    expect(claims.listRunning().map((c) => c.key)).toEqual(['early', 'late']);
  });

  it('keeps a claim across a restart of the process', () => {
    const path = join(tempDir(), 'claims.db');
    const before = openDatabase({ path });
    new SqliteIdempotencyClaims(before).claim(request('U1'));
    before.close();

    const after = new SqliteIdempotencyClaims(open({ path }));
    expect(after.claim(request('U2', 10))).toMatchObject({
      claimed: false,
      existing: { claimedBy: 'U1', state: 'running' },
    });
    expect(after.listRunning().map((c) => c.key)).toEqual([KEY]);
  });
});
