import type { WatcherEvent } from '../watchers/model.js';

/** What a receiver is told (the body's fields are documented in the README). */
export interface HookPayload {
  /** The notification id: the same id in a retry or a later duplicate, so receivers can dedupe. */
  readonly id: string;
  readonly event: 'signing_key_rotated' | 'signing_key_revoked' | 'jwks_refresh_requested';
  readonly tenant: string;
  readonly kid: string | null;
  readonly previous_kid: string | null;
  readonly jwks_uri: string;
  readonly occurred_at: string;
  readonly source: 'watcher' | 'log' | 'runbook';
}

/** A key change as the sources report it, before it has a body. */
export interface KeyChange {
  readonly id: string;
  readonly event: HookPayload['event'];
  readonly kid: string | null;
  readonly previousKid: string | null;
  readonly at: string;
  readonly source: HookPayload['source'];
}

export const changesFromWatcher = (events: readonly WatcherEvent[]): KeyChange[] =>
  events.flatMap((e): KeyChange[] => {
    if (e.kind === 'signing_key_rotated')
      return [
        {
          id: `rotated:${e.kid}`,
          event: 'signing_key_rotated',
          kid: e.kid,
          previousKid: e.previousKid,
          at: e.at,
          source: 'watcher',
        },
      ];
    if (e.kind === 'signing_key_revoked')
      return [
        {
          id: `revoked:${e.kid}`,
          event: 'signing_key_revoked',
          kid: e.kid,
          previousKid: null,
          at: e.at,
          source: 'watcher',
        },
      ];
    return [];
  });

/**
 * A hook URL as people may see it: host and path. The query and any user-info are left out, as
 * receivers sometimes carry a token there.
 */
export const hookLabel = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'an unparsable URL';
  }
};

const shortKid = (kid: string) => (kid.length > 12 ? `${kid.slice(0, 6)}…${kid.slice(-4)}` : kid);

/** `key abc123…wxyz rotated` — the subject of the outcome line. */
export const changeTitle = (payload: Pick<HookPayload, 'event' | 'kid'>): string => {
  const key = payload.kid === null ? 'the signing key' : `key ${shortKid(payload.kid)}`;
  switch (payload.event) {
    case 'signing_key_rotated':
      return `${key} rotated`;
    case 'signing_key_revoked':
      return `${key} revoked`;
    case 'jwks_refresh_requested':
      return `re-sent for ${key}`;
  }
};
