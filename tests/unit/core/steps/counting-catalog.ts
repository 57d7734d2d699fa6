import { z } from 'zod';
import { catalogEntry, type ActionCatalog, type ActionResult } from '../../../../src/core/actions/action.js';
import type { ActionName } from '../../../../src/core/runbooks/model.js';

/**
 * A hand-written catalog for step-runner tests: its actions count what they really do, and can be
 * told to fail, to throw, or to block (before or after their effect) until released — or forever,
 * which is what a crash looks like from the outside.
 */
export class CountingActions {
  /** Times `run` was entered. */
  runs = 0;
  /** Effects really applied, by target: what "exactly once" is measured on. */
  readonly applied: string[] = [];
  recoveries = 0;
  /** The next N runs report failure without applying anything. */
  failNext = 0;
  /** The next N runs throw. */
  throwNext = 0;
  private before: Promise<void> | undefined;
  private after: Promise<void> | undefined;

  get executions(): number {
    return this.applied.length;
  }

  /** Runs wait before applying their effect until the returned function is called. */
  blockBeforeEffect(): () => void {
    let release: () => void = () => undefined;
    this.before = new Promise<void>((resolve) => {
      release = () => {
        this.before = undefined;
        resolve();
      };
    });
    return release;
  }

  /** Runs apply their effect and then hang: a crash after the mutation, before it was recorded. */
  hangAfterEffect(): void {
    this.after = new Promise<void>(() => undefined);
  }

  /** A crash before the mutation: runs hang and never apply anything. */
  hangBeforeEffect(): void {
    this.before = new Promise<void>(() => undefined);
  }

  /** A new process: runs no longer hang (the ones already hanging stay so, as a dead process's would). */
  restarted(): void {
    this.before = undefined;
    this.after = undefined;
  }

  async run(target: string, signal: AbortSignal): Promise<ActionResult> {
    this.runs += 1;
    if (this.before) await this.before;
    if (this.throwNext > 0) {
      this.throwNext -= 1;
      throw new Error('the tenant answered 503');
    }
    if (this.failNext > 0) {
      this.failNext -= 1;
      return { outcome: 'failure', summary: `could not apply to ${target}: token exchange refused` };
    }
    if (signal.aborted) return { outcome: 'failure', summary: 'aborted' };
    this.applied.push(target);
    if (this.after) await this.after;
    return { outcome: 'success', summary: `applied to ${target}`, detail: { target } };
  }

  recover(target: string): Promise<ActionResult> {
    this.recoveries += 1;
    return Promise.resolve(
      this.applied.includes(target)
        ? { outcome: 'success', summary: `found applied to ${target} after the restart` }
        : {
            outcome: 'failure',
            summary: `not applied to ${target} before the restart; retry if still needed`,
          },
    );
  }

  catalog(): ActionCatalog {
    const target = z.object({ target: z.string().min(1).max(40) });
    const ip = z.object({ ip: z.string().min(1).max(45) });
    const entry = (name: ActionName, destructive: boolean) =>
      catalogEntry({
        name,
        title: name,
        description: `test action ${name}`,
        destructive,
        params: target,
        check: () => undefined,
        run: (p, ctx) => this.run(p.target, ctx.signal),
        recover: (p) => this.recover(p.target),
      });
    const unblock = catalogEntry({
      name: 'unblock_ip',
      title: 'Unblock an IP',
      description: 'test unblock',
      destructive: false,
      params: ip,
      // Only an IP the incident's evidence names may be unblocked.
      check: (p, ctx) =>
        ctx.evidence.topIps?.some((i) => i.value === p.ip) ? undefined : `${p.ip} is not in this incident`,
      run: (p, ctx) => this.run(p.ip, ctx.signal),
      recover: (p) => this.recover(p.ip),
    });
    return new Map<ActionName, ReturnType<typeof catalogEntry>>([
      ['recheck_signal', entry('recheck_signal', false)],
      ['verify_client_credentials', entry('verify_client_credentials', false)],
      ['rollback_client_secret', entry('rollback_client_secret', true)],
      ['unblock_ip', unblock],
    ]);
  }
}
