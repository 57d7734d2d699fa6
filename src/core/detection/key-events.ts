import type { StoredLogEvent } from '../logs/ports.js';
import type { WatcherEvent } from '../watchers/model.js';
import { MINUTE_MS } from './minutes.js';

/**
 * Signing-key rotations detection correlates token failures with. Two sources:
 *
 * - the signing-key watcher's `signing_key_rotated` events, remembered in memory (at most
 *   `MAX_REMEMBERED` key events, none older than a day): they carry the kid;
 * - `tenant_change` (sapi) log entries that rotate the signing key, re-read from the store on
 *   every evaluation: they carry the exact time and whether the bot made the change.
 *
 * After a restart the memory is empty, so what is lost is a rotation that left no such log entry
 * (one Auth0 made on its own, or one older than the stored events), the kid, and the time of key
 * events used to keep a key incident open; rotations made through the Management API are re-derived.
 */

export interface KeyRotation {
  /** ISO time. */
  readonly at: string;
  readonly kid: string | null;
  readonly previousKid: string | null;
  /** Made by the bot itself (an expected change). */
  readonly own: boolean;
  /** Who made it, when the log says. */
  readonly who: string | null;
}

export interface KeyEventMemory {
  remember(events: readonly WatcherEvent[]): void;
  /** Rotations seen by the watcher, oldest first. */
  rotations(): readonly KeyRotation[];
  /** The time of the latest key event of any kind (rotated, staged, revoked), epoch ms. */
  latestEventAt(): number | undefined;
}

const MAX_REMEMBERED = 16;
const KEEP_MS = 24 * 60 * MINUTE_MS;

export const createKeyEventMemory = (now: () => Date): KeyEventMemory => {
  let rotations: KeyRotation[] = [];
  let latest: number | undefined;
  return {
    remember(events) {
      for (const e of events) {
        if (
          e.kind !== 'signing_key_rotated' &&
          e.kind !== 'signing_key_revoked' &&
          e.kind !== 'signing_key_next_staged'
        ) {
          continue;
        }
        const at = Date.parse(e.at);
        if (Number.isNaN(at)) continue;
        latest = Math.max(latest ?? at, at);
        if (e.kind === 'signing_key_rotated') {
          rotations.push({
            at: new Date(at).toISOString(),
            kid: e.kid,
            previousKid: e.previousKid,
            own: false,
            who: null,
          });
        }
      }
      const oldest = now().getTime() - KEEP_MS;
      rotations = rotations
        .filter((r) => Date.parse(r.at) >= oldest)
        .sort((a, b) => a.at.localeCompare(b.at))
        .slice(-MAX_REMEMBERED);
    },
    rotations: () => rotations,
    latestEventAt: () => latest,
  };
};

const textOf = (e: StoredLogEvent): string => `${e.description ?? ''} ${e.reason ?? ''}`;

/** A sapi entry that rotates the application signing key (Auth0: "Rotate the Application Signing Key"). */
export const isSigningKeyRotation = (e: StoredLogEvent): boolean => {
  const text = textOf(e);
  return /signing[ _-]?key/i.test(text) && /rotat/i.test(text);
};

/** Who made a tenant change, for people: the bot, a user, or a client. */
export const changeAuthor = (e: StoredLogEvent): string =>
  e.own ? 'auth0-oncall' : (e.userName ?? e.clientName ?? e.clientId ?? 'unknown');

/**
 * The rotations known now: the watcher's, each matched with the log entry that made it (at most
 * `matchMinutes` before the watcher noticed) for its exact time and author, plus rotations only
 * the log knows about. Oldest first.
 */
export const knownRotations = (
  remembered: readonly KeyRotation[],
  changes: readonly StoredLogEvent[],
  matchMinutes: number,
): KeyRotation[] => {
  const fromLog = changes.filter(isSigningKeyRotation);
  const used = new Set<StoredLogEvent>();
  const merged: KeyRotation[] = remembered.map((r) => {
    const seenAt = Date.parse(r.at);
    const entry = fromLog.find((e) => {
      const at = Date.parse(e.date);
      return !used.has(e) && at <= seenAt && seenAt - at <= matchMinutes * MINUTE_MS;
    });
    if (!entry) return r;
    used.add(entry);
    return { ...r, at: entry.date, own: entry.own, who: changeAuthor(entry) };
  });
  for (const e of fromLog) {
    if (!used.has(e))
      merged.push({ at: e.date, kid: null, previousKid: null, own: e.own, who: changeAuthor(e) });
  }
  return merged.sort((a, b) => a.at.localeCompare(b.at));
};
