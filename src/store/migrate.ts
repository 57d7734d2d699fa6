import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { AppError } from '../errors.js';
import { errorMessage, expectRow } from './codec.js';

/**
 * Forward-only migrations: numbered `.sql` files applied in order, all pending ones in a single
 * transaction, so a failure leaves the database exactly as it was.
 */

export interface Migration {
  readonly version: number;
  /** The descriptive part of the file name, e.g. `initial` for `001_initial.sql`. */
  readonly name: string;
  readonly file: string;
  readonly sql: string;
}

export interface MigrateOptions {
  readonly now?: () => Date;
}

export interface MigrateResult {
  readonly applied: readonly number[];
  readonly version: number;
}

/** Where the build puts the `.sql` files: next to this module. */
export const defaultMigrationsDir = (): URL => new URL('./migrations/', import.meta.url);

const FILE_PATTERN = /^(\d{3})_([a-z0-9_]+)\.sql$/;

const failed = (message: string, cause?: unknown): AppError =>
  new AppError('migration_failed', message, cause === undefined ? undefined : { cause });

const listSqlFiles = (dir: string): string[] => {
  try {
    return readdirSync(dir)
      .filter((file) => file.endsWith('.sql'))
      .sort();
  } catch (error) {
    throw failed(`cannot read migrations directory "${dir}": ${errorMessage(error)}`, error);
  }
};

/** Reads and checks the migration files: well-formed names, numbered 001, 002, … without gaps. */
export const loadMigrations = (dir: string | URL = defaultMigrationsDir()): Migration[] => {
  const path = dir instanceof URL ? fileURLToPath(dir) : dir;
  const files = listSqlFiles(path);
  if (files.length === 0) {
    throw failed(`no migrations found in "${path}": the build must copy src/store/migrations/*.sql there`);
  }
  return files.map((file, index) => {
    const match = FILE_PATTERN.exec(file);
    if (!match?.[1] || !match[2]) {
      throw failed(
        `migration file "${file}" must be named like 001_initial.sql (three digits, lowercase, underscores)`,
      );
    }
    const version = Number(match[1]);
    if (version !== index + 1) {
      throw failed(
        `migration file "${file}" is out of sequence: expected number ${String(index + 1).padStart(3, '0')}`,
      );
    }
    return { version, name: match[2], file, sql: readFileSync(`${path}/${file}`, 'utf8') };
  });
};

const ensureTable = (db: Database.Database): void => {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY CHECK (version >= 1),
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
};

const hasMigrationsTable = (db: Database.Database): boolean =>
  db
    .prepare<[], { n: number }>(
      "SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'",
    )
    .get()?.n === 1;

/** The highest applied migration, or 0 for a fresh database. */
export const currentVersion = (db: Database.Database): number => {
  if (!hasMigrationsTable(db)) return 0;
  const version = db
    .prepare<[], number>('SELECT coalesce(max(version), 0) FROM schema_migrations')
    .pluck()
    .get();
  return expectRow(version, 'schema_migrations version');
};

/** Refuses a database from a newer build, or one whose applied history differs from our files. */
const checkHistory = (db: Database.Database, migrations: readonly Migration[]): number => {
  const applied = db
    .prepare<[], { version: number; name: string }>(
      'SELECT version, name FROM schema_migrations ORDER BY version',
    )
    .all();
  const known = migrations.length;
  const newest = applied.at(-1)?.version ?? 0;
  if (newest > known) {
    throw failed(
      `the database schema is at version ${newest} but this build only knows ${known}: ` +
        'it was written by a newer auth0-oncall; run that version or point DATABASE_PATH at another file',
    );
  }
  for (const row of applied) {
    const migration = migrations[row.version - 1];
    if (migration?.name !== row.name) {
      throw failed(
        `applied migration ${row.version} is "${row.name}" but the file is "${migration?.file ?? 'missing'}": ` +
          'migrations are forward-only; add a new numbered file instead of renaming or replacing one',
      );
    }
  }
  return newest;
};

const applyOne = (db: Database.Database, migration: Migration, appliedAt: string): void => {
  try {
    db.exec(migration.sql);
  } catch (error) {
    throw failed(
      `migration ${migration.file} failed: ${errorMessage(error)}. Nothing was applied (rolled back)`,
      error,
    );
  }
  db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
    migration.version,
    migration.name,
    appliedAt,
  );
};

const checkForeignKeys = (db: Database.Database, last: Migration): void => {
  const problems = db.pragma('foreign_key_check') as unknown[];
  if (problems.length > 0) {
    throw failed(
      `migration ${last.file} left ${problems.length} rows violating foreign keys. Nothing was applied (rolled back)`,
    );
  }
};

/** Applies every pending migration in one immediate transaction; safe to call on every start. */
export const migrate = (
  db: Database.Database,
  migrations: readonly Migration[],
  options: MigrateOptions = {},
): MigrateResult => {
  const now = options.now ?? (() => new Date());
  const run = db.transaction((): MigrateResult => {
    ensureTable(db);
    const from = checkHistory(db, migrations);
    const pending = migrations.slice(from);
    const appliedAt = now().toISOString();
    for (const migration of pending) applyOne(db, migration, appliedAt);
    const last = pending.at(-1);
    if (last) checkForeignKeys(db, last);
    return { applied: pending.map((m) => m.version), version: migrations.length };
  });
  try {
    // IMMEDIATE takes the write lock first, so two processes starting together migrate once.
    return run.immediate();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw failed(`migrations could not run: ${errorMessage(error)}`, error);
  }
};
