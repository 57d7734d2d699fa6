import type { LogStore } from '../logs/ports.js';
import type { RotationTarget } from './target.js';

/**
 * Client names for people: `/auth0 rotate acme-billing-worker` works like the client ID, and
 * lists, modals and status say which application a client ID is. Names come from the tenant's
 * M2M client list (refreshed when older than `maxAgeMs`), else from the newest stored log event
 * of that client. A name is a convenience, never an identity: two clients may share one, and
 * then the answer is the matching IDs, not a guess.
 */

export interface ClientNames {
  nameOf(clientId: string): string | undefined;
  /** Re-reads the tenant's client list when it is stale; a failure keeps the names known so far. */
  refresh(signal?: AbortSignal): Promise<void>;
}

export interface ClientNamesDeps {
  readonly list?: (signal?: AbortSignal) => Promise<ReadonlyArray<{ clientId: string; name: string }>>;
  readonly logs: Pick<LogStore, 'recent'>;
  readonly now: () => Date;
  readonly maxAgeMs?: number;
}

export const createClientNames = (deps: ClientNamesDeps): ClientNames => {
  const maxAgeMs = deps.maxAgeMs ?? 5 * 60_000;
  let listed = new Map<string, string>();
  let listedAt: number | undefined;
  return {
    nameOf(clientId) {
      return listed.get(clientId) ?? deps.logs.recent({ clientId, limit: 1 })[0]?.clientName ?? undefined;
    },
    async refresh(signal) {
      const now = deps.now().getTime();
      if (deps.list === undefined || (listedAt !== undefined && now - listedAt < maxAgeMs)) return;
      try {
        const clients = await deps.list(signal);
        listed = new Map(clients.map((c) => [c.clientId, c.name]));
        listedAt = now;
      } catch {
        // Names are a convenience: a failed listing leaves IDs (and log names) to speak for clients.
      }
    },
  };
};

export type TargetMatch =
  | { readonly kind: 'found'; readonly target: RotationTarget }
  | { readonly kind: 'ambiguous'; readonly targets: readonly RotationTarget[] }
  | { readonly kind: 'unknown' };

/** A target by its client ID, else by its name (case and surrounding spaces ignored). */
export const findTarget = (
  targets: readonly RotationTarget[],
  query: string,
  names: Pick<ClientNames, 'nameOf'>,
): TargetMatch => {
  const byId = targets.find((t) => t.clientId === query);
  if (byId) return { kind: 'found', target: byId };
  const wanted = query.trim().toLowerCase();
  const named = targets.filter((t) => names.nameOf(t.clientId)?.trim().toLowerCase() === wanted);
  if (named.length === 1 && named[0]) return { kind: 'found', target: named[0] };
  return named.length > 1 ? { kind: 'ambiguous', targets: named } : { kind: 'unknown' };
};
