import type { LogDigest, SignalGroup } from '../rules.js';
import { deprecationDigest } from './deprecation-digest.js';
import {
  actionsTitle,
  connectionDownNotes,
  connectionDownTitle,
  callbackTitle,
  corsTitle,
  customDomainTitle,
  kmsFailures,
  mfaDeliveryFailures,
  notificationNotes,
  notificationTitle,
  platformTitle,
} from './outage-titles.js';

/**
 * Outages of what logins depend on: enterprise connections, mail and SMS, custom domains, Actions,
 * the platform. Severity rules (5-minute window; docs/detections.md "Outages" says why):
 *
 * - Enterprise connection down (per connection; `fc`/`fcpro` failures, `coff` decisive, `con` noted):
 *   a `coff` is high on its own; connector failures count only while they are above 25% of the
 *   connection's login attempts, ≥ 5 medium, ≥ 20 high. It supersedes failed logins on the same
 *   connection: one outage, one card (a failed-logins card already open there is resolved pointing here).
 * - Mail and SMS not delivered (tenant; `fn`, `fv`, `gd_send_*_failure`): ≥ 5 medium, ≥ 50 high, above
 *   5× its baseline medium; ≥ 3 failed MFA deliveries (SMS, voice, push) make it high: those users
 *   cannot log in. A custom-domain failure in the lookback is named on the card as related.
 * - Custom domain failed verification (per domain; `custom_domain_verification_failed`): medium on
 *   one event, under the custom-domain watcher's signal and scope so the log and the watcher update
 *   one card (the watcher raises it to high when Auth0 marks the domain failed). Quiet logs never
 *   resolve it: the watcher seeing the domain ready again does, or a person.
 * - Actions, Flows and hooks failing (tenant; `actions_execution_failed`, `flows_execution_failed`,
 *   `fcph`, `fpurh`): ≥ 20 medium, ≥ 100 high, or above 5× baseline; the title names the Action, Flow
 *   or hook, the evidence lists each with its error class.
 * - CORS failures (per client; `fco`): ≥ 10 medium, ≥ 50 high, above 5× baseline medium.
 * - Callback URL not allowed (per client; an `f` "Callback URL mismatch", split from the failed logins
 *   by core/logs/classification.ts): ≥ 5 medium, ≥ 50 high, above 5× baseline medium.
 * - Platform failures (tenant; `directory_sync_failed`, `kms_key_management_failure`): one is medium;
 *   a KMS failure is high (the tenant's own encryption key is involved).
 * - Deprecation notices (`depnote`): one low digest per UTC day, never a page (deprecation-digest.ts).
 */

/** Failed MFA deliveries in the window from which mail-and-SMS failures are high. */
const MFA_DELIVERY_HIGH = 3;

const quietFor = (what: string) => (t: { quietMinutes: number }) => `no ${what} for ${t.quietMinutes} min`;

export const OUTAGE_GROUPS: readonly SignalGroup[] = [
  {
    signal: 'actions_failures',
    failures: ['actions_failure'],
    rule: 'actions',
    scoping: 'tenant',
    title: actionsTitle,
  },
  {
    signal: 'connection_down',
    failures: ['connector_failure'],
    success: 'login_success',
    extra: 'connection_offline',
    rule: 'count',
    scoping: 'per_scope',
    levels: { medium: 5, high: 20, onExtra: 'high', guardRatio: true },
    supersedes: ['failed_logins'],
    title: connectionDownTitle,
    notes: connectionDownNotes,
    recovery: quietFor('connector failure or offline report'),
  },
  {
    signal: 'notification_failures',
    failures: ['notification_failure'],
    rule: 'count',
    scoping: 'tenant',
    levels: { medium: 5, high: 50, baseline: 'medium' },
    severity: (i) => (mfaDeliveryFailures(i.events) >= MFA_DELIVERY_HIGH ? 'high' : undefined),
    title: notificationTitle,
    notes: notificationNotes,
    recovery: quietFor('failed delivery above the threshold'),
  },
  {
    signal: 'custom_domain',
    failures: ['custom_domain_failure'],
    rule: 'count',
    scoping: 'per_scope',
    levels: { medium: 1 },
    recoveredBy: 'watcher',
    title: customDomainTitle,
  },
  {
    signal: 'callback_mismatch',
    failures: ['callback_mismatch'],
    rule: 'count',
    scoping: 'per_scope',
    levels: { medium: 5, high: 50, baseline: 'medium' },
    title: callbackTitle,
    recovery: quietFor('refused callback URL above the threshold'),
  },
  {
    signal: 'cors_failures',
    failures: ['cors_failure'],
    rule: 'count',
    scoping: 'per_scope',
    levels: { medium: 10, high: 50, baseline: 'medium' },
    title: corsTitle,
    recovery: quietFor('CORS failures above the threshold'),
  },
  {
    signal: 'platform_failures',
    failures: ['platform_failure'],
    rule: 'count',
    scoping: 'tenant',
    levels: { medium: 1 },
    severity: (i) => (kmsFailures(i.events) > 0 ? 'high' : undefined),
    title: platformTitle,
    recovery: quietFor('directory sync or KMS failure'),
  },
];

export const OUTAGE_DIGESTS: readonly LogDigest[] = [deprecationDigest];
