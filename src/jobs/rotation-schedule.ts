import { createTask, validateDetailed, type ScheduledTask } from 'node-cron';
import type { JobSlots } from '../core/jobs/ports.js';
import type { RotationRequests } from '../core/rotation/requests.js';
import type { RotationTarget } from '../core/rotation/target.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';

const ROTATION_SCHEDULE_OFF = 'off';

export interface RotationScheduleOptions {
  /** A cron expression (5 fields, or 6 with seconds), or `'off'`. */
  readonly schedule: string;
  readonly targets: readonly RotationTarget[];
  /** The rotation use case: it skips a paused target, audits, announces and reports the outcome. */
  readonly requests: Pick<RotationRequests, 'request'>;
  readonly slots: JobSlots;
  readonly now: () => Date;
  readonly logger: Logger;
  /** Cron fields are read in this zone (default UTC, so a slot means the same on every host). */
  readonly timezone?: string;
  /** A tick that did nothing because the previous run was still going. */
  readonly onOverlap?: (slot: string) => void;
}

/** What one slot came to, per target: `claimed_elsewhere` means a restart or another instance ran it. */
type SlotTargetOutcome = 'rotated' | 'failed' | 'paused' | 'claimed_elsewhere' | 'aborted';

type SlotReport =
  | {
      readonly kind: 'ran';
      readonly slot: string;
      readonly targets: Readonly<Record<string, SlotTargetOutcome>>;
    }
  | { readonly kind: 'overlap'; readonly slot: string };

export interface RotationSchedule {
  start(): void;
  /** Stops the timer, aborts the running rotation (the service settles it) and waits for it. */
  stop(): Promise<void>;
  /** The next scheduled slot; undefined when the schedule is off or stopped. */
  nextRun(): Date | undefined;
  /** Runs the slot `scheduledFor` now, exactly as a tick would (tests, and the cron callback). */
  runSlot(scheduledFor: Date): Promise<SlotReport>;
}

const jobName = (clientId: string) => `rotation:${clientId}`;

/**
 * The slot is the scheduled time, not the firing time, so every instance and every restart names
 * a slot the same way: the minute for 5-field expressions, the second for 6-field ones.
 */
export const slotOf = (scheduledFor: Date, schedule: string): string => {
  const unit = schedule.trim().split(/\s+/).length === 6 ? 1_000 : 60_000;
  return new Date(Math.floor(scheduledFor.getTime() / unit) * unit).toISOString();
};

const validateRotationSchedule = (schedule: string): void => {
  if (schedule.trim() === ROTATION_SCHEDULE_OFF) return;
  const result = validateDetailed(schedule.trim());
  if (result.valid) return;
  const why = result.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  throw new AppError(
    'config_invalid',
    `ROTATION_SCHEDULE "${schedule}" is not a valid cron expression${why ? ` (${why})` : ''}; ` +
      `use 5 fields like "0 3 * * 1" (Mondays 03:00 UTC), or "off"`,
  );
};

/**
 * Scheduled rotation. Targets run one after another; each claims `(rotation:<clientId>, slot)`
 * before it rotates, so a restart or a second instance never runs a slot twice
 * (docs/decisions/0001-sqlite-claims-for-exactly-once.md). A claimed slot whose run a crash
 * interrupted is not re-run here: the rotation service's own resumeUnfinished() settles the
 * half-done attempt at start-up.
 */
export const createRotationSchedule = (o: RotationScheduleOptions): RotationSchedule => {
  validateRotationSchedule(o.schedule);
  const expression = o.schedule.trim();
  const off = expression === ROTATION_SCHEDULE_OFF;
  const controller = new AbortController();
  let current: Promise<SlotReport> | undefined;
  let task: ScheduledTask | undefined;
  let stopped = false;

  const iso = () => o.now().toISOString();

  const runTarget = async (target: RotationTarget, slot: string): Promise<SlotTargetOutcome> => {
    const job = jobName(target.clientId);
    if (!o.slots.claim(job, slot, iso())) return 'claimed_elsewhere';
    const outcome = await o.requests.request({
      clientId: target.clientId,
      trigger: 'schedule',
      by: 'system',
      signal: controller.signal,
    });
    const paused = typeof outcome !== 'string' && 'reason' in outcome && outcome.reason === 'paused';
    const ok = typeof outcome !== 'string' && outcome.ok;
    const aborted = controller.signal.aborted && !paused;
    o.slots.finish(job, slot, paused ? 'skipped' : aborted ? 'aborted' : ok ? 'succeeded' : 'failed', iso());
    return paused ? 'paused' : aborted ? 'aborted' : ok ? 'rotated' : 'failed';
  };

  const runAll = async (slot: string): Promise<SlotReport> => {
    const targets: Record<string, SlotTargetOutcome> = {};
    for (const target of o.targets) {
      if (controller.signal.aborted) {
        targets[target.clientId] = 'aborted';
        continue;
      }
      try {
        targets[target.clientId] = await runTarget(target, slot);
      } catch (error) {
        // One target's hook failing must not cost the others their slot.
        o.logger.error(
          { event: 'rotation.schedule_failed', clientId: target.clientId, slot, err: error },
          'scheduled rotation failed',
        );
        targets[target.clientId] = 'failed';
      }
    }
    return { kind: 'ran', slot, targets };
  };

  const runSlot = (scheduledFor: Date): Promise<SlotReport> => {
    const slot = slotOf(scheduledFor, off ? '* * * * *' : expression);
    if (current) {
      o.logger.warn(
        { event: 'rotation.schedule_overlap', slot },
        'previous rotation run still going; tick skipped',
      );
      o.onOverlap?.(slot);
      return Promise.resolve({ kind: 'overlap', slot });
    }
    const run = runAll(slot).finally(() => {
      current = undefined;
    });
    current = run;
    return run;
  };

  return {
    start() {
      if (off || task || stopped) return;
      task = createTask(expression, (ctx) => runSlot(ctx.date).then(() => undefined), {
        name: 'rotation',
        timezone: o.timezone ?? 'UTC',
        unref: true,
      });
      // start() only arms the timer; a rejection would be a bug in the cron library, reported here.
      Promise.resolve(task.start()).catch((error: unknown) => {
        o.logger.error(
          { event: 'rotation.schedule_failed', err: error },
          'the rotation schedule did not start',
        );
      });
    },
    async stop() {
      stopped = true;
      controller.abort();
      if (task) await task.destroy();
      task = undefined;
      await current?.catch(() => undefined);
    },
    nextRun() {
      return task?.getNextRun() ?? undefined;
    },
    runSlot,
  };
};
