import type { Severity } from '../incidents/model.js';

/**
 * What detection decides and the evidence it keeps with each decision. The detector is
 * pure; the incident service turns decisions into incidents and cards.
 */
export type DetectionSignal =
  | 'failed_logins'
  | 'm2m_token_failures'
  | 'web_token_failures'
  | 'rate_limit'
  | 'attack_protection'
  | 'actions_failures'
  // Attacks on logins, tokens, MFA and signups (families/attacks.ts).
  | 'credential_stuffing'
  | 'refresh_token_reuse'
  | 'ip_blocked'
  | 'breached_password'
  | 'mfa_abuse'
  | 'signup_fraud'
  // Outages of what logins depend on (families/outages.ts; a custom domain failing verification
  // is the watcher's `custom_domain`, so the log event and the watcher share one card).
  | 'connection_down'
  | 'notification_failures'
  | 'cors_failures'
  /** Logins refused for a callback URL the client does not allow: its configuration (families/outages.ts). */
  | 'callback_mismatch'
  | 'deprecation_notices'
  | 'platform_failures'
  // Changes that weaken the tenant or expose a secret (families/security.ts).
  | 'security_weakened'
  | 'secret_exposure'
  | 'signing_key'
  | 'certificate'
  | 'credential_expiry'
  | 'custom_domain'
  | 'auth0_unreachable'
  /** From Auth0 Event Streams (src/core/event-streams/detection.ts). */
  | 'mass_user_deletion'
  | 'mass_user_blocking'
  | 'signup_burst'
  | 'organization_connections'
  /** Not from detection: a rotation that failed opens an incident with rollback as a step. */
  | 'rotation_failed';

/** One entry of a "top N" list: an IP, a client, a connection, a user agent, a reason. */
export interface TopItem {
  readonly value: string;
  readonly count: number;
}

/** A tenant change seen shortly before onset: a likely cause. */
export interface Suspect {
  readonly at: string;
  readonly kind: 'tenant_change' | 'signing_key_rotation' | 'own_rotation' | 'own_change';
  /** Who made it: a client name/ID, or 'auth0-oncall' for the bot itself. */
  readonly who: string;
  /** What changed, bounded and already stripped of secrets, e.g. `PATCH /api/v2/clients/abc`. */
  readonly what: string;
  /** The bot's own change: shown, but it never pages on its own. */
  readonly expected: boolean;
}

export interface Evidence {
  /** The sliding window the numbers are about. */
  readonly window: { readonly from: string; readonly to: string; readonly minutes: number };
  readonly failures: number;
  /** Successes in the same window where the signal has a denominator (logins, token exchanges). */
  readonly successes?: number;
  /** failures / (failures + successes), 0..1, where a denominator exists. */
  readonly ratio?: number;
  /** Failures per minute in the window. */
  readonly rate: number;
  /** The signal's usual failures per minute for this scope, when enough history exists. */
  readonly baseline?: number;
  readonly topClients?: readonly TopItem[];
  readonly topIps?: readonly TopItem[];
  readonly topConnections?: readonly TopItem[];
  readonly topUserAgents?: readonly TopItem[];
  readonly topReasons?: readonly TopItem[];
  /** Newest first. */
  readonly suspects: readonly Suspect[];
  /** Set when this incident follows a signing-key rotation or a secret change (the JWKS case). */
  readonly correlation?: {
    readonly kind: 'signing_key_rotation' | 'secret_change';
    readonly at: string;
    readonly detail: string;
  };
  /** A single source IP behind most of the volume: maybe an office NAT. */
  readonly singleSourceIp?: string;
  /** Free text for watcher and breaker signals (e.g. "certificate for login.acme.com renews in 3 days"). */
  readonly summary?: string;
  /**
   * When the problem started according to the signal: the first failing event of the current
   * episode (curve.ts). Kept from the first decision on while the incident stays open.
   */
  readonly onset?: string;
  /** The signal over the last hour, for the card's sparkline (curve.ts). */
  readonly curve?: Curve;
  /** Without a baseline: the first evaluation that will have one (enough history watched). */
  readonly baselineFrom?: string;
  /** What to search for in the tenant's logs (the dashboard link): Lucene fields, exact values. */
  readonly logQuery?: LogQuery;
}

/** Failures per bucket, oldest first; the last bucket ends with the minute of `to`. */
export interface Curve {
  readonly to: string;
  readonly bucketMinutes: number;
  readonly counts: readonly number[];
}

export interface LogQuery {
  /** Log event type codes (`f`, `feccft`), at most a few. */
  readonly types: readonly string[];
  readonly clientId?: string;
  readonly connection?: string;
  readonly ip?: string;
}

export type Decision =
  | {
      readonly kind: 'open';
      readonly signal: DetectionSignal;
      readonly scope: string;
      readonly severity: Severity;
      readonly title: string;
      readonly evidence: Evidence;
    }
  | {
      readonly kind: 'update';
      readonly signal: DetectionSignal;
      readonly scope: string;
      readonly severity: Severity;
      readonly title: string;
      readonly evidence: Evidence;
    }
  | {
      readonly kind: 'recover';
      readonly signal: DetectionSignal;
      readonly scope: string;
      /** Why it is over, for the thread: "below threshold for 15 min", "breaker closed". */
      readonly reason: string;
    };
