import type { AuditLog } from '../audit/ports.js';
import type { OperatorDirectory } from '../incidents/ports.js';
import {
  describeScope,
  type MaintenanceRequest,
  type MaintenanceStore,
  type MaintenanceWindow,
  type WindowScope,
} from './model.js';

export type OpenWindowResult =
  | { readonly ok: true; readonly window: MaintenanceWindow }
  | { readonly ok: false; readonly reason: 'denied'; readonly why: string };

export type EndWindowResult =
  | { readonly ok: true; readonly window: MaintenanceWindow }
  | { readonly ok: false; readonly reason: 'denied'; readonly why: string }
  | { readonly ok: false; readonly reason: 'not_found' }
  | { readonly ok: false; readonly reason: 'already_ended'; readonly window: MaintenanceWindow };

export interface MaintenanceServiceDeps {
  readonly store: MaintenanceStore;
  readonly operators: Pick<OperatorDirectory, 'isOperator'>;
  readonly audit: AuditLog;
  readonly newId: () => string;
  readonly now: () => Date;
  /**
   * A window opened or ended (by a person, a rotation or its time): the cards of the incidents
   * it covers are re-rendered and the Home republished. Called after the change is stored.
   */
  readonly changed: (window: MaintenanceWindow) => Promise<void>;
}

const scopeDetail = (scope: WindowScope) =>
  scope.kind === 'tenant' ? { scope: 'tenant' } : { scope: scope.kind, value: scope.value };

/**
 * Opening and ending maintenance windows. Operators only: a window silences paging for a scope,
 * which is the operators' call (as Resolve is). Every attempt is audited, accepted or not; windows
 * of the bot's own planned rotations are opened and closed by `system`.
 */
export const createMaintenanceService = (deps: MaintenanceServiceDeps) => {
  const at = () => deps.now().toISOString();
  const notify = async (window: MaintenanceWindow) => {
    await deps.changed(window);
  };

  const create = (
    by: string,
    request: MaintenanceRequest,
    origin: MaintenanceWindow['origin'],
  ): MaintenanceWindow => {
    const now = deps.now();
    const window = deps.store.create({
      id: deps.newId(),
      scope: request.scope,
      reason: request.reason,
      origin,
      createdBy: by,
      startsAt: now.toISOString(),
      endsAt: new Date(now.getTime() + request.minutes * 60_000).toISOString(),
    });
    deps.audit.append({
      at: window.startsAt,
      actor: by,
      action: 'maintenance.open',
      outcome: 'success',
      summary:
        `window ${window.id} on ${describeScope(window.scope)} until ${window.endsAt}${window.reason === '' ? '' : `: ${window.reason}`}`.slice(
          0,
          500,
        ),
      detail: { windowId: window.id, origin, until: window.endsAt, ...scopeDetail(window.scope) },
    });
    return window;
  };

  const finish = (
    window: MaintenanceWindow,
    by: string,
    action: 'maintenance.end' | 'maintenance.expire',
  ) => {
    const ended = deps.store.end(window.id, by, at());
    if (!ended) return undefined;
    deps.audit.append({
      at: at(),
      actor: by,
      action,
      outcome: 'success',
      summary: `window ${window.id} on ${describeScope(window.scope)} ended`,
      detail: { windowId: window.id, origin: window.origin, ...scopeDetail(window.scope) },
    });
    return ended;
  };

  return {
    async open(user: string, request: MaintenanceRequest): Promise<OpenWindowResult> {
      if (!(await deps.operators.isOperator(user))) {
        deps.audit.append({
          at: at(),
          actor: user,
          action: 'maintenance.open',
          outcome: 'denied',
          summary: 'not an operator',
          detail: { minutes: request.minutes, ...scopeDetail(request.scope) },
        });
        return { ok: false, reason: 'denied', why: 'Only operators can open a maintenance window.' };
      }
      const window = create(user, request, 'manual');
      await notify(window);
      return { ok: true, window };
    },

    async end(user: string, windowId: string): Promise<EndWindowResult> {
      const denied = (outcome: 'denied' | 'duplicate', summary: string) =>
        deps.audit.append({
          at: at(),
          actor: user,
          action: 'maintenance.end',
          outcome,
          summary,
          detail: { windowId: windowId.slice(0, 64) },
        });
      if (!(await deps.operators.isOperator(user))) {
        denied('denied', 'not an operator');
        return { ok: false, reason: 'denied', why: 'Only operators can end a maintenance window.' };
      }
      const window = deps.store.get(windowId);
      if (!window) {
        denied('denied', 'no such window');
        return { ok: false, reason: 'not_found' };
      }
      const ended = finish(window, user, 'maintenance.end');
      if (!ended) {
        denied('duplicate', 'already ended');
        return { ok: false, reason: 'already_ended', window };
      }
      await notify(ended);
      return { ok: true, window: ended };
    },

    /** Active windows, soonest end first. */
    active: (): MaintenanceWindow[] => deps.store.active(at()),

    /** The expiry job: closes windows whose time is up, so their cards lose the marker. */
    async expire(): Promise<number> {
      let closed = 0;
      for (const window of deps.store.lapsed(at())) {
        const ended = finish(window, 'system', 'maintenance.expire');
        if (!ended) continue;
        closed += 1;
        await notify(ended);
      }
      return closed;
    },

    /** A planned rotation of `clientId` starts: its expected failures must not page. */
    async rotationStarted(clientId: string, minutes: number): Promise<MaintenanceWindow> {
      const window = create(
        'system',
        { scope: { kind: 'client', value: clientId }, minutes, reason: 'planned credential rotation' },
        'rotation',
      );
      await notify(window);
      return window;
    },

    /** The rotation finished (whatever its result): its windows close, so a failure pages again. */
    rotationFinished(clientId: string): MaintenanceWindow[] {
      return deps.store
        .active(at())
        .filter((w) => w.origin === 'rotation' && w.scope.kind === 'client' && w.scope.value === clientId)
        .flatMap((w) => {
          const ended = finish(w, 'system', 'maintenance.end');
          return ended ? [ended] : [];
        });
    },

    /** Re-renders what a window covered after `rotationFinished` (kept apart: that one is synchronous). */
    notify,
  };
};

export type MaintenanceService = ReturnType<typeof createMaintenanceService>;
