import { recheck, type Kit, type Step } from './kit.js';

/** Runbooks about login traffic and tenant limits: failed logins, attack protection, rate limits, Actions. */

const LOGS = 'Auth0 Dashboard → Monitoring → Logs';
const suspects = (kit: Kit): string =>
  `${kit.facts.hasSuspects ? 'Look at the suspects on this card' : `No change was logged just before it; still check ${LOGS} (type:sapi) for older ones`}: ` +
  'a change to an Action, a connection, the password policy or an application shortly before the spike ' +
  'is the most likely cause. Undo it in the Dashboard if so.';
const ATTACK_PROTECTION = 'Auth0 Dashboard → Security → Attack Protection';

export const failedLogins = (kit: Kit): Step[] => [
  kit.guide(
    'Decide: attack or outage?',
    `In ${LOGS}, search for type:f OR type:fp OR type:fu${kit.facts.connection ? ` and connection ${kit.facts.connection}` : ''}. ` +
      'Many different users with "wrong password" or "user does not exist", from a few IPs or with odd user ' +
      'agents: probably credential stuffing (next step). Mostly the same error for one connection ' +
      '("connection error", a timeout, a script error): that connection is down (the step after).',
  ),
  kit.guide(
    'If it is an attack: let Attack Protection work',
    'In Security → Attack Protection, make sure Bot Detection, Brute-force Protection, Suspicious IP ' +
      'Throttling and Breached Password Detection are on; consider requiring MFA. Blocks happen by ' +
      'themselves: you do not need to act on each IP. Tell support that some users may be locked out.',
  ),
  kit.guide(
    `If a connection is failing: test ${kit.facts.connection ? `the connection ${kit.facts.connection}` : 'the connection'}`,
    'Authentication → Database / Enterprise / Social → the connection. Custom database: run "Try" on the ' +
      'Login script and check the external database is reachable. Enterprise (SAML, OIDC, AD): check the ' +
      "identity provider's status and signing certificate. Social: check the provider's client ID and secret.",
  ),
  kit.guide('Check recent changes', suspects(kit)),
  recheck(kit),
];

export const attackProtection = (kit: Kit): Step[] => {
  const ip = kit.facts.ip;
  const source = ip ?? 'the top IP on this card';
  return [
    kit.guide(
      'Understand what Auth0 is blocking',
      'Auth0 Attack Protection is blocking login attempts (brute force: too many failures for one user; ' +
        'suspicious IP throttling: too many attempts from one IP; breached passwords).' +
        (ip ? ` Most of the volume comes from ${ip}.` : '') +
        ' This is either an attack, and the block is doing its job, or many real users behind one shared ' +
        'address: an office NAT, a VPN, or a server calling the login API for its users.',
    ),
    kit.guide(
      'Find out whether the source is yours',
      `Check whether ${source} is your office or VPN egress, a CI or test runner, or a partner's server: ask ` +
        'IT, compare it with your NAT/VPN egress addresses, or look it up with whois. If you do not recognise ' +
        'it, do NOT unblock it: leave the block in place and watch the failed-login numbers.',
    ),
    kit.act(
      'unblock_ip',
      `If it is your own address: unblock ${source}`,
      `Removes Auth0's attack-protection block on ${source} so the people behind it can log in again. Run it ` +
        'only after confirming the address is yours. The block comes back if the failures go on, so also do ' +
        'the next step.',
    ),
    kit.guide(
      'Stop it from happening again',
      'In Security → Attack Protection → Brute-force Protection and Suspicious IP Throttling, add your trusted ' +
        'office and VPN ranges to the Allowlist. If a server calls the Authentication API for many users, make ' +
        "it send each end user's IP (the auth0-forwarded-for header) instead of its own.",
    ),
    kit.guide(
      'Breached passwords',
      'If the card counts pwd_leak events, those users are blocked until they reset their password and were ' +
        'sent an email. Support should point them to "Forgot password"; there is nothing to unblock.',
    ),
    recheck(kit),
  ];
};

const managementLimit = (kit: Kit): Step[] => [
  kit.guide(
    'Understand what is limited',
    'Auth0 answered Management API calls with 429 (api_limit). Until the limit resets, everything that ' +
      "calls the Management API fails: admin tools, user sync jobs, and this bot's own log polling (it backs " +
      'off by itself). Customer logins and token requests use the Authentication API and are not limited by this.',
  ),
  kit.guide(
    'Find who is using the API',
    `The top clients and reasons on this card are the biggest callers and the paths they call. In ${LOGS}, ` +
      'search for type:api_limit OR type:api_limit_warning and look at the client. Typical causes: a job ' +
      'looping over all users, a script without backoff, or a service that asks for a new Management API ' +
      'token for every call instead of caching it until it expires.',
  ),
  kit.guide(
    'Slow the caller down',
    'Pause or throttle the job you found. Make it wait as the Retry-After / x-ratelimit-reset headers say ' +
      'and cache Management API tokens (they last 24 hours by default). If the usage is legitimate and ' +
      "growing, check your plan's limits in Auth0's documentation and ask Auth0 about a higher limit.",
  ),
  recheck(kit),
];

const authenticationLimit = (kit: Kit): Step[] => [
  kit.guide(
    'Understand what is limited',
    "Auth0 hit the Authentication API's tenant-wide limit (api_limit): logins, sign-ups and token requests " +
      '(/authorize, /oauth/token, /co/authenticate) are refused with 429 for every user until it resets. ' +
      'This is customer-facing.',
  ),
  kit.guide(
    'Find where the volume comes from',
    `The top clients, IPs and paths on this card show who sends the most requests. In ${LOGS}, search for ` +
      'type:api_limit and compare with the usual traffic: a release that calls /oauth/token on every request ' +
      'instead of caching tokens, an M2M service in a retry loop, or an attack (many IPs, many failed logins).',
  ),
  kit.guide(
    'Cut the excess',
    'Fix or pause the service that floods /oauth/token (cache tokens until they expire, add backoff). If it is ' +
      `an attack, make sure ${ATTACK_PROTECTION} (Bot Detection, Suspicious IP ` +
      'Throttling) is on. If real traffic has outgrown the plan, ask Auth0 support about the limit.',
  ),
  recheck(kit),
];

const perIpLimit = (kit: Kit): Step[] => {
  const ip = kit.facts.ip ?? 'the IP on this card';
  return [
    kit.guide(
      `Understand what is limited: ${ip} only`,
      `Auth0 limited requests from ${ip} to the Authentication API (a per-IP bucket, not the tenant-wide ` +
        'limit). Other users are not affected; the people or the server behind this one address are refused ' +
        'with 429 until the bucket refills.',
    ),
    kit.guide(
      `Find out whether ${ip} is yours`,
      'Check whether it is your backend, an office NAT or VPN egress, or a CI runner. A server that calls ' +
        "/oauth/token or /co/authenticate for many users must send each end user's IP in the " +
        'auth0-forwarded-for header (with a trusted client), otherwise all its users share one bucket.',
    ),
    kit.guide(
      'If it is not yours',
      'An unknown address hammering the login or token endpoints is usually a bot or credential stuffing: the ' +
        `limit is doing its job. Check the failed logins from ${ip} in ${LOGS} and keep ` +
        'Suspicious IP Throttling and Bot Detection on.',
    ),
    recheck(kit),
  ];
};

const unknownLimit = (kit: Kit): Step[] => [
  kit.guide(
    'Understand what is limited',
    'Auth0 logged api_limit without saying which API or bucket. Open the entries in ' +
      `${LOGS} (type:api_limit): details.request.path says which API (/api/v2/… is the Management API, ` +
      '/oauth/token, /authorize and the like the Authentication API, which logins depend on) and ' +
      'details.limit.global whether it is tenant-wide or one IP.',
  ),
  kit.guide(
    'Find the caller',
    'The top clients and IPs on this card are the biggest callers. Throttle the job or service you find, ' +
      'make it wait for x-ratelimit-reset and cache its tokens.',
  ),
  recheck(kit),
];

/** One runbook per bucket (the incident scope): what is limited differs, and so does the fix. */
export const rateLimit = (kit: Kit): Step[] => {
  if (kit.facts.api === 'management') return managementLimit(kit);
  if (kit.facts.api === 'authentication') return authenticationLimit(kit);
  if (kit.facts.ip !== undefined) return perIpLimit(kit);
  return unknownLimit(kit);
};

export const actionsFailures = (kit: Kit): Step[] => [
  kit.guide(
    'Understand what is failing',
    'Auth0 Actions (your code that runs during login, token issuance or sign-up), Forms Flows or the ' +
      'legacy password-change and registration hooks are throwing errors. Depending on the trigger, users ' +
      'cannot log in, or get tokens without the claims your apps expect.',
  ),
  kit.guide(
    'Find the failing Action',
    "The card's top reasons name each failing Action, Flow or hook with its error class: action_timeout " +
      '(too slow), action_error (the code threw), rate_limited, platform_error (Auth0 side). In ' +
      `${LOGS}, search for type:actions_execution_failed OR type:flows_execution_failed OR type:fcph OR ` +
      'type:fpurh, then open Actions → Library → that Action and read its logs.',
  ),
  kit.guide(
    'If it started after a change: roll the Action back',
    `If an Action was deployed shortly before the failures${kit.facts.hasSuspects ? ' (see the suspects on this card)' : ''}, open it in ` +
      'Actions → Library → Version History, pick the previous version and deploy it. Also check that its ' +
      'secrets and npm dependencies are still set.',
  ),
  kit.guide(
    'If a service it calls is down',
    'Actions that call your APIs or third parties fail when those are down or slow (Actions have a short ' +
      'time limit). Check that service; consider catching the error in the Action so logins continue ' +
      'without the extra data.',
  ),
  recheck(kit),
];
