import type { Logger } from '../logger.js';
import type { StorageHealth } from '../store/index.js';

/** How often the database file's identity is checked between writes (each write checks it too). */
const CHECK_INTERVAL_MS = 2_000;

/**
 * Checks the store's health on a timer so a database deleted or replaced while nothing is being
 * written is still noticed (and its connection closed) within seconds, and says so once, loudly.
 */
export const createStorageWatch = (deps: {
  health(): StorageHealth;
  logger: Logger;
  intervalMs?: number;
}) => {
  let timer: NodeJS.Timeout | undefined;
  let reported: string | undefined;
  const check = () => {
    const state = deps.health();
    const problem = state.ok ? undefined : state.problem;
    if (problem === reported) return;
    if (problem === undefined) deps.logger.info({ event: 'store.healthy' }, 'the database is healthy again');
    else
      deps.logger.fatal(
        { event: 'store.unhealthy', problem },
        `database unhealthy, refusing new work: ${problem}`,
      );
    reported = problem;
  };
  return {
    start() {
      timer ??= setInterval(check, deps.intervalMs ?? CHECK_INTERVAL_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
};
