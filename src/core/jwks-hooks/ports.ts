import type { IsoTimestamp } from '../audit/ports.js';

/**
 * JWKS-refresh hooks (docs/decisions/0011-jwks-refresh-hooks.md): when the signing key rotates or
 * is revoked, every configured URL is told, so APIs reload the JWKS instead of refusing tokens
 * signed by the new key until their cache expires. One notification per change, one delivery row
 * per URL, posted with retries like the Slack outbox.
 */
export interface HookNotification {
  /** `rotated:<kid>`, `revoked:<kid>`, `log:<log id>` or `resend:<step key>`. */
  readonly id: string;
  /** The JSON every hook receives; the signature is computed per attempt, never stored. */
  readonly body: string;
  readonly kid: string | null;
  /** The incident whose thread hears the outcome; null: the open signing-key incident by then. */
  readonly incidentId: string | null;
  readonly createdAt: IsoTimestamp;
}

/** One URL's delivery of one notification. */
export interface HookDelivery {
  readonly id: number;
  readonly notificationId: string;
  readonly url: string;
  readonly body: string;
  readonly attempts: number;
  readonly nextAttemptAt: IsoTimestamp;
}

export interface HookResult {
  readonly url: string;
  readonly state: 'pending' | 'delivered' | 'failed';
  /** The receiver's last HTTP status; null when it never answered. */
  readonly status: number | null;
  readonly attempts: number;
}

export interface HookStore {
  /**
   * The notification and one delivery per URL, in one transaction. False when the id exists.
   * `held`: the caller reports the outcome itself (a re-send's step result), unless it `release`s it.
   */
  create(
    notification: HookNotification,
    urls: readonly string[],
    options?: { readonly held?: boolean },
  ): boolean;
  /** Hands a held notification's outcome back to the delivery job to report. */
  release(id: string): void;
  /** Undelivered rows, oldest first, due or not. */
  pending(limit: number): HookDelivery[];
  attempting(id: number): void;
  delivered(id: number, status: number, at: IsoTimestamp): void;
  retryLater(id: number, nextAttemptAt: IsoTimestamp, status: number | null, error: string): void;
  failed(id: number, status: number | null, error: string, at: IsoTimestamp): void;
  /** Notifications whose outcome is not reported yet, oldest first. */
  unreported(limit: number): HookNotification[];
  results(notificationId: string): HookResult[];
  markReported(id: string, at: IsoTimestamp): void;
  find(id: string): HookNotification | undefined;
  /** The newest notification about a key change (not a re-send), for a re-send to repeat. */
  latestChange(): HookNotification | undefined;
}

/** What one POST came to. */
export type HookOutcome =
  | { readonly ok: true; readonly status: number }
  | {
      readonly ok: false;
      /** The receiver refused it (4xx other than 408/429): retrying the same request cannot help. */
      readonly permanent: boolean;
      readonly status: number | null;
      readonly retryAfterMs?: number;
      /** Never the URL's query or a header: safe for logs and Slack. */
      readonly reason: string;
    };

export interface HookSender {
  post(url: string, body: string, headers: Readonly<Record<string, string>>): Promise<HookOutcome>;
}
