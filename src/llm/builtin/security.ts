import type { DetectionSignal } from '../../core/detection/model.js';
import { recheck, type Kit, type Step } from './kit.js';

/**
 * Runbooks for changes that weaken the tenant and for secrets read by a person. What changed and
 * who did it are on the card (its title and top reasons); steps name the setting or application
 * from the incident scope only.
 */

type SecuritySignal = Extract<DetectionSignal, 'security_weakened' | 'secret_exposure'>;

const LOGS = 'Auth0 Dashboard → Monitoring → Logs';
const ATTACK_PROTECTION = 'Auth0 Dashboard → Security → Attack Protection';

/** Where to put a weakened setting back, by the scope's setting name. */
const SETTING_FIX: Readonly<Record<string, string>> = {
  'brute-force-protection': `${ATTACK_PROTECTION} → Brute-force Protection: switch it on with "Block brute-force logins" ticked.`,
  'suspicious-ip-throttling':
    `${ATTACK_PROTECTION} → Suspicious IP Throttling: switch it on with "Block suspicious IPs" ticked for ` +
    'login and sign-up.',
  'breached-password-detection':
    `${ATTACK_PROTECTION} → Breached Password Detection: switch it on with "Block compromised credentials" ` +
    'ticked for login and sign-up.',
  'bot-detection':
    `${ATTACK_PROTECTION} → Bot Detection: set the challenge for password, passwordless and password-reset ` +
    'flows back to "When risky" (or "Always").',
  'mfa-policy':
    'Auth0 Dashboard → Security → Multi-factor Auth → Require Multi-factor Auth: set it back to "Always" ' +
    '(or "Use Adaptive MFA") and save.',
  'post-login-flow':
    'Auth0 Dashboard → Actions → Triggers → post-login: compare the bound Actions with what your team ' +
    'expects. Put back any Action that was removed (MFA enforcement, blocklists, consent checks) and remove ' +
    'any Action nobody recognises; open it first and read its code.',
};

const fixFor = (kit: Kit): string => {
  const { setting, clientId, members } = kit.facts;
  if (setting !== undefined && kit.facts.allowlist === true) {
    return (
      `${ATTACK_PROTECTION} → ${setting.replaceAll('-', ' ')} → Allowlist: keep only your own office, VPN and ` +
      'server ranges. An address on the list is never blocked, whoever uses it; look every unknown one up ' +
      '(whois) and remove it.'
    );
  }
  if (setting !== undefined && SETTING_FIX[setting] !== undefined) return SETTING_FIX[setting];
  if (setting?.startsWith('mfa-factor-')) {
    const factor = setting.slice('mfa-factor-'.length);
    return `Auth0 Dashboard → Security → Multi-factor Auth: switch the ${factor} factor back on, unless your team retired it on purpose.`;
  }
  if (clientId !== undefined) {
    return (
      `Auth0 Dashboard → Applications → ${kit.client} → Settings → Advanced Settings → Grant Types: untick ` +
      'Password and Implicit unless the application really needs them; under Cross-Origin Authentication ' +
      `switch it off. If Management API scopes were granted: Applications → APIs → Auth0 Management API → ` +
      `Machine to Machine Applications → ${kit.client}: remove the scopes it does not need.`
    );
  }
  if (members === 'added') {
    return (
      'Auth0 Dashboard → Settings → Tenant Members: revoke the invitation or remove the member if nobody on ' +
      'your team expected them.'
    );
  }
  if (members === 'removed') {
    return (
      'Auth0 Dashboard → Settings → Tenant Members: invite the person again if the removal was not planned, ' +
      'and check that nobody new was invited shortly before (taking over a tenant starts that way).'
    );
  }
  return `Find the change in ${LOGS} (search type:sapi around the time on this card) and undo it in the Dashboard.`;
};

const securityWeakened = (kit: Kit): Step[] => [
  kit.guide(
    'Ask the person who made the change',
    'The card names who changed which setting and when. Ask them, in a direct message, whether they made ' +
      'it and why. A change nobody can explain means an admin account or a Management API credential may be ' +
      'in the wrong hands: go to the step after next.',
  ),
  kit.guide('Put the setting back', fixFor(kit)),
  kit.guide(
    'If nobody on your team made it',
    'Remove the admin from Auth0 Dashboard → Settings → Tenant Members (or disable the application that ' +
      `made the call), reset their password and MFA at their identity provider, then read every type:sapi ` +
      `entry from the same person or application in ${LOGS} for the last 24 hours and undo what they changed.`,
  ),
  kit.facts.clientId === undefined
    ? undefined
    : kit.act(
        'rotate_client_credential',
        `If the change was not authorised: rotate the credential of ${kit.client}`,
        'Whoever holds its current secret can use what was just granted. Rotating it (verified before it is ' +
          'promoted) cuts them off; the services that use it pick up the new secret from Secrets Manager.',
      ),
  recheck(kit),
];

const apiExplorerSteps = (kit: Kit): Step[] => [
  kit.guide(
    'Understand what was issued',
    'Someone opened Auth0 Dashboard → Applications → APIs → Auth0 Management API → API Explorer, which ' +
      'issues a Management API token with every scope: whoever copies it can change anything in the tenant ' +
      'until it expires (24 hours by default). It cannot be revoked on its own.',
  ),
  kit.guide(
    'Ask who did it',
    'Find the seccft entry for the API Explorer Application in ' +
      `${LOGS} (its IP and time are on this card) and ask the team who was testing the Management API.`,
  ),
  kit.guide(
    'If nobody on your team did it',
    'Applications → APIs → Auth0 Management API → Machine to Machine Applications: de-authorise the API ' +
      'Explorer Application (its tokens stop working), then rotate its secret in Applications → API Explorer ' +
      'Application → Settings. Review the Tenant Members and recent type:sapi changes for anything unexpected.',
  ),
  recheck(kit),
];

const secretExposure = (kit: Kit): Step[] => {
  if (kit.facts.apiExplorer === true) return apiExplorerSteps(kit);
  return [
    kit.guide(
      'Understand what was read',
      `A person read the secret of ${kit.client} through the Management API or the Dashboard (the card names ` +
        'them). Anyone holding it can get tokens as that application. Reading it is normal while setting ' +
        'an application up, and unusual otherwise.',
    ),
    kit.guide(
      'Ask the person who read it',
      'Ask them why they needed the secret and where they put it. A secret pasted into a chat, a ticket or ' +
        'a local file is exposed: rotate it (next step).',
    ),
    kit.act(
      'rotate_client_credential',
      `If the read was not expected: rotate the secret of ${kit.client}`,
      'Starts a safe rotation through Secrets Manager: the new secret is verified with a real token exchange ' +
        'before it is promoted, and the services using it pick it up from Secrets Manager.',
    ),
    kit.guide(
      'Move the application off shared secrets',
      `In Applications → ${kit.client} → Credentials, prefer Private Key JWT: a private key never leaves the ` +
        'service that holds it, so nobody can read it from the Dashboard.',
    ),
    recheck(kit),
  ];
};

export const SECURITY_RUNBOOKS: Readonly<Record<SecuritySignal, (kit: Kit) => Step[]>> = {
  security_weakened: securityWeakened,
  secret_exposure: secretExposure,
};
