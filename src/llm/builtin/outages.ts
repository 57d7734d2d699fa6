import type { DetectionSignal } from '../../core/detection/model.js';
import { recheck, type Kit, type Step } from './kit.js';

/**
 * Runbooks for outages of what logins depend on (docs/detections.md, "Outages"): an enterprise
 * connection's connector, the mail and SMS providers, an application's allowed origins, Auth0's
 * deprecations and platform operations. A custom domain failing verification is the `custom_domain`
 * runbook (domains.ts); Actions failures are in traffic.ts.
 */

type OutageSignal = Extract<
  DetectionSignal,
  | 'connection_down'
  | 'notification_failures'
  | 'cors_failures'
  | 'callback_mismatch'
  | 'deprecation_notices'
  | 'platform_failures'
>;

const LOGS = 'Auth0 Dashboard → Monitoring → Logs';

const connectionDown = (kit: Kit): Step[] => {
  const name = kit.facts.connection ?? 'the connection on this card';
  return [
    kit.guide(
      'Understand what is down',
      `Users of ${name} log in through the AD/LDAP Connector running on your own network. The card counts ` +
        'logins the connector failed (fc) and any "connector offline" report (coff): while it is down, ' +
        'nobody on that connection can log in. Other connections are not affected.',
    ),
    kit.guide(
      'Check the connector status',
      `In Auth0 Dashboard → Authentication → Enterprise → Active Directory / LDAP → ${name}, the connector ` +
        `status shows whether Auth0 can reach it. In ${LOGS}, search for type:fc OR type:coff OR type:con and ` +
        `connection ${name} to see the errors and when it went offline.`,
    ),
    kit.guide(
      'Restart the connector and check its network',
      'On each server running the connector, check that the AD/LDAP Connector service is running and restart ' +
        'it. It needs outbound HTTPS to Auth0 and LDAP/LDAPS (389/636) to your domain controllers: a firewall, ' +
        "proxy or certificate change is a common cause. The connector's own admin page on the host shows its " +
        'last error.',
    ),
    kit.guide(
      'If the directory is the problem',
      'Timeouts or refused connections to an internal address point at the domain controller. Also check the ' +
        'service account the connector binds with: an expired or locked password fails every login.',
    ),
    kit.guide(
      'Avoid a single point of failure',
      'Once it works again, install the connector on a second server: Auth0 uses whichever instance is online.',
    ),
    recheck(kit),
  ];
};

const notificationFailures = (kit: Kit): Step[] => [
  kit.guide(
    'Find which channel is failing',
    "The card's top reasons start with the channel (email, verification email, MFA SMS, MFA voice call, MFA " +
      `push notification) and the provider's error. In ${LOGS}, search for type:fn OR type:fv OR ` +
      'type:gd_send_sms_failure OR type:gd_send_voice_failure OR type:gd_send_pn_failure.',
  ),
  kit.guide(
    'Email: fix the email provider',
    'Auth0 Dashboard → Branding → Email Provider: send a test email. An authentication error means the API key ' +
      'or SMTP password was rotated or revoked; a quota error means the plan limit was reached; a sender error ' +
      "means the from-address's domain lost its SPF/DKIM verification. Until it works, users get no " +
      'verification, password-reset or passwordless emails.',
  ),
  kit.guide(
    'MFA SMS or voice: fix the phone provider',
    'Security → Multi-factor Auth → Phone Message: check the provider (Twilio or custom) credentials, the ' +
      "Messaging Service SID and the provider's status page. Users waiting for a code cannot log in: they can " +
      'use another enrolled factor or a recovery code; support can help a locked-out user enrol another factor.',
  ),
  kit.guide(
    'If a custom domain failed at the same time',
    'When the card names a related custom-domain failure, look at DNS first: one DNS change can break the ' +
      "custom domain and the mail sender's SPF/DKIM records together. Fix the records, then test both.",
  ),
  recheck(kit),
];

const corsFailures = (kit: Kit): Step[] => [
  kit.guide(
    'Find the refused origin',
    "The card's top reasons show the origin the browser sent. Open Auth0 Dashboard → Applications → " +
      `${kit.client} → Settings and compare it with Allowed Web Origins and Allowed Origins (CORS).`,
  ),
  kit.guide(
    'If the origin is yours: allow it',
    'Add the exact origin (scheme, host and port, no path) to Allowed Web Origins, and to Allowed Origins ' +
      '(CORS) if the app logs in cross-origin, then save. A new deployment, a preview URL or a moved domain is ' +
      'the usual cause; logins from that origin work again at once.',
  ),
  kit.guide(
    'If you do not recognise it: leave it refused',
    'A site you do not own calling your tenant is refused by design; do not add it. If the volume is large, ' +
      'it may be a phishing or credential-stuffing site: watch the failed-login numbers and tell security.',
  ),
  recheck(kit),
];

const callbackMismatch = (kit: Kit): Step[] => [
  kit.guide(
    'Find the refused callback URL',
    `The card's title and top reasons show the callback URL the login asked for. Open Auth0 Dashboard → ` +
      `Applications → ${kit.client} → Settings and compare it with Allowed Callback URLs. This is a ` +
      'configuration problem: the users typed nothing wrong and no password is involved.',
  ),
  kit.guide(
    'If the URL is yours: allow it or fix the app',
    'A new deployment, a preview environment or a moved domain usually sends a redirect_uri nobody added. ' +
      'Add the exact URL (scheme, host, port and path) to Allowed Callback URLs and save, or fix the ' +
      'redirect_uri the app sends; logins work again at once.',
  ),
  kit.guide(
    'If you do not recognise it: leave it refused',
    'A redirect to a site you do not own is refused by design (it would hand codes to someone else); do not ' +
      'add it, and tell security if it keeps coming.',
  ),
  recheck(kit),
];

const deprecationNotices = (kit: Kit): Step[] => [
  kit.guide(
    'Read what is deprecated',
    'The top reasons on this card are the deprecated features Auth0 saw the tenant use today; the top ' +
      `clients are the applications using them. In ${LOGS}, search for type:depnote: each notice links ` +
      'the documentation and names the request.',
  ),
  kit.guide(
    'Plan the migration',
    "Check the removal date on Auth0's deprecations and migrations page and open a ticket for the team that " +
      'owns each application named here. Nothing is broken yet: no one needs to act out of hours.',
  ),
  kit.guide(
    'What this card does',
    'It is a low-severity digest: it never pages, later notices today update it, and it resolves itself at ' +
      "the end of the day (tomorrow's notices open a new one).",
  ),
  recheck(kit),
];

const platformFailures = (kit: Kit): Step[] => [
  kit.guide(
    'See which operation failed',
    "The card's top reasons say whether a directory sync (and of which connection) or an operation on the " +
      `tenant's KMS key failed, with Auth0's error. ${LOGS}: type:directory_sync_failed OR ` +
      'type:kms_key_management_failure.',
  ),
  kit.guide(
    'Directory sync: re-authorise and sync again',
    'Auth0 Dashboard → Authentication → Enterprise → the connection → its provisioning settings: check the ' +
      'status, re-authorise the connection (a revoked admin consent or rotated credentials is the usual ' +
      'cause) and start a sync. Until it succeeds, people added to or removed from the directory are not ' +
      'updated in Auth0: a leaver may keep access.',
  ),
  kit.guide(
    'KMS key: check the key in your cloud',
    'With your own encryption key, Auth0 uses it in your cloud KMS: check it is enabled, not scheduled for ' +
      "deletion, and that Auth0's access to it is still granted. If the key cannot be used, the tenant " +
      'cannot decrypt its data: restore access and contact Auth0 support at once.',
  ),
  kit.guide('Escalate if you are unsure', 'Press Escalate to bring in the escalation group.'),
  recheck(kit),
];

export const OUTAGE_RUNBOOKS: Readonly<Record<OutageSignal, (kit: Kit) => Step[]>> = {
  connection_down: connectionDown,
  notification_failures: notificationFailures,
  cors_failures: corsFailures,
  callback_mismatch: callbackMismatch,
  deprecation_notices: deprecationNotices,
  platform_failures: platformFailures,
};
