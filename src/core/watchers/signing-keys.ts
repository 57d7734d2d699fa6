import { z } from 'zod';
import type { JwksKey, SigningKey } from '../tenant/ports.js';
import { keyScope, type WatcherEvent } from './model.js';
import type { WatcherOutcome } from './ports.js';

/** What the next run diffs against: the kids and their current/next/revoked flags. */
export interface SigningKeyState {
  readonly currentKid: string | null;
  readonly currentSince: string | null;
  readonly nextKid: string | null;
  readonly revokedKids: readonly string[];
  /** The current kid while it is missing from the JWKS (an open condition). */
  readonly jwksMissingKid: string | null;
}

const stateSchema: z.ZodType<SigningKeyState> = z.object({
  currentKid: z.string().nullable(),
  currentSince: z.string().nullable(),
  nextKid: z.string().nullable(),
  revokedKids: z.array(z.string()),
  jwksMissingKid: z.string().nullable(),
});

/** Stored state → the previous state; anything unreadable means "no baseline yet". */
export const readSigningKeyState = (value: unknown): SigningKeyState | undefined => {
  const parsed = stateSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

const toState = (keys: readonly SigningKey[], jwks: readonly JwksKey[]): SigningKeyState => {
  // A revoked key cannot sign, whatever its other flags say.
  const current = keys.find((k) => k.current && !k.revoked);
  const next = keys.find((k) => k.next && !k.revoked && k.kid !== current?.kid);
  const published = new Set(jwks.map((k) => k.kid));
  return {
    currentKid: current?.kid ?? null,
    currentSince: current?.currentSince ?? null,
    nextKid: next?.kid ?? null,
    revokedKids: [...new Set(keys.filter((k) => k.revoked).map((k) => k.kid))].sort(),
    jwksMissingKid: current && !published.has(current.kid) ? current.kid : null,
  };
};

/** Rotation, staging and revocation are changes: they need a baseline to be seen against. */
const changeEvents = (
  before: SigningKeyState,
  after: SigningKeyState,
  keys: readonly SigningKey[],
  at: string,
): WatcherEvent[] => {
  const events: WatcherEvent[] = [];
  const rotated = after.currentKid !== null && after.currentKid !== before.currentKid;
  if (rotated) {
    events.push({
      kind: 'signing_key_rotated',
      at,
      scope: keyScope(after.currentKid),
      severity: 'info',
      kid: after.currentKid,
      previousKid: before.currentKid,
      currentSince: after.currentSince,
    });
  }
  // Auth0 stages a fresh next key as part of a rotation; only a next key appearing on its own
  // announces a rotation still to come.
  if (!rotated && after.nextKid !== null && after.nextKid !== before.nextKid) {
    events.push({
      kind: 'signing_key_next_staged',
      at,
      scope: keyScope(after.nextKid),
      severity: 'info',
      kid: after.nextKid,
    });
  }
  const wasRevoked = new Set(before.revokedKids);
  for (const kid of after.revokedKids.filter((k) => !wasRevoked.has(k))) {
    const revokedAt = keys.find((k) => k.kid === kid)?.revokedAt ?? null;
    events.push({ kind: 'signing_key_revoked', at, scope: keyScope(kid), severity: 'info', kid, revokedAt });
  }
  return events;
};

/** A missing current key is a condition, not a change: it is reported on the very first run too. */
const jwksEvents = (
  before: SigningKeyState | undefined,
  after: SigningKeyState,
  jwks: readonly JwksKey[],
  at: string,
): WatcherEvent[] => {
  const was = before?.jwksMissingKid ?? null;
  const now = after.jwksMissingKid;
  if (was === now) return [];
  const events: WatcherEvent[] = [];
  if (was !== null) {
    // Rotated away from the missing key: that key no longer matters, so the condition is gone.
    const reason = was === after.currentKid ? 'resolved' : 'removed';
    events.push({
      kind: 'jwks_missing_current_recovered',
      at,
      scope: keyScope(was),
      severity: 'info',
      kid: was,
      reason,
    });
  }
  if (now !== null) {
    const jwksKids = jwks.map((k) => k.kid);
    events.push({
      kind: 'jwks_missing_current',
      at,
      scope: keyScope(now),
      severity: 'high',
      kid: now,
      jwksKids,
    });
  }
  return events;
};

/** `abcdef…123456` → `abc…456`: enough to tell keys apart in a status line. */
const shortKid = (kid: string): string => (kid.length > 10 ? `${kid.slice(0, 3)}…${kid.slice(-3)}` : kid);

const summarise = (state: SigningKeyState): string => {
  if (state.currentKid === null) return 'no current signing key';
  const since = state.currentSince === null ? '' : ` since ${state.currentSince.slice(0, 10)}`;
  const parts = [`current key ${shortKid(state.currentKid)}${since}`];
  if (state.nextKid !== null) parts.push('next staged');
  if (state.jwksMissingKid !== null) parts.push('current key missing from the JWKS');
  return parts.join('; ');
};

/**
 * Diffs the signing-key list and the JWKS against the previous state. The first run (no previous
 * state) only records a baseline: nothing has rotated as far as we know.
 */
export const evaluateSigningKeys = (
  previous: SigningKeyState | undefined,
  keys: readonly SigningKey[],
  jwks: readonly JwksKey[],
  now: Date,
): WatcherOutcome<SigningKeyState> => {
  const at = now.toISOString();
  const state = toState(keys, jwks);
  const events = [
    ...(previous ? changeEvents(previous, state, keys, at) : []),
    ...jwksEvents(previous, state, jwks, at),
  ];
  return {
    state,
    events,
    reading: { ok: state.currentKid !== null && state.jwksMissingKid === null, summary: summarise(state) },
  };
};
