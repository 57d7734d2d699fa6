import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { loadMigrations, openDatabase } from '../../../src/store/index.js';
import { memoryStore, open, tempDir } from './helpers.js';

const catchError = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

const tables = (store: ReturnType<typeof memoryStore>): string[] =>
  store.db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all()
    .map((row) => row.name);

// The bundled migrations are numbered 1..n without gaps; n is the version a fresh database reaches.
const LATEST = loadMigrations().length;

describe('openDatabase', () => {
  it('applies the bundled migrations to an in-memory database', () => {
    const store = memoryStore();
    expect(store.schemaVersion()).toBe(LATEST);
    expect(tables(store)).toEqual([
      'audit_log',
      'audit_retention',
      'checkpoints',
      'idempotency_claims',
      'incident_events',
      'incident_steps',
      'incidents',
      'job_slots',
      'jwks_hook_deliveries',
      'jwks_hook_notifications',
      'log_counts',
      'log_events',
      'maintenance_windows',
      'rotation_controls',
      'rotations',
      'schema_migrations',
      'slack_outbox',
      'tenant_event_rejects',
      'tenant_events',
      'thread_event_claims',
      'thread_messages',
      'watcher_readings',
    ]);
  });

  it('creates the parent directory and sets WAL, foreign keys, busy timeout and synchronous on a file', () => {
    const path = join(tempDir(), 'nested', 'deeper', 'oncall.db');
    const store = open({ path });
    expect(store.path).toBe(path);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('enforces foreign keys', () => {
    const store = memoryStore();
    const insert = () =>
      store.db
        .prepare(
          "INSERT INTO incident_events (incident_id, at, kind, actor) VALUES ('nope', ?, 'note', 'system')",
        )
        .run(new Date().toISOString());
    expect(insert).toThrow(/FOREIGN KEY/);
  });

  it('applies migrations once and keeps data across a reopen of the same file', () => {
    const path = join(tempDir(), 'oncall.db');
    const first = openDatabase({ path, now: () => new Date('2025-01-01T00:00:00.000Z') });
    first.db
      .prepare("INSERT INTO checkpoints (name, value, updated_at) VALUES ('poller', 'log-1', ?)")
      .run('2025-01-01T00:00:00.000Z');
    first.close();

    const second = open({ path, now: () => new Date('2026-01-01T00:00:00.000Z') });
    expect(second.schemaVersion()).toBe(LATEST);
    expect(second.db.prepare('SELECT version, name, applied_at FROM schema_migrations').all()).toEqual(
      loadMigrations().map((m) => ({
        version: m.version,
        name: m.name,
        applied_at: '2025-01-01T00:00:00.000Z',
      })),
    );
    expect(second.db.prepare("SELECT value FROM checkpoints WHERE name = 'poller'").pluck().get()).toBe(
      'log-1',
    );
  });

  it('refuses an unopenable path with database_unavailable naming DATABASE_PATH and keeping the cause', () => {
    const dir = tempDir();
    const blocker = join(dir, 'not-a-directory');
    writeFileSync(blocker, 'plain file');
    const path = join(blocker, 'oncall.db');

    const error = catchError(() => openDatabase({ path }));

    expect(isAppError(error) && error.code).toBe('database_unavailable');
    expect(error).toHaveProperty(
      'message',
      expect.stringMatching(
        /^DATABASE_PATH: cannot open ".*not-a-directory\/oncall\.db": .+\. Point DATABASE_PATH at a writable file, e\.g\. \.\/data\/auth0-oncall\.db$/,
      ),
    );
    expect(error).toHaveProperty('cause', expect.any(Error));
  });

  it('refuses a path that is a directory', () => {
    const dir = tempDir();
    const path = join(dir, 'is-a-dir');
    mkdirSync(path);
    const error = catchError(() => openDatabase({ path }));
    expect(isAppError(error) && error.code).toBe('database_unavailable');
    expect(error).toHaveProperty('message', expect.stringContaining('DATABASE_PATH'));
  });

  it('refuses a file that is not a database', () => {
    const path = join(tempDir(), 'garbage.db');
    writeFileSync(path, 'this is not sqlite '.repeat(100));
    const error = catchError(() => openDatabase({ path }));
    expect(isAppError(error) && error.code).toBe('database_unavailable');
  });

  it('closes idempotently and reports whether it is open', () => {
    const store = openDatabase({ path: ':memory:' });
    expect(store.isOpen()).toBe(true);
    store.close();
    store.close();
    expect(store.isOpen()).toBe(false);
  });

  it('commits a transaction and rolls it back entirely when the function throws', () => {
    const store = memoryStore();
    const insert = store.db.prepare(
      "INSERT INTO checkpoints (name, value, updated_at) VALUES (?, 'v', '2025-01-01T00:00:00.000Z')",
    );
    const count = () => store.db.prepare('SELECT count(*) FROM checkpoints').pluck().get();

    expect(store.transaction(() => insert.run('a').changes)).toBe(1);
    expect(() =>
      store.transaction(() => {
        insert.run('b');
        store.transaction(() => insert.run('c'));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(count()).toBe(1);
  });
});

describe('openDatabase read-only', () => {
  it('reads a migrated file but cannot write to it', () => {
    const path = join(tempDir(), 'oncall.db');
    openDatabase({ path }).close();
    const store = open({ path, readonly: true });
    expect(store.schemaVersion()).toBe(LATEST);
    expect(() =>
      store.db
        .prepare(
          "INSERT INTO checkpoints (name, value, updated_at) VALUES ('a', 'b', '2025-01-01T00:00:00.000Z')",
        )
        .run(),
    ).toThrow(/readonly/);
  });

  it('refuses an in-memory database, which cannot be read-only', () => {
    const error = catchError(() => openDatabase({ path: ':memory:', readonly: true }));
    expect(isAppError(error) && error.code).toBe('database_unavailable');
  });

  it('refuses a file that does not exist', () => {
    const path = join(tempDir(), 'missing.db');
    const error = catchError(() => openDatabase({ path, readonly: true }));
    expect(isAppError(error) && error.code).toBe('database_unavailable');
  });

  it('refuses a database that still needs migrations', () => {
    const path = join(tempDir(), 'empty.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE unrelated (x INTEGER)');
    raw.close();
    const error = catchError(() => openDatabase({ path, readonly: true }));
    expect(isAppError(error) && error.code).toBe('database_unavailable');
    expect(error).toHaveProperty(
      'message',
      expect.stringContaining(`schema version 0, this build needs ${LATEST}`),
    );
  });

  it('refuses a database written by a newer build', () => {
    const path = join(tempDir(), 'newer.db');
    const store = openDatabase({ path });
    store.db
      .prepare("INSERT INTO schema_migrations VALUES (?, 'future', '2030-01-01T00:00:00.000Z')")
      .run(LATEST + 1);
    store.close();
    const error = catchError(() => openDatabase({ path, readonly: true }));
    expect(isAppError(error) && error.code).toBe('migration_failed');
    expect(error).toHaveProperty('message', expect.stringContaining('newer'));
  });
});
