import type { IntervalJob } from './job.js';

/**
 * Takes an online backup of the database every `everyMs` (docs/backup-and-restore.md). Not at
 * start: a process restarting in a loop would otherwise push good backups out of the retention.
 */
export const backupDatabaseJob = (deps: {
  readonly everyMs: number;
  readonly backup: (at: Date) => Promise<unknown>;
  readonly now: () => Date;
}): IntervalJob => ({
  name: 'store.backup',
  everyMs: deps.everyMs,
  run: async () => {
    await deps.backup(deps.now());
  },
});
