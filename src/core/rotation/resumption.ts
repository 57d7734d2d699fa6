import type { ResumedRotation, RotationService } from './ports.js';

export interface RotationResumptionDeps {
  readonly service: Pick<RotationService, 'resumeUnfinished'>;
  /** An attempt a resume drove to its outcome: announced, audited and published like any other. */
  readonly finished: (resumed: ResumedRotation) => Promise<void>;
  /** An attempt still unfinished after a resume (a dependency is down): an incident says so. */
  readonly stuck: (resumed: ResumedRotation) => Promise<void>;
  /** Runs the retry loop in the background (the task runner, so it is drained and never floats). */
  readonly spawn: (name: string, work: () => Promise<unknown>) => void;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Delay before the n-th retry (0-based) doubles from `firstMs` up to `maxMs`. */
  readonly backoff: { readonly firstMs: number; readonly maxMs: number };
  readonly onError: (error: unknown) => void;
}

export interface RotationResumption {
  /** One pass over every unfinished attempt; if any stays stuck, the retry loop takes over. */
  resume(): Promise<number>;
  /** Starts the retry loop unless it runs already (after a live rotation was left unfinished). */
  kick(): void;
  stop(): void;
}

/**
 * Unfinished rotations are resumed at start-up and then again, with backoff, for as long as any
 * stays stuck — a dependency down at start must not leave Auth0 and Secrets Manager disagreeing
 * until the next restart (docs/decisions/0003-client-secret-rotation-by-patch.md).
 */
export const createRotationResumption = (d: RotationResumptionDeps): RotationResumption => {
  const controller = new AbortController();
  let looping = false;

  const pass = async (): Promise<number> => {
    const resumed = await d.service.resumeUnfinished(controller.signal);
    let stuck = 0;
    for (const r of resumed) {
      try {
        if (r.stuck) {
          stuck += 1;
          await d.stuck(r);
        } else {
          await d.finished(r);
        }
      } catch (error) {
        d.onError(error);
      }
    }
    return stuck;
  };

  const loop = async () => {
    for (let attempt = 0; !controller.signal.aborted; attempt += 1) {
      const delay = Math.min(d.backoff.maxMs, d.backoff.firstMs * 2 ** Math.min(attempt, 30));
      // A sleep cut short by stop() ends the loop; nothing is left half-done by it.
      const stopped = await d.sleep(delay, controller.signal).then(
        () => false,
        () => true,
      );
      if (stopped) return;
      try {
        if ((await pass()) === 0) return;
      } catch (error) {
        d.onError(error);
      }
    }
  };

  const kick = () => {
    if (looping || controller.signal.aborted) return;
    looping = true;
    d.spawn('rotation-resume', () =>
      loop().finally(() => {
        looping = false;
      }),
    );
  };

  return {
    async resume() {
      const stuck = await pass();
      if (stuck > 0) kick();
      return stuck;
    },
    kick,
    stop() {
      controller.abort();
    },
  };
};
