import type { BackgroundTasks } from '../core/background/tasks.js';

/**
 * Starts the work that follows an ack one piece per turn of the event loop.
 *
 * A burst of clicks reaches the app as many Socket Mode frames in one read. When each listener ran
 * its work straight after its own ack, the synchronous part of that work (authorizing, claiming,
 * auditing) ran before the next frame's listener got to its ack, so the last click of a burst was
 * acked only after the work of every click before it. Started one per turn, the frames read in the
 * meantime are acked first; the work itself is the same and runs in the order it was queued.
 *
 * Each piece belongs to the background tasks from the moment it is queued, so a shutdown drains it
 * like any other accepted work, and a failure is reported there.
 */
export const createAfterAck = (
  spawn: BackgroundTasks['spawn'],
): ((name: string, work: () => Promise<unknown>) => void) => {
  const waiting: Array<() => void> = [];
  let scheduled = false;
  const release = () => {
    waiting.shift()?.();
    if (waiting.length > 0) setImmediate(release);
    else scheduled = false;
  };
  const turn = () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (!scheduled) {
        scheduled = true;
        setImmediate(release);
      }
    });
  return (name, work) => {
    spawn(name, async () => {
      await turn();
      return work();
    });
  };
};
