import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import {
  currentVersion,
  defaultMigrationsDir,
  loadMigrations,
  migrate,
  openDatabase,
} from '../../../src/store/index.js';
import { migrationsDir, open, tempDir } from './helpers.js';

const ONE = 'CREATE TABLE one (id INTEGER PRIMARY KEY);';
const TWO = 'CREATE TABLE two (id INTEGER PRIMARY KEY);';
const BROKEN = 'CREATE TABLE half (id INTEGER PRIMARY KEY);\nCREATE TABLE oops (;';

const thrown = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
};

const tableNames = (db: Database.Database): string[] =>
  db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();

describe('loadMigrations', () => {
  it('loads the bundled migrations from next to the module', () => {
    const migrations = loadMigrations(defaultMigrationsDir());
    expect(migrations[0]).toMatchObject({ version: 1, name: 'initial', file: '001_initial.sql' });
  });

  it('ignores files that are not .sql and orders by number', () => {
    const dir = migrationsDir({ '002_two.sql': TWO, '001_one.sql': ONE, 'README.md': '# notes' });
    expect(loadMigrations(dir).map((m) => m.file)).toEqual(['001_one.sql', '002_two.sql']);
  });

  it.each([
    ['1_one.sql', { '1_one.sql': ONE }],
    ['001_One.sql', { '001_One.sql': ONE }],
    ['001-one.sql', { '001-one.sql': ONE }],
  ])('refuses a badly named file (%s)', (file, files) => {
    const error = thrown(() => loadMigrations(migrationsDir(files)));
    expect(error.code).toBe('migration_failed');
    expect(error.message).toContain(file);
  });

  it('refuses a gap in the numbering', () => {
    const error = thrown(() => loadMigrations(migrationsDir({ '001_one.sql': ONE, '003_three.sql': TWO })));
    expect(error.message).toContain('003_three.sql');
    expect(error.message).toContain('expected number 002');
  });

  it('refuses two files with the same number', () => {
    const error = thrown(() => loadMigrations(migrationsDir({ '001_a.sql': ONE, '001_b.sql': TWO })));
    expect(error.message).toContain('001_b.sql');
  });

  it('refuses an empty or missing directory', () => {
    expect(thrown(() => loadMigrations(migrationsDir({}))).message).toContain('no migrations found');
    const missing = join(tempDir(), 'nope');
    const error = thrown(() => loadMigrations(missing));
    expect(error.code).toBe('migration_failed');
    expect(error.message).toContain(missing);
  });
});

describe('migrate', () => {
  it('applies pending migrations and nothing on a second run', () => {
    const db = new Database(':memory:');
    const migrations = loadMigrations(migrationsDir({ '001_one.sql': ONE, '002_two.sql': TWO }));
    expect(migrate(db, migrations)).toEqual({ applied: [1, 2], version: 2 });
    expect(migrate(db, migrations)).toEqual({ applied: [], version: 2 });
    expect(currentVersion(db)).toBe(2);
    db.close();
  });

  it('applies only the new migration to a database that has the earlier ones', () => {
    const path = join(tempDir(), 'db.sqlite');
    openDatabase({ path, migrationsDir: migrationsDir({ '001_one.sql': ONE }) }).close();
    const store = open({ path, migrationsDir: migrationsDir({ '001_one.sql': ONE, '002_two.sql': TWO }) });
    expect(store.schemaVersion()).toBe(2);
    expect(tableNames(store.db)).toEqual(['one', 'schema_migrations', 'two']);
  });

  it('rolls back every pending migration when one fails, and names the failing file', () => {
    const path = join(tempDir(), 'db.sqlite');
    const dir = migrationsDir({ '001_one.sql': ONE, '002_broken.sql': BROKEN });

    const error = thrown(() => openDatabase({ path, migrationsDir: dir }));

    expect(error.code).toBe('migration_failed');
    expect(error.message).toContain('002_broken.sql');
    expect(error.cause).toBeInstanceOf(Error);
    const db = new Database(path);
    expect(tableNames(db)).toEqual([]);
    db.close();
  });

  it('leaves an existing database at its version when a later migration fails', () => {
    const path = join(tempDir(), 'db.sqlite');
    openDatabase({ path, migrationsDir: migrationsDir({ '001_one.sql': ONE }) }).close();
    const dir = migrationsDir({ '001_one.sql': ONE, '002_two.sql': TWO, '003_broken.sql': BROKEN });

    expect(thrown(() => openDatabase({ path, migrationsDir: dir })).message).toContain('003_broken.sql');

    const store = open({ path, migrationsDir: migrationsDir({ '001_one.sql': ONE }) });
    expect(store.schemaVersion()).toBe(1);
    expect(tableNames(store.db)).toEqual(['one', 'schema_migrations']);
  });

  it('refuses a database whose schema is newer than this build knows', () => {
    const path = join(tempDir(), 'db.sqlite');
    openDatabase({ path, migrationsDir: migrationsDir({ '001_one.sql': ONE, '002_two.sql': TWO }) }).close();

    const error = thrown(() => openDatabase({ path, migrationsDir: migrationsDir({ '001_one.sql': ONE }) }));

    expect(error.code).toBe('migration_failed');
    expect(error.message).toContain('schema is at version 2 but this build only knows 1');
  });

  it('refuses a database whose applied migration has a different name than the file', () => {
    const path = join(tempDir(), 'db.sqlite');
    openDatabase({ path, migrationsDir: migrationsDir({ '001_one.sql': ONE, '002_two.sql': TWO }) }).close();

    const dir = migrationsDir({ '001_one.sql': ONE, '002_other.sql': TWO });
    const error = thrown(() => openDatabase({ path, migrationsDir: dir }));

    expect(error.message).toContain('applied migration 2 is "two" but the file is "002_other.sql"');
  });

  it('refuses a migration that leaves rows violating a foreign key', () => {
    const dir = migrationsDir({
      '001_parent.sql':
        'CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent (id));',
      // foreign_keys cannot be switched off inside the migration's transaction; defer instead.
      '002_orphan.sql': 'PRAGMA defer_foreign_keys = ON; INSERT INTO child (p) VALUES (42);',
    });
    const error = thrown(() => openDatabase({ path: ':memory:', migrationsDir: dir }));
    expect(error.code).toBe('migration_failed');
    expect(error.message).toContain('002_orphan.sql left 1 rows violating foreign keys');
  });

  it('turns a failure outside any migration file into migration_failed', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE schema_migrations (version TEXT)');
    const error = thrown(() => migrate(db, loadMigrations(migrationsDir({ '001_one.sql': ONE }))));
    expect(error.code).toBe('migration_failed');
    db.close();
  });

  it('refuses a migration file that tries to manage its own transaction', () => {
    const dir = migrationsDir({ '001_tx.sql': `BEGIN; ${ONE} COMMIT;` });
    const error = thrown(() => openDatabase({ path: ':memory:', migrationsDir: dir }));
    expect(error.message).toMatch(
      /migration 001_tx\.sql failed: cannot start a transaction within a transaction/,
    );
  });

  it('stamps applied_at with the injected clock', () => {
    const store = open({ path: ':memory:', now: () => new Date('2025-05-05T05:05:05.005Z') });
    expect(store.db.prepare('SELECT applied_at FROM schema_migrations').pluck().get()).toBe(
      '2025-05-05T05:05:05.005Z',
    );
  });
});
