import type { DetectionSignal } from '../../core/detection/model.js';
import { recheck, type Kit, type Step } from './kit.js';

/**
 * Runbooks for attacks on logins, tokens, MFA and signups (docs/detections.md, "Attacks"). Each
 * names what the card names: the source IP, the client, the user, validated in kit.ts.
 */

type AttackSignal = Extract<
  DetectionSignal,
  | 'credential_stuffing'
  | 'refresh_token_reuse'
  | 'ip_blocked'
  | 'breached_password'
  | 'mfa_abuse'
  | 'signup_fraud'
>;

const LOGS = 'Auth0 Dashboard → Monitoring → Logs';
const ATTACK_PROTECTION = 'Auth0 Dashboard → Security → Attack Protection';
const USERS = 'Auth0 Dashboard → User Management → Users';

const credentialStuffing = (kit: Kit): Step[] => {
  const ip = kit.facts.ip;
  return [
    kit.guide(
      'Confirm it is stuffing, not an outage',
      `In ${LOGS}, search for type:fcoa OR type:fepft OR type:fp OR type:fu${ip ? ` and ip ${ip}` : ''}. Stuffing ` +
        'looks like many different usernames failing with "Wrong email or password", few successes, scripted ' +
        'user agents (python-requests, curl, headless browsers) and hosting-provider IP ranges. The card counts ' +
        'only wrong-password and unknown-user failures; the summary names the busiest IP and accounts.',
    ),
    kit.guide(
      'Turn on the defences Auth0 already has',
      `In ${ATTACK_PROTECTION}, turn on Bot Detection (a CAPTCHA for risky logins), Suspicious IP Throttling, ` +
        'Brute-force Protection and Breached Password Detection (block and notify). They act on each request by ' +
        'themselves; you do not need to chase every IP.',
    ),
    kit.guide(
      'Close the door it came through',
      'If the card says cross-origin: an attacker can script the embedded login of a single-page app; if no app ' +
        'needs it, turn off Cross-Origin Authentication in the application settings. If it says password grant: ' +
        'remove the Password grant from the client (Applications → the app → Advanced Settings → Grant Types) ' +
        'unless a first-party app really needs it.' +
        (ip
          ? ` Most of it comes from ${ip}: block it in your WAF or CDN in front of the custom domain.`
          : ''),
    ),
    kit.guide(
      'Find the accounts that were broken into',
      `In ${LOGS}, look for successful logins (type:s OR type:scoa OR type:sepft) from the same IPs in the ` +
        `same minutes. For each such account, in ${USERS}: block it or reset its password, revoke its sessions ` +
        'and refresh tokens, and ask the owner to turn on MFA.',
    ),
    kit.guide(
      'Tell support',
      'Some real users will be challenged with CAPTCHAs or blocked for a while, and users with breached ' +
        'passwords must reset them. Give support the time window and the "Forgot password" path.',
    ),
    recheck(kit),
  ];
};

const refreshTokenReuse = (kit: Kit): Step[] => [
  kit.guide(
    'Understand what Auth0 saw',
    `A rotating refresh token of ${kit.client} was presented after it had already been exchanged. Auth0 ` +
      'revoked the whole token family, so the user must log in again. Either someone else holds a copy of the ' +
      'token (stolen from the device or a log), or the app itself sent the same token twice.',
  ),
  kit.guide(
    'Find the user and the addresses',
    `In ${LOGS}, search for type:ferrt${kit.facts.clientId ? ` and client ${kit.facts.clientId}` : ''}. Note the ` +
      'user and the IPs (also in the card summary), then compare them with that user’s recent successful ' +
      'logins (type:s and the user): an IP or country the user never used points to theft.',
  ),
  kit.guide(
    'If it is theft: contain it',
    `In ${USERS}, open the user: revoke their sessions and refresh tokens (Devices / Authorized Applications), ` +
      'reset the password, and check what your API did with that user’s tokens since. Keep the log entries.',
  ),
  kit.guide(
    'If many users of one app hit it: it is the app',
    'Two tabs or a retry racing to refresh with the same token cause the same log. Give the client a short ' +
      'reuse interval (Applications → the app → Refresh Token Rotation) and make the app refresh once at a time.',
  ),
  recheck(kit),
];

const ipBlocked = (kit: Kit): Step[] => {
  const source = kit.facts.ip ?? 'the IP on this card';
  return [
    kit.guide(
      'Understand who is locked out',
      `Auth0 blocked ${source} (limit_mu): too many failed logins from it without a success, or too many ` +
        'sign-ups. Everyone behind that address now gets "too many attempts". The card says whether the ' +
        'address had successful logins in the last 24 h: then it is probably your office, a VPN or a server.',
    ),
    kit.guide(
      'Confirm the address is yours',
      `Ask IT whether ${source} is an office or VPN egress, a CI runner or a partner's server, or look it up with ` +
        'whois. If you do not recognise it, do NOT unblock it: the block is Auth0 stopping an attacker.',
    ),
    kit.act(
      'unblock_ip',
      `If it is your own address: unblock ${source}`,
      `Removes Auth0's block on ${source} so the people behind it can log in again. Run it only after confirming ` +
        'the address is yours; the block comes back if the failures go on, so also do the next step.',
    ),
    kit.guide(
      'Stop it from happening again',
      `In ${ATTACK_PROTECTION} → Suspicious IP Throttling, add your office and VPN ranges to the Allowlist. A ` +
        "server logging users in must send each user's IP in the auth0-forwarded-for header, not its own.",
    ),
    recheck(kit),
  ];
};

const breachedPassword = (kit: Kit): Step[] => [
  kit.guide(
    'Understand what Auth0 did',
    'Breached Password Detection saw passwords known from third-party breaches (pwd_leak at login, ' +
      'reset_pwd_leak at a reset). Depending on its settings Auth0 blocked the attempt and emailed the user, who ' +
      'stays blocked until they reset the password. Auth0 logs this at most once per IP per hour, so each event ' +
      'can stand for many attempts.',
  ),
  kit.guide(
    'Check the accounts',
    `In ${LOGS}, search for type:pwd_leak OR type:reset_pwd_leak and note the users (also in the card summary). ` +
      'Then look for successful logins of those users from the same IPs: if there is one, the attacker got in ' +
      `before the block. Reset that account and revoke its sessions in ${USERS}.`,
  ),
  kit.guide(
    'If several IPs and users: treat it as credential stuffing',
    `Several addresses trying leaked passwords in minutes means a combo list is being replayed. In ` +
      `${ATTACK_PROTECTION}, make sure Breached Password Detection blocks (not only notifies), and turn on Bot ` +
      'Detection and Suspicious IP Throttling.',
  ),
  kit.guide(
    'Tell support',
    'Blocked users will write in. They only need to use "Forgot password"; there is nothing to unblock by hand.',
  ),
  recheck(kit),
];

const mfaAbuse = (kit: Kit): Step[] => {
  const user = kit.facts.userId ?? 'the user on this card';
  return [
    kit.guide(
      'Read the pattern',
      'Many pushes with rejections (push fatigue) or many SMS to one number (SMS bombing) mean someone has ' +
        `${user}'s password and is trying to get past MFA or running up SMS costs. A code rate limit means ` +
        'codes were being guessed. Failed enrolments for one user are usually a device or number problem.',
    ),
    kit.guide(
      `Secure the account ${user}`,
      `In ${USERS}, open ${user}: reset the password (it is probably known), revoke sessions and refresh tokens, ` +
        'and if the attempts go on, block the user for now. Contact the person through a channel you trust and ' +
        'tell them never to approve a push they did not ask for.',
    ),
    kit.guide(
      'Find where it comes from',
      `In ${LOGS}, search for the user (user_id ${user}) and type:gd_send_pn OR type:gd_send_sms OR ` +
        'type:gd_auth_rejected OR type:gd_otp_rate_limit_exceed; the IPs show whether one source drives it. A ' +
        'first-factor success before the MFA prompts confirms the password is compromised.',
    ),
    kit.guide(
      'Make MFA harder to abuse',
      'In Security → Multi-factor Auth, prefer WebAuthn or one-time passwords over SMS and voice; turn off SMS ' +
        `and voice if you do not need them. In ${ATTACK_PROTECTION}, keep Bot Detection and Suspicious IP ` +
        'Throttling on so the first factor cannot be replayed at will.',
    ),
    recheck(kit),
  ];
};

const signupFraud = (kit: Kit): Step[] => [
  kit.guide(
    'Confirm it is fraud, not a launch',
    `In ${LOGS}, search for type:ss OR type:fs OR type:signup_pwd_leak. Fake sign-ups look alike: random or ` +
      'numbered addresses, disposable email domains, a few IPs or hosting ranges, one user agent. Check with ' +
      'marketing: a campaign or launch also raises sign-ups, with real-looking addresses.',
  ),
  kit.guide(
    'Slow the bots down',
    `In ${ATTACK_PROTECTION}, turn on Bot Detection (it covers sign-up), Suspicious IP Throttling (it also ` +
      'limits sign-ups per IP) and Breached Password Detection for sign-ups. Require email verification before ' +
      'your app grants anything (credits, trials, invitations).',
  ),
  kit.guide(
    'Reject them at the door',
    'A Pre User Registration Action can refuse disposable email domains or sign-ups from the sources you found ' +
      "(api.access.deny). Deploy it, and watch this card's numbers fall.",
  ),
  kit.guide(
    'Clean up the accounts',
    `In ${USERS}, find the accounts created during the window on this card (sort by creation date) and block ` +
      'or delete the fake ones, so they cannot be used later for spam or promotion abuse.',
  ),
  recheck(kit),
];

export const ATTACK_RUNBOOKS: Readonly<Record<AttackSignal, (kit: Kit) => Step[]>> = {
  credential_stuffing: credentialStuffing,
  refresh_token_reuse: refreshTokenReuse,
  ip_blocked: ipBlocked,
  breached_password: breachedPassword,
  mfa_abuse: mfaAbuse,
  signup_fraud: signupFraud,
};
