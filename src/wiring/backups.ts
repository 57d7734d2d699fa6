import { backupDatabaseJob } from '../jobs/backup-database.js';
import type { IntervalJob } from '../jobs/job.js';
import { backupDatabase } from '../store/index.js';
import type { Platform } from './platform.js';

/** The scheduled online backup, when BACKUP_DIR is set (docs/backup-and-restore.md). */
export const wireBackups = (platform: Platform): IntervalJob[] => {
  const { config, logger, stores, now } = platform;
  const { dir, intervalMinutes, retain } = config.backup;
  if (dir === undefined) return [];
  return [
    backupDatabaseJob({
      everyMs: intervalMinutes * 60_000,
      now,
      backup: async (at) => {
        const result = await backupDatabase(stores.db, { dir, retain, now: at });
        logger.info(
          { event: 'store.backup', file: result.file, bytes: result.bytes, removed: result.removed },
          'database backed up',
        );
        return result;
      },
    }),
  ];
};
