import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { acquireInstanceLock } from '../../../src/store/instance-lock.js';
import { openDatabase } from '../../../src/store/index.js';
import { open, tempDir } from './helpers.js';

const refusal = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('the single-instance lock', () => {
  it('refuses a second holder, naming the first, until the first releases it', () => {
    const db = join(tempDir(), 'oncall.db');
    const first = acquireInstanceLock(db, {
      pid: 4242,
      host: 'box-1',
      now: () => new Date('2026-03-01T10:00:00.000Z'),
    });
    expect(existsSync(`${db}.lock`)).toBe(true);
    const err = refusal(() => acquireInstanceLock(db));
    expect(err.code).toBe('already_running');
    expect(err.message).toContain('pid 4242 on host "box-1", started 2026-03-01T10:00:00.000Z');
    expect(err.message).toContain(`DATABASE_PATH "${db}"`);
    first.release();
    first.release();
    const second = acquireInstanceLock(db);
    second.release();
  });

  it('is held by an exclusive database from open to close, and not taken by a plain open', () => {
    const path = join(tempDir(), 'oncall.db');
    const app = openDatabase({ path, exclusive: true });
    expect(refusal(() => openDatabase({ path, exclusive: true })).code).toBe('already_running');
    // Tools and tests may still read the database beside the app.
    open({ path, readonly: true }).close();
    app.close();
    open({ path, exclusive: true });
  });

  it('is not needed for an in-memory database', () => {
    open({ path: ':memory:', exclusive: true });
    open({ path: ':memory:', exclusive: true });
  });

  it('reports an unwritable lock location as the database path problem it is', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    const err = refusal(() => openDatabase({ path: join(file, 'oncall.db'), exclusive: true }));
    expect(err.code).toBe('database_unavailable');
    expect(err.message).toContain('DATABASE_PATH');
  });
});
