import type { RotationControl } from './ports.js';
import type { Rotation, RotationStore } from './model.js';
import type { RotationTarget } from './target.js';
import type { ClientNames } from './client-names.js';
import { formatDuration, type StatusItem, type StatusProvider } from '../status/model.js';

export interface RotationStatusDeps {
  readonly targets: readonly RotationTarget[];
  readonly rotations: Pick<RotationStore, 'latestFor'>;
  readonly control: Pick<RotationControl, 'isPaused'>;
  /** The schedule's next slot; undefined when ROTATION_SCHEDULE is off. */
  readonly nextRun: () => Date | undefined;
  readonly now: () => Date;
  /** Clients' names in the tenant, shown next to their IDs (refreshed before each read). */
  readonly names?: Pick<ClientNames, 'nameOf' | 'refresh'>;
}

const ago = (now: Date, at: string) => `${formatDuration(now.getTime() - new Date(at).getTime())} ago`;

const lastText = (last: Rotation | null, now: Date): { text: string; level: StatusItem['level'] } => {
  if (!last) return { text: 'never rotated', level: 'info' };
  if (last.outcome === null)
    return { text: `running since ${ago(now, last.startedAt)} (${last.state})`, level: 'warn' };
  const text = `${last.outcome.replace('_', ' ')} ${ago(now, last.finishedAt ?? last.startedAt)} (${last.trigger})`;
  return {
    text,
    level: last.outcome === 'succeeded' ? 'ok' : last.outcome === 'cancelled' ? 'info' : 'error',
  };
};

const nextText = (deps: RotationStatusDeps, clientId: string, now: Date): string => {
  if (deps.control.isPaused(clientId)) return 'paused';
  const next = deps.nextRun();
  return next ? `next in ${formatDuration(next.getTime() - now.getTime())}` : 'schedule off';
};

/** `/auth0 status` "Rotation": per target the last rotation, its result and the next slot. */
export const rotationStatusProvider = (deps: RotationStatusDeps): StatusProvider => ({
  title: 'Rotation',
  async read() {
    await deps.names?.refresh(AbortSignal.timeout(1_500));
    const now = deps.now();
    if (deps.targets.length === 0) {
      return { title: 'Rotation', items: [{ label: 'targets', value: 'none configured', level: 'info' }] };
    }
    return {
      title: 'Rotation',
      items: deps.targets.map((t) => {
        const last = lastText(deps.rotations.latestFor(t.clientId), now);
        const name = deps.names?.nameOf(t.clientId);
        const next = deps.control.isPaused(t.clientId) ? undefined : deps.nextRun();
        return {
          label: name === undefined ? t.clientId : `${name} (${t.clientId})`,
          value: `${last.text}; ${nextText(deps, t.clientId, now)}`,
          level: last.level,
          ...(next === undefined ? {} : { at: next }),
        };
      }),
    };
  },
});
