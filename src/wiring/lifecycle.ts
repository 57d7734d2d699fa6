import type { Logger } from '../logger.js';

/**
 * Exit codes, from sysexits.h where one fits, so a supervisor (or a person) can tell a bad
 * configuration from a crash without reading logs.
 */
export const ExitCode = {
  ok: 0,
  crash: 1,
  signalTwice: 130,
  unavailable: 69, // Slack or the HTTP port could not be reached/bound
  cantCreate: 73, // the database could not be opened
  alreadyRunning: 76, // another instance holds the database's lock
  tempFail: 75, // shutdown deadline passed with work still running
  noPerm: 77, // Slack rejected a token
  config: 78, // configuration invalid
} as const;

export interface ShutdownStep {
  name: string;
  run(): Promise<void> | void;
}

export interface ShutdownPlan {
  /** Stops new work arriving (Slack socket, timers). */
  stopIntake: readonly ShutdownStep[];
  /** Waits for accepted work; resolves false if the deadline passed first. */
  drain(deadlineMs: number): Promise<boolean>;
  /** Releases resources, in order (HTTP server, then the database last). */
  release: readonly ShutdownStep[];
}

/**
 * Runs the plan once, however many signals arrive: stop intake, drain with a deadline, release.
 * A failing step is logged and the rest still run, so the database is always closed.
 */
export const createShutdown = (plan: ShutdownPlan, logger: Logger, deadlineMs: number) => {
  let running: Promise<number> | undefined;
  const runStep = async (step: ShutdownStep): Promise<boolean> => {
    try {
      await step.run();
      return true;
    } catch (err) {
      logger.error(
        { event: 'shutdown.step_failed', step: step.name, err },
        `shutdown step ${step.name} failed`,
      );
      return false;
    }
  };
  const run = async (reason: string): Promise<number> => {
    const started = Date.now();
    logger.info({ event: 'shutdown.start', reason, deadlineMs }, 'shutting down');
    let ok = true;
    for (const step of plan.stopIntake) ok = (await runStep(step)) && ok;
    const drained = await plan.drain(Math.max(0, deadlineMs - (Date.now() - started)));
    if (!drained)
      logger.warn({ event: 'shutdown.deadline', deadlineMs }, 'work still in flight at the deadline');
    for (const step of plan.release) ok = (await runStep(step)) && ok;
    const code = !drained ? ExitCode.tempFail : ok ? ExitCode.ok : ExitCode.crash;
    logger.info({ event: 'shutdown.done', code, ms: Date.now() - started }, 'shutdown complete');
    return code;
  };
  return {
    shutdown(reason: string): Promise<number> {
      running ??= run(reason);
      return running;
    },
    get started() {
      return running !== undefined;
    },
  };
};
