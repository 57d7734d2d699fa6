import { chmodSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { open, tempDir } from './helpers.js';

const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

const writeOne = (store: ReturnType<typeof open>, name: string) =>
  store.transaction(() =>
    store.db
      .prepare('INSERT INTO checkpoints (name, value, updated_at) VALUES (?, ?, ?)')
      .run(name, 'v', new Date().toISOString()),
  );

describe('the database file', () => {
  it('is created owner-only (0600), and so are its WAL and shared-memory files', () => {
    const path = join(tempDir(), 'app.db');
    const previous = process.umask(0o022);
    try {
      const store = open({ path });
      writeOne(store, 'a');
      expect([mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual(['600', '600', '600']);
    } finally {
      process.umask(previous);
    }
  });

  it('tightens a world-readable database left by an older build', () => {
    const path = join(tempDir(), 'old.db');
    open({ path }).close();
    chmodSync(path, 0o644);
    const store = open({ path });
    writeOne(store, 'a');
    expect(mode(path)).toBe('600');
  });
});

describe('storage health', () => {
  it('is healthy while the file it opened is in place', () => {
    const store = open({ path: join(tempDir(), 'app.db') });
    writeOne(store, 'a');
    expect(store.health()).toEqual({ ok: true });
  });

  it('reports a database file deleted at run time and refuses to write into the unlinked file', () => {
    const path = join(tempDir(), 'app.db');
    const store = open({ path });
    writeOne(store, 'a');
    for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });

    const health = store.health();
    expect(health).toMatchObject({ ok: false, problem: expect.stringContaining('was deleted') as string });
    let refused: unknown;
    try {
      writeOne(store, 'b');
    } catch (error) {
      refused = error;
    }
    expect(isAppError(refused) && refused.code).toBe('database_unavailable');
    // Writes that do not go through a transaction are refused too: the connection is closed.
    expect(() => store.db.prepare('SELECT 1').get()).toThrow(/not open/);
  });

  it('reports a database file replaced by another one at run time', () => {
    const dir = tempDir();
    const path = join(dir, 'app.db');
    const store = open({ path });
    writeOne(store, 'a');
    writeFileSync(join(dir, 'other.db'), '');
    renameSync(join(dir, 'other.db'), path);
    expect(store.health()).toMatchObject({
      ok: false,
      problem: expect.stringContaining('was replaced') as string,
    });
  });

  it('reports failing writes (a full disk) and recovers once a write succeeds again', () => {
    const store = open({ path: join(tempDir(), 'app.db') });
    writeOne(store, 'a');
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    // A page limit at the current size makes SQLite answer SQLITE_FULL, as a full disk does.
    store.db.pragma(`max_page_count = ${pages}`);
    expect(() => {
      store.transaction(() => {
        const insert = store.db.prepare('INSERT INTO checkpoints (name, value, updated_at) VALUES (?, ?, ?)');
        for (let i = 0; i < 2000; i += 1) insert.run(`k${i}`, 'x'.repeat(500), new Date().toISOString());
      });
    }).toThrow(/full/);
    expect(store.health()).toMatchObject({
      ok: false,
      problem: expect.stringContaining('SQLITE_FULL') as string,
    });

    store.db.pragma('max_page_count = 1073741823');
    writeOne(store, 'b');
    expect(store.health()).toEqual({ ok: true });
  });
});
