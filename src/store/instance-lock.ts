import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { AppError } from '../errors.js';
import { errorMessage } from './codec.js';

/**
 * One process per database (docs/decisions/0006-single-instance.md), enforced: a small SQLite file
 * next to the database, `<DATABASE_PATH>.lock`, on which the running app holds a write lock (an
 * open IMMEDIATE transaction) for as long as it runs. The lock is the operating system's file lock,
 * so it goes with the process however it ends: a `kill -9`, a crash or a container restart leaves
 * nothing stale behind, and the next start takes it at once. A second process finds it taken and
 * refuses to start. The file also records who holds it, for that refusal's message; that record
 * is information only, never what decides.
 *
 * File locks are only as good as the file system: on a local disk or a Docker volume they hold;
 * on NFS or SMB they may not (docs/production.md says so).
 */
export interface InstanceLock {
  readonly path: string;
  /** Idempotent. */
  release(): void;
}

interface Holder {
  pid: number;
  host: string;
  started_at: string;
}

const lockPathFor = (databasePath: string): string => `${databasePath}.lock`;

const describe = (holder: Holder | undefined): string =>
  holder
    ? `pid ${String(holder.pid)} on host "${holder.host}", started ${holder.started_at}`
    : 'another process';

const refused = (databasePath: string, holder: Holder | undefined): AppError =>
  new AppError(
    'already_running',
    `another auth0-oncall (${describe(holder)}) is running against DATABASE_PATH "${databasePath}": ` +
      'only one instance may run per database (docs/production.md, "One instance"); stop it first, ' +
      'or point this one at its own database',
  );

const isBusy = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_BUSY');

/** Takes the lock for `databasePath`, or throws AppError `already_running` naming the holder. */
export const acquireInstanceLock = (
  databasePath: string,
  options: { now?: () => Date; pid?: number; host?: string } = {},
): InstanceLock => {
  const path = lockPathFor(databasePath);
  let db: Database.Database;
  try {
    // A held lock means another instance; the short wait covers only the moment a starting
    // instance commits its holder record.
    db = new Database(path, { timeout: 2000 });
    // The default rollback journal: a process killed while recording itself leaves a hot journal
    // that the next opener rolls back, never a corrupt file. The held transaction writes nothing,
    // so no journal exists while the lock is held.
    db.exec(
      'CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, host TEXT NOT NULL, started_at TEXT NOT NULL)',
    );
  } catch (error) {
    if (isBusy(error)) throw refused(databasePath, undefined);
    throw new AppError(
      'database_unavailable',
      `DATABASE_PATH: cannot create the lock file "${path}": ${errorMessage(error)}`,
      { cause: error },
    );
  }
  const readHolder = (): Holder | undefined => {
    try {
      return db.prepare<[], Holder>('SELECT pid, host, started_at FROM holder WHERE id = 1').get();
    } catch {
      return undefined;
    }
  };
  const take = () => {
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      const holder = readHolder();
      db.close();
      if (isBusy(error)) throw refused(databasePath, holder);
      throw error;
    }
  };
  // Take it, record ourselves (a commit, which lets go for a moment), take it again. Whoever holds
  // it after the second take is the one instance; a process that lost it in between refuses.
  take();
  db.prepare('INSERT OR REPLACE INTO holder (id, pid, host, started_at) VALUES (1, ?, ?, ?)').run(
    options.pid ?? process.pid,
    options.host ?? hostname(),
    (options.now ?? (() => new Date()))().toISOString(),
  );
  db.exec('COMMIT');
  take();
  return {
    path,
    release: () => {
      if (!db.open) return;
      db.exec('ROLLBACK');
      db.close();
    },
  };
};
