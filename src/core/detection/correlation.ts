import type { Evidence, TopItem } from './model.js';
import type { StoredLogEvent } from '../logs/ports.js';
import { isCredentialChange } from '../logs/management-request.js';
import { changeAuthor, isSigningKeyRotation, type KeyRotation } from './key-events.js';
import { minuteIndex } from './minutes.js';

type Correlation = NonNullable<Evidence['correlation']>;

export interface CorrelatedChange {
  readonly correlation: Correlation;
  /** The bot made the change: expected, so it never pages on its own. */
  readonly own: boolean;
}

/** Failure reasons a wrong or changed client secret (or client key) produces. */
const SECRET_REASONS =
  /client.?secret|invalid.?client|unauthori[sz]ed|client authentication|client_assertion|assertion|credentials/i;
/** Failure reasons a signing-key rotation produces: the token's signature or key ID is not known. */
const KEY_REASONS = /signature|\bkid\b|jwks|signing key|invalid.?token|jwt/i;

/**
 * The reasons fit a cause when the most frequent one does, or when none was logged (nothing
 * contradicts it). A change whose reasons do not fit stays a suspect on the card, never the cause.
 */
const fits = (reasons: readonly TopItem[], pattern: RegExp): boolean => {
  const [top] = [...reasons].sort((a, b) => b.count - a.count);
  return top === undefined || pattern.test(top.value);
};

/**
 * Token failures that start within `correlationMinutes` after a signing-key rotation or a change
 * to the failing client (the JWKS-rotation case) are one incident that says so — when the failure
 * reasons fit that cause (`reasons`: the window's top reasons): a wrong secret for a secret change,
 * an unknown signature or key ID for a key rotation.
 *
 * A change is "on the client" when its log entry is scoped to that client or names the client ID
 * in its description or reason. Auth0 tags a `sapi` entry with the caller's client, so a change
 * made by someone else is recognised only once the request path is carried in the reason. It is a
 * secret change only when it changed the client's credentials (the secret, its authentication
 * methods or keys, a rotation: `isCredentialChange`); a PATCH of callbacks or grant types stays
 * a suspect, never "after a secret change".
 * The client's own change wins over a tenant-wide key rotation: it is the more specific cause.
 * Both are compared by minute, so a change in the same minute as the first failure counts.
 */
export const correlate = (
  scope: string,
  onsetMinute: number,
  changes: readonly StoredLogEvent[],
  rotations: readonly KeyRotation[],
  correlationMinutes: number,
  reasons: readonly TopItem[] = [],
): CorrelatedChange | undefined => {
  const inWindow = (iso: string): boolean => {
    const minute = minuteIndex(iso);
    return minute <= onsetMinute && onsetMinute - minute <= correlationMinutes;
  };
  const clientId = scope.startsWith('client:') ? scope.slice('client:'.length) : undefined;
  const onClient = (e: StoredLogEvent): boolean =>
    clientId !== undefined &&
    e.signal === 'tenant_change' &&
    (e.scope === scope || `${e.description ?? ''} ${e.reason ?? ''}`.includes(clientId)) &&
    isCredentialChange(e.description, e.reason);
  // `changes` are newest first, as the store returns them.
  const change = changes.find((e) => inWindow(e.date) && onClient(e) && !isSigningKeyRotation(e));
  if (change && fits(reasons, SECRET_REASONS)) {
    const what = change.reason ?? change.description ?? change.type;
    const detail = `${what} by ${changeAuthor(change)}${change.own ? ' (expected)' : ''}`;
    return { correlation: { kind: 'secret_change', at: change.date, detail }, own: change.own };
  }
  const rotation = [...rotations].reverse().find((r) => inWindow(r.at));
  if (!rotation || !fits(reasons, KEY_REASONS)) return undefined;
  const by = rotation.own ? ' by auth0-oncall (expected)' : rotation.who ? ` by ${rotation.who}` : '';
  const detail = `signing key rotated${rotation.kid ? ` to ${rotation.kid}` : ''}${by}`;
  return { correlation: { kind: 'signing_key_rotation', at: rotation.at, detail }, own: rotation.own };
};
