import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync, type Stats } from 'node:fs';
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

/** What /healthz and `/auth0 status` say about the store; `problem` is written for the operator. */
export type StorageHealth = { readonly ok: true } | { readonly ok: false; readonly problem: string };

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
  /**
   * Checks that DATABASE_PATH is still the file this connection has open (same device and inode)
   * and that the last write did not fail. A file deleted or replaced at run time closes the
   * connection for good: every later statement throws instead of writing into an unlinked file
   * whose contents nobody would see again (docs/decisions/0007-what-exits-the-process.md).
   */
  health(): StorageHealth;
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

/** Owner read/write only: the database holds user PII from logs and the audit trail. */
const PRIVATE_MODE = 0o600;

/**
 * Creates the file 0600 before SQLite opens it: SQLite gives the -wal and -shm files the main
 * file's permissions, so all three stay private. Files left by an older build are tightened.
 */
const createPrivate = (path: string): void => {
  closeSync(openSync(path, 'a', PRIVATE_MODE));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, PRIVATE_MODE);
  }
};

/** Opens the connection and sets its pragmas; touches the disk, so every failure is the path's. */
const connect = (path: string, readonly: boolean): Database.Database => {
  if (isFile(path) && !readonly) {
    mkdirSync(dirname(path), { recursive: true });
    createPrivate(path);
  }
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

/** SQLite result codes that mean the disk, not the statement, is at fault (full, I/O, read-only). */
const STORAGE_FAULT = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB)/;

const faultCode = (error: unknown): string | undefined =>
  error instanceof Database.SqliteError && STORAGE_FAULT.test(error.code) ? error.code : undefined;

const identity = (stats: Stats) => `${stats.dev}:${stats.ino}`;

/** The file's identity now, or why it has none (deleted, unreadable). */
const fileIdentity = (path: string): string => {
  try {
    return identity(statSync(path));
  } catch (error) {
    return `missing (${errorMessage(error)})`;
  }
};

const wrap = (db: Database.Database, path: string, lock: InstanceLock | undefined): StoreDatabase => {
  const file = isFile(path) ? { opened: fileIdentity(path) } : undefined;
  let lost: string | undefined;
  let writeFault: string | undefined;

  const health = (): StorageHealth => {
    if (lost !== undefined && db.open && !db.inTransaction) db.close();
    if (lost === undefined && file && db.open) {
      const now = fileIdentity(path);
      if (now !== file.opened) {
        lost = now.startsWith('missing')
          ? `the database file ${path} was deleted while the app was running`
          : `the database file ${path} was replaced while the app was running`;
        // Every later statement throws: nothing more goes into a file nobody will open again.
        // Inside a transaction the close waits for the next check, so the transaction is not cut.
        if (!db.inTransaction) db.close();
      }
    }
    if (lost !== undefined)
      return { ok: false, problem: `${lost}; restore it (docs/backup-and-restore.md) and restart` };
    if (!db.open) return { ok: false, problem: 'closed' };
    if (writeFault !== undefined)
      return { ok: false, problem: `writes are failing (${writeFault}): check free disk space` };
    return { ok: true };
  };

  return {
    db,
    path,
    transaction: <T>(fn: () => T): T => {
      const state = health();
      if (!state.ok && lost !== undefined) throw new AppError('database_unavailable', state.problem);
      try {
        const result = db.transaction(fn).immediate();
        writeFault = undefined;
        return result;
      } catch (error) {
        writeFault = faultCode(error) ?? writeFault;
        throw error;
      }
    },
    close: () => {
      if (db.open) db.close();
      lock?.release();
    },
    isOpen: () => db.open,
    schemaVersion: () => currentVersion(db),
    health,
  };
};

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
