import { chmodSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { errorMessage } from './codec.js';
import type { StoreDatabase } from './database.js';

interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  /** Older backups removed to keep `retain`. */
  readonly removed: readonly string[];
}

const PREFIX = 'auth0-oncall-';
const SUFFIX = '.db';
/** `auth0-oncall-20260301T120000Z.db`: sorts by time as a string. */
const BACKUP_NAME = /^auth0-oncall-\d{8}T\d{6}Z\.db$/;

const stamp = (at: Date) =>
  at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

/** Cleanup after a failure must not replace the failure's own error. */
const removeQuietly = (file: string): void => {
  try {
    rmSync(file, { force: true });
  } catch {
    // The directory itself is the problem (not a directory, unreadable): nothing was written.
  }
};

/** The backups in `dir`, oldest first. */
const listBackups = (dir: string): string[] => {
  try {
    return readdirSync(dir)
      .filter((name) => BACKUP_NAME.test(name))
      .sort();
  } catch {
    return [];
  }
};

/**
 * An online backup with SQLite's backup API: a consistent copy while the app keeps writing. It is
 * written under a temporary name and renamed, so a crash mid-backup never leaves a file that looks
 * complete; it is owner-only (it holds what the database holds). Then all but the newest `retain`
 * backups are removed. Restoring is docs/backup-and-restore.md.
 */
export const backupDatabase = async (
  store: StoreDatabase,
  options: { readonly dir: string; readonly retain: number; readonly now: Date },
): Promise<BackupResult> => {
  const name = `${PREFIX}${stamp(options.now)}${SUFFIX}`;
  const file = join(options.dir, name);
  const partial = `${file}.partial`;
  try {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    await store.db.backup(partial);
    chmodSync(partial, 0o600);
    renameSync(partial, file);
  } catch (error) {
    removeQuietly(partial);
    throw new AppError('backup_failed', `BACKUP_DIR: could not write ${file}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  const all = listBackups(options.dir);
  const removed = all.slice(0, Math.max(0, all.length - Math.max(1, options.retain)));
  for (const old of removed) rmSync(join(options.dir, old), { force: true });
  return { file, bytes: statSync(file).size, removed };
};
