import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { backupDatabase } from '../../../src/store/index.js';
import { open, tempDir } from './helpers.js';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 12, minute, 0));

const seed = (store: ReturnType<typeof open>, name: string) =>
  store.transaction(() =>
    store.db
      .prepare('INSERT INTO checkpoints (name, value, updated_at) VALUES (?, ?, ?)')
      .run(name, 'v', new Date().toISOString()),
  );

describe('backupDatabase', () => {
  it('writes a consistent, owner-only copy while the database stays open', async () => {
    const store = open({ path: join(tempDir(), 'app.db') });
    seed(store, 'before');
    const dir = join(tempDir(), 'backups');
    const result = await backupDatabase(store, { dir, retain: 5, now: at(0) });
    seed(store, 'after');

    expect(result.file).toBe(join(dir, 'auth0-oncall-20260301T120000Z.db'));
    expect(statSync(result.file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const copy = new Database(result.file, { readonly: true });
    try {
      expect(copy.prepare('SELECT name FROM checkpoints ORDER BY name').pluck().all()).toEqual(['before']);
    } finally {
      copy.close();
    }
  });

  it('keeps only the newest `retain` backups', async () => {
    const store = open({ path: join(tempDir(), 'app.db') });
    const dir = join(tempDir(), 'backups');
    writeFileSync(join(dir + '-unrelated.txt'), 'x');
    for (let m = 0; m < 5; m += 1) await backupDatabase(store, { dir, retain: 3, now: at(m) });
    expect(readdirSync(dir).sort()).toEqual([
      'auth0-oncall-20260301T120200Z.db',
      'auth0-oncall-20260301T120300Z.db',
      'auth0-oncall-20260301T120400Z.db',
    ]);
  });

  it('fails with the directory named and leaves no partial file behind', async () => {
    const store = open({ path: join(tempDir(), 'app.db') });
    const parent = tempDir();
    const notADir = join(parent, 'file');
    writeFileSync(notADir, 'x');
    let failure: unknown;
    try {
      await backupDatabase(store, { dir: notADir, retain: 3, now: at(0) });
    } catch (error) {
      failure = error;
    }
    expect(isAppError(failure) && failure.code).toBe('backup_failed');
    expect(readdirSync(parent)).toEqual(['file']);
  });
});
