import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openDatabase, type StoreDatabase } from '../../../src/store/index.js';

const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A fresh directory under the OS temp dir, removed after the test. */
export const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-store-'));
  cleanups.push(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
};

/** Opens a database and closes it after the test (closing twice is harmless). */
export const open = (options: Parameters<typeof openDatabase>[0]): StoreDatabase => {
  const store = openDatabase(options);
  cleanups.push(() => {
    store.close();
  });
  return store;
};

export const memoryStore = (): StoreDatabase => open({ path: ':memory:' });

/** A migrations directory holding exactly `files`. */
export const migrationsDir = (files: Record<string, string>): string => {
  const dir = tempDir();
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
};

const base = Date.parse('2025-03-01T09:00:00.000Z');

/** A canonical ISO time `minutes` after a fixed base. */
export const at = (minutes = 0): string => new Date(base + minutes * 60_000).toISOString();
