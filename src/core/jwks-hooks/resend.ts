import { allFinished, describeResults } from './delivery.js';
import { changeTitle, type HookPayload } from './model.js';
import type { JwksHookNotifier } from './notifier.js';
import type { HookStore } from './ports.js';

export interface ResendOutcome {
  readonly summary: string;
  /** Every hook answered for good; otherwise the thread hears the rest when it settles. */
  readonly finished: boolean;
  /** Every hook refused or was given up on. */
  readonly noneAcknowledged: boolean;
}

export interface JwksHookResender {
  /** Re-sends the hooks for this run (once per run key), delivers them and says where they stand. */
  resend(incidentId: string, key: string, signal: AbortSignal): Promise<ResendOutcome>;
  /** After a restart: where the run's re-send stands, or undefined when it never got queued. */
  status(key: string): ResendOutcome | undefined;
}

const eventOf = (body: string): Pick<HookPayload, 'event' | 'kid'> => {
  const parsed = JSON.parse(body) as Partial<HookPayload>;
  return { event: parsed.event ?? 'jwks_refresh_requested', kid: parsed.kid ?? null };
};

export const createJwksHookResender = (deps: {
  readonly notifier: Pick<JwksHookNotifier, 'resend'>;
  readonly store: Pick<HookStore, 'find' | 'results' | 'release'>;
  readonly deliver: () => Promise<void>;
}): JwksHookResender => {
  const standing = (id: string): ResendOutcome | undefined => {
    const n = deps.store.find(id);
    if (!n) return undefined;
    const results = deps.store.results(n.id);
    const finished = allFinished(results);
    // Not finished: the delivery job reports the rest to the thread once every hook has answered.
    if (!finished) deps.store.release(n.id);
    const tail = finished ? '' : ' — the thread hears the rest when they answer';
    return {
      summary: `JWKS refresh hooks ${changeTitle(eventOf(n.body))}: ${describeResults(results)}${tail}`,
      finished,
      noneAcknowledged: finished && results.length > 0 && results.every((r) => r.state === 'failed'),
    };
  };
  return {
    async resend(incidentId, key, signal) {
      const n = await deps.notifier.resend(incidentId, key, signal);
      await deps.deliver();
      return (
        standing(n.id) ?? {
          summary: 'JWKS refresh hooks: nothing was queued',
          finished: true,
          noneAcknowledged: false,
        }
      );
    },
    status: (key) => standing(`resend:${key}`),
  };
};
