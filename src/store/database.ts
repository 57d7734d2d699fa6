import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { UnitOfWork } from '../core/logs/ports.js';
import { AppError } from '../errors.js';
import { errorMessage } from './codec.js';
import { acquireInstanceLock, type InstanceLock } from './instance-lock.js';
import { currentVersion, loadMigrations, migrate } from './migrate.js';

export interface OpenDatabaseOptions {
  /** A file path, or `:memory:`. */
  readonly path: string;
  /** Opens an existing, fully migrated database without writing to it. */
  readonly readonly?: boolean;
  /** Overrides the bundled migrations (tests). */
  readonly migrationsDir?: string | URL;
  /** Clock for `schema_migrations.applied_at`. */
  readonly now?: () => Date;
  /**
   * Holds the single-instance lock (src/store/instance-lock.ts) while open: the app's own
   * database. Taken before anything is read or migrated; released by close().
   */
  readonly exclusive?: boolean;
}

/** The open database: repositories use `db`; everyone else uses `transaction`. */
export interface StoreDatabase extends UnitOfWork {
  readonly db: Database.Database;
  readonly path: string;
  /** Runs `fn` in an IMMEDIATE transaction (a savepoint when nested); `fn` must be synchronous. */
  transaction<T>(fn: () => T): T;
  /** Idempotent. */
  close(): void;
  isOpen(): boolean;
  schemaVersion(): number;
}

const IN_MEMORY = ':memory:';
const busyTimeoutMs = 5000;

const unavailable = (path: string, error: unknown): AppError => {
  return new AppError(
    'database_unavailable',
    `DATABASE_PATH: cannot open "${path}": ${errorMessage(error)}. ` +
      'Point DATABASE_PATH at a writable file, e.g. ./data/auth0-oncall.db',
    { cause: error },
  );
};

// '' is SQLite's private temporary database: like :memory:, nothing to create or journal.
const isFile = (path: string): boolean => path !== IN_MEMORY && path !== '';

/** Opens the connection and sets its pragmas; touches the disk, so every failure is the path's. */
const connect = (path: string, readonly: boolean): Database.Database => {
  if (isFile(path) && !readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly, fileMustExist: readonly });
  try {
    // WAL lets readers run beside the writer; an in-memory database has no journal file.
    if (isFile(path) && !readonly) {
      db.pragma('journal_mode = WAL');
      // Log ingestion commits once per page of 100; checkpointing the WAL every 1000 pages (the
      // default) fsyncs so often that it halves throughput. 4000 pages (~16 MB) keeps the WAL
      // small while checkpoints stay rare, and the size limit truncates it after each one.
      db.pragma('wal_autocheckpoint = 4000');
      db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    }
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('synchronous = NORMAL');
    // 16 MB of page cache (default 2 MB) keeps the hot index pages of log ingestion in memory.
    db.pragma('cache_size = -16384');
    // Forces the file to be read now, so a directory or a non-database fails here, not later.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};

/** A read-only connection cannot migrate, so it insists on a database that is already current. */
const checkReadonlySchema = (db: Database.Database, path: string, known: number): void => {
  const version = currentVersion(db);
  if (version > known) {
    throw new AppError(
      'migration_failed',
      `the database schema is at version ${version} but this build only knows ${known}: ` +
        'it was written by a newer auth0-oncall',
    );
  }
  if (version < known) {
    throw new AppError(
      'database_unavailable',
      `DATABASE_PATH: "${path}" is at schema version ${version}, this build needs ${known}; ` +
        'open it once read-write (start the app) to migrate it',
    );
  }
};

const wrap = (db: Database.Database, path: string, lock: InstanceLock | undefined): StoreDatabase => ({
  db,
  path,
  transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
  close: () => {
    if (db.open) db.close();
    lock?.release();
  },
  isOpen: () => db.open,
  schemaVersion: () => currentVersion(db),
});

/** Opens (creating if needed) the database at `path` and brings its schema up to date. */
export const openDatabase = (options: OpenDatabaseOptions): StoreDatabase => {
  const { path, readonly = false } = options;
  const migrations = loadMigrations(options.migrationsDir);
  if (options.exclusive === true && isFile(path) && !readonly) {
    mkdirSafely(path);
    const lock = acquireInstanceLock(path, options.now ? { now: options.now } : {});
    try {
      return open(options, migrations, lock);
    } catch (error) {
      lock.release();
      throw error;
    }
  }
  return open(options, migrations, undefined);
};

const mkdirSafely = (path: string): void => {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw unavailable(path, error);
  }
};

const open = (
  options: OpenDatabaseOptions,
  migrations: ReturnType<typeof loadMigrations>,
  lock: InstanceLock | undefined,
): StoreDatabase => {
  const { path, readonly = false } = options;
  let db: Database.Database;
  try {
    db = connect(path, readonly);
  } catch (error) {
    throw unavailable(path, error);
  }
  try {
    if (readonly) checkReadonlySchema(db, path, migrations.length);
    else migrate(db, migrations, options.now ? { now: options.now } : {});
  } catch (error) {
    db.close();
    throw error;
  }
  return wrap(db, path, lock);
};
