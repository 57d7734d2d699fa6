import { z } from 'zod';
import type { ClientCredential, M2mClient } from '../tenant/ports.js';
import {
  clientScope,
  expirySeverity,
  wholeDaysLeft,
  type RecoveryReason,
  type WatcherEvent,
} from './model.js';
import { describeTimeLeft, type WatcherOutcome } from './ports.js';

/** A client with the credentials listed for it (only clients with active credentials are listed). */
export interface ClientCredentials {
  readonly client: M2mClient;
  readonly credentials: readonly ClientCredential[];
}

type CredentialLevel = 'medium' | 'high' | 'expired';

/** An open condition on one active credential. */
interface CredentialCondition {
  readonly clientId: string;
  readonly clientName: string;
  readonly credentialId: string;
  readonly level: CredentialLevel;
}

export interface CredentialState {
  /** By `<clientId>/<credentialId>`. */
  readonly credentials: Readonly<Record<string, CredentialCondition>>;
}

export interface CredentialWatchOptions {
  readonly warnDays: number;
}

const stateSchema: z.ZodType<CredentialState> = z.object({
  credentials: z.record(
    z.string(),
    z.object({
      clientId: z.string(),
      clientName: z.string(),
      credentialId: z.string(),
      level: z.enum(['medium', 'high', 'expired']),
    }),
  ),
});

export const readCredentialState = (value: unknown): CredentialState | undefined => {
  const parsed = stateSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

const RANK: Readonly<Record<CredentialLevel, number>> = { medium: 1, high: 2, expired: 3 };

const credentialKey = (clientId: string, credentialId: string): string => `${clientId}/${credentialId}`;

interface Observed {
  readonly key: string;
  readonly client: M2mClient;
  readonly credential: ClientCredential;
  readonly expiresAt: string;
  readonly msLeft: number;
  readonly level: CredentialLevel | null;
}

/** Active credentials with a usable `expires_at`: an inactive one cannot lock anyone out. */
const observe = (clients: readonly ClientCredentials[], now: Date, warnDays: number): Observed[] => {
  const out: Observed[] = [];
  for (const { client, credentials } of clients) {
    const active = new Set(client.activeCredentialIds);
    for (const credential of credentials) {
      const expiresAt = credential.expiresAt === undefined ? Number.NaN : Date.parse(credential.expiresAt);
      if (!active.has(credential.id) || Number.isNaN(expiresAt)) continue;
      const msLeft = expiresAt - now.getTime();
      out.push({
        key: credentialKey(client.clientId, credential.id),
        client,
        credential,
        expiresAt: new Date(expiresAt).toISOString(),
        msLeft,
        level: msLeft <= 0 ? 'expired' : (expirySeverity(msLeft, warnDays) ?? null),
      });
    }
  }
  return out.sort((a, b) => a.msLeft - b.msLeft || a.key.localeCompare(b.key));
};

/** Listed and attached: a flagged credential still here recovered by a new date, not by removal. */
const activeKeys = (clients: readonly ClientCredentials[]): Set<string> =>
  new Set(
    clients.flatMap(({ client, credentials }) =>
      credentials
        .filter((c) => client.activeCredentialIds.includes(c.id))
        .map((c) => credentialKey(client.clientId, c.id)),
    ),
  );

const raised = (seen: Observed, at: string, warnDays: number): WatcherEvent => {
  const subject = {
    at,
    scope: clientScope(seen.client.clientId),
    clientId: seen.client.clientId,
    clientName: seen.client.name,
    credentialId: seen.credential.id,
    credentialName: seen.credential.name ?? null,
    expiresAt: seen.expiresAt,
  };
  if (seen.level === 'expired') return { ...subject, kind: 'credential_expired', severity: 'high' };
  return {
    ...subject,
    kind: 'credential_expiring',
    severity: seen.level === 'high' ? 'high' : 'medium',
    daysLeft: wholeDaysLeft(seen.msLeft),
    warnDays,
  };
};

const recovered = (was: CredentialCondition, at: string, reason: RecoveryReason): WatcherEvent => {
  const subject = { at, scope: clientScope(was.clientId), severity: 'info' as const, reason };
  const who = { clientId: was.clientId, clientName: was.clientName, credentialId: was.credentialId };
  return was.level === 'expired'
    ? { ...subject, ...who, kind: 'credential_expired_recovered' }
    : { ...subject, ...who, kind: 'credential_expiring_recovered' };
};

/**
 * One credential's edge. Escalation (expiring → expired, medium → high) is a new event with no
 * recovery in between; an expired credential given a later date that is still close ends the
 * "expired" condition and opens an "expiring" one; a lower severity alone is silent.
 */
const transition = (
  was: CredentialCondition | undefined,
  seen: Observed | undefined,
  stillActive: boolean,
  at: string,
  warnDays: number,
): WatcherEvent[] => {
  const now = seen?.level ?? null;
  if (was === undefined) return seen && now !== null ? [raised(seen, at, warnDays)] : [];
  if (!seen || now === null) return [recovered(was, at, stillActive ? 'resolved' : 'removed')];
  if (RANK[now] > RANK[was.level]) return [raised(seen, at, warnDays)];
  if (was.level === 'expired' && now !== 'expired')
    return [recovered(was, at, 'resolved'), raised(seen, at, warnDays)];
  return [];
};

const summarise = (clients: readonly ClientCredentials[], observed: readonly Observed[]): string => {
  const activeCount = clients.reduce((n, c) => n + c.client.activeCredentialIds.length, 0);
  if (activeCount === 0) return 'no active private_key_jwt credentials';
  if (observed.length === 0) return 'no active credential expires';
  const parts: string[] = [];
  const expired = [...new Set(observed.filter((o) => o.level === 'expired').map((o) => o.client.name))];
  if (expired.length > 0) parts.push(`credential expired (${expired.join(', ')})`);
  const nearest = observed.find((o) => o.level !== 'expired');
  if (nearest)
    parts.push(`nearest credential expiry ${describeTimeLeft(nearest.msLeft)} (${nearest.client.name})`);
  return parts.join('; ');
};

/**
 * `expires_at` of each ACTIVE private_key_jwt credential (one listed in the client's
 * client_authentication_methods) against the previous conditions. Conditions are reported on the
 * first run too. A credential that disappears or is detached while flagged recovers as `removed`.
 */
export const evaluateCredentials = (
  clients: readonly ClientCredentials[],
  previous: CredentialState | undefined,
  now: Date,
  options: CredentialWatchOptions,
): WatcherOutcome<CredentialState> => {
  const at = now.toISOString();
  const observed = observe(clients, now, options.warnDays);
  const byKey = new Map(observed.map((o) => [o.key, o]));
  const before = previous?.credentials ?? {};
  const keys = [...new Set([...Object.keys(before), ...byKey.keys()])].sort();
  const active = activeKeys(clients);
  const events = keys.flatMap((key) =>
    transition(before[key], byKey.get(key), active.has(key), at, options.warnDays),
  );

  const state: Record<string, CredentialCondition> = {};
  for (const o of observed) {
    if (o.level === null) continue;
    const c = o.client;
    state[o.key] = {
      clientId: c.clientId,
      clientName: c.name,
      credentialId: o.credential.id,
      level: o.level,
    };
  }
  return {
    state: { credentials: state },
    events,
    reading: { ok: Object.keys(state).length === 0, summary: summarise(clients, observed) },
  };
};
