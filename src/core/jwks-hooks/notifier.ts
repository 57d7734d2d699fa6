import { isSigningKeyRotation } from '../detection/key-events.js';
import type { RecentLogQuery, StoredLogEvent } from '../logs/ports.js';
import type { SigningKey, Tenant } from '../tenant/ports.js';
import type { WatcherEvent } from '../watchers/model.js';
import { changesFromWatcher, type HookPayload, type KeyChange } from './model.js';
import type { HookNotification, HookStore } from './ports.js';

export interface JwksHookNotifierDeps {
  readonly store: HookStore;
  /** JWKS_REFRESH_WEBHOOKS. */
  readonly urls: readonly string[];
  readonly tenant: string;
  readonly jwksUri: string;
  /** A log entry names no kid: the current keys are read to fill it in. */
  readonly keys: Pick<Tenant, 'listSigningKeys'>;
  readonly logs: { recent(query: RecentLogQuery): StoredLogEvent[] };
  readonly now: () => Date;
  /** Starts a delivery pass in the background. */
  readonly nudge: () => void;
  readonly onError?: (what: string, error: unknown) => void;
}

export interface JwksHookNotifier {
  /** The signing-key watcher's rotations and revocations. */
  onWatcherEvents(events: readonly WatcherEvent[]): void;
  /** Newly stored logs: a `sapi` entry that rotates or revokes a signing key. */
  onLogsIngested(): Promise<void>;
  /** The runbook action: the current key (or the latest change's), under a new id, held for its step. */
  resend(incidentId: string, key: string, signal: AbortSignal): Promise<HookNotification>;
}

/** Log entries older than this are history, not news: a restart or a lookback must not re-notify. */
const LOG_WINDOW_MS = 15 * 60_000;
/** How far a key's `revoked_at` may be from the log entry that revoked it. */
const REVOKE_MATCH_MS = 10 * 60_000;

const isSigningKeyRevocation = (e: StoredLogEvent): boolean => {
  const text = `${e.description ?? ''} ${e.reason ?? ''}`;
  return /signing[ _-]?key/i.test(text) && /revok/i.test(text);
};

/** A sapi entry names no kid; the tenant's key list does (current and previous after a rotation). */
const changeFromLog = (e: StoredLogEvent, keys: readonly SigningKey[] | undefined): KeyChange => {
  const fallback: KeyChange = {
    id: `log:${e.logId}`,
    event: isSigningKeyRotation(e) ? 'signing_key_rotated' : 'signing_key_revoked',
    kid: null,
    previousKid: null,
    at: e.date,
    source: 'log',
  };
  if (!keys) return fallback;
  if (fallback.event === 'signing_key_rotated') {
    const current = keys.find((k) => k.current && !k.revoked);
    if (!current) return fallback;
    const previous = keys.find((k) => k.previous && k.kid !== current.kid);
    return {
      ...fallback,
      id: `rotated:${current.kid}`,
      kid: current.kid,
      previousKid: previous?.kid ?? null,
    };
  }
  const at = Date.parse(e.date);
  const revoked = keys.find(
    (k) =>
      k.revoked && k.revokedAt !== undefined && Math.abs(Date.parse(k.revokedAt) - at) <= REVOKE_MATCH_MS,
  );
  return revoked ? { ...fallback, id: `revoked:${revoked.kid}`, kid: revoked.kid } : fallback;
};

export const createJwksHookNotifier = (deps: JwksHookNotifierDeps): JwksHookNotifier => {
  const seenLogs = new Set<string>();

  const payloadOf = (c: KeyChange): HookPayload => ({
    id: c.id,
    event: c.event,
    tenant: deps.tenant,
    kid: c.kid,
    previous_kid: c.previousKid,
    jwks_uri: deps.jwksUri,
    occurred_at: c.at,
    source: c.source,
  });

  const create = (c: KeyChange, incidentId: string | null, held = false): HookNotification => {
    const notification: HookNotification = {
      id: c.id,
      body: JSON.stringify(payloadOf(c)),
      kid: c.kid,
      incidentId,
      createdAt: deps.now().toISOString(),
    };
    deps.store.create(notification, deps.urls, { held });
    return notification;
  };

  const readKeys = async (signal?: AbortSignal): Promise<readonly SigningKey[] | undefined> => {
    try {
      return await deps.keys.listSigningKeys(signal);
    } catch (error) {
      deps.onError?.('reading the signing keys for a hook notification', error);
      return undefined;
    }
  };

  return {
    onWatcherEvents(events) {
      const changes = changesFromWatcher(events);
      for (const c of changes) create(c, null);
      if (changes.length > 0) deps.nudge();
    },
    async onLogsIngested() {
      const since = new Date(deps.now().getTime() - LOG_WINDOW_MS).toISOString();
      const entries = deps.logs
        .recent({ signal: 'tenant_change', since, limit: 200 })
        .filter((e) => !seenLogs.has(e.logId) && (isSigningKeyRotation(e) || isSigningKeyRevocation(e)));
      if (entries.length === 0) return;
      const keys = await readKeys();
      for (const e of entries) {
        seenLogs.add(e.logId);
        create(changeFromLog(e, keys), null);
      }
      deps.nudge();
    },
    async resend(incidentId, key, signal) {
      const done = deps.store.find(`resend:${key}`);
      if (done) return done;
      // The keys as they are now: a re-send says which key to expect, whatever happened since.
      const keys = await readKeys(signal);
      const current = keys?.find((k) => k.current && !k.revoked);
      const previous = keys?.find((k) => k.previous && !k.revoked && k.kid !== current?.kid);
      const change: KeyChange = {
        id: `resend:${key}`,
        event: 'jwks_refresh_requested',
        kid: current?.kid ?? deps.store.latestChange()?.kid ?? null,
        previousKid: previous?.kid ?? null,
        at: deps.now().toISOString(),
        source: 'runbook',
      };
      // Held: the step's result line reports it (see resend.ts), not the delivery job.
      return create(change, incidentId, true);
    },
  };
};
