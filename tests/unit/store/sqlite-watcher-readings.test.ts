import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteWatcherReadings } from '../../../src/store/sqlite-watcher-readings.js';
import { at, memoryStore, open, tempDir } from './helpers.js';

describe('SqliteWatcherReadings', () => {
  it('returns null for a watcher that never ran', () => {
    expect(new SqliteWatcherReadings(memoryStore()).get('signing_keys')).toBeNull();
  });

  it('returns the latest reading with its state parsed back from JSON', () => {
    const readings = new SqliteWatcherReadings(memoryStore());
    readings.put('signing_keys', {
      at: at(0),
      ok: true,
      summary: 'current key A',
      state: { currentKid: 'A' },
    });
    readings.put('signing_keys', {
      at: at(5),
      ok: false,
      summary: 'current key B; current key missing from the JWKS',
      state: { currentKid: 'B', revokedKids: ['A'] },
    });
    expect(readings.get('signing_keys')).toEqual({
      at: at(5),
      ok: false,
      summary: 'current key B; current key missing from the JWKS',
      state: { currentKid: 'B', revokedKids: ['A'] },
    });
  });

  it('keeps each watcher’s reading apart', () => {
    const readings = new SqliteWatcherReadings(memoryStore());
    readings.put('certificates', {
      at: at(0),
      ok: true,
      summary: 'no custom domains',
      state: { domains: {} },
    });
    readings.put('credentials', {
      at: at(1),
      ok: true,
      summary: 'no active credential expires',
      state: { credentials: {} },
    });
    expect(readings.get('certificates')?.summary).toBe('no custom domains');
    expect(readings.get('credentials')?.at).toBe(at(1));
    expect(readings.get('signing_keys')).toBeNull();
  });

  it('stores times in canonical form and refuses a value that is not a time', () => {
    const readings = new SqliteWatcherReadings(memoryStore());
    readings.put('credentials', { at: '2025-03-01T10:00:00+01:00', ok: true, summary: 's', state: {} });
    expect(readings.get('credentials')?.at).toBe('2025-03-01T09:00:00.000Z');
    expect(() => {
      readings.put('credentials', { at: 'yesterday', ok: true, summary: 's', state: {} });
    }).toThrow(/watcher.at must be an ISO-8601 time/);
  });

  it('stores a missing state as null and refuses state JSON cannot hold', () => {
    const readings = new SqliteWatcherReadings(memoryStore());
    readings.put('certificates', {
      at: at(0),
      ok: false,
      summary: 'check failed: timeout',
      state: undefined,
    });
    expect(readings.get('certificates')?.state).toBeNull();
    expect(() => {
      readings.put('certificates', { at: at(1), ok: true, summary: 's', state: { n: 1n } });
    }).toThrow(/watcher.state is not JSON-serialisable/);
    expect(readings.get('certificates')?.at).toBe(at(0));
  });

  it('keeps readings across a reopen of the database file', () => {
    const path = join(tempDir(), 'oncall.db');
    const first = open({ path });
    new SqliteWatcherReadings(first).put('signing_keys', {
      at: at(0),
      ok: true,
      summary: 'k',
      state: { currentKid: 'A' },
    });
    first.close();
    expect(new SqliteWatcherReadings(open({ path })).get('signing_keys')?.state).toEqual({ currentKid: 'A' });
  });
});
