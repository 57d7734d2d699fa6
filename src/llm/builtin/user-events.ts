import type { Kit, Step } from './kit.js';

/**
 * Runbooks for the Event Streams signals: many users deleted or blocked, a sign-up burst through
 * one connection, a change to an organization's connections. No catalog action undoes these, so
 * the steps are guidance; the incident resolves by itself once the stream is quiet again.
 */

const USERS = 'Auth0 Dashboard → User Management → Users';
const WHO =
  'Auth0 Dashboard → Monitoring → Logs, filtered on type:sapi (Management API calls) around the time on ' +
  'this card, shows which application or admin made the calls (client name, IP, user agent).';
const CONTAIN =
  'If you do not recognise the caller, stop it: in Applications → APIs → Auth0 Management API → Machine to ' +
  'Machine Applications, revoke its grant (or rotate its secret), and check Tenant Settings → Admins for an ' +
  'unknown admin. Then tell your security team.';

export const massUserDeletion = (kit: Kit): Step[] => [
  kit.guide(
    'Find out who is deleting users',
    `${WHO} A deprovisioning job, a SCIM sync or a cleanup script is the usual benign cause; a leaked ` +
      'Management API credential the dangerous one.',
  ),
  kit.guide('If it is not expected: stop the caller', CONTAIN),
  kit.guide(
    'Recover the deleted users',
    'Auth0 cannot undelete a user. Re-create them from your source of truth (HR system, your own user ' +
      'database, a recent bulk export via the Management API job /api/v2/jobs/users-exports) with a bulk ' +
      'import; their passwords need a reset unless the export carried hashes.',
  ),
  kit.guide(
    'Watch the numbers',
    'This card counts distinct users deleted in the last 10 minutes from Auth0 Event Streams; it resolves ' +
      'by itself once deletions stay low for 15 minutes.',
  ),
];

export const massUserBlocking = (kit: Kit): Step[] => [
  kit.guide(
    'Find out who is blocking users',
    `${WHO} Blocks set through the Management API (a user's "blocked" flag) are not Attack Protection ` +
      'blocks: something or someone is locking accounts on purpose.',
  ),
  kit.guide('If it is not expected: stop the caller', CONTAIN),
  kit.guide(
    'Unblock the affected users',
    `In ${USERS}, search blocked:true and unblock them (or PATCH /api/v2/users/{id} with {"blocked": false} ` +
      'from a script for many). Tell support that those users could not log in meanwhile.',
  ),
  kit.guide(
    'Watch the numbers',
    'This card counts distinct users blocked in the last 10 minutes from Auth0 Event Streams; it resolves ' +
      'by itself once blocks stay low for 15 minutes.',
  ),
];

export const signupBurst = (kit: Kit): Step[] => {
  const connection = kit.facts.connection ?? 'the connection on this card';
  return [
    kit.guide(
      'Decide: a launch or bots?',
      `Many sign-ups through ${connection} in a few minutes. A campaign, a launch or a bulk import explains it; ` +
        'otherwise look at the new users in ' +
        `${USERS} (newest first): similar e-mail patterns, disposable domains and no logins afterwards point to ` +
        'bot sign-ups.',
    ),
    kit.guide(
      'If they are bots: slow them down',
      'Turn on Security → Attack Protection → Bot Detection (CAPTCHA on sign-up) and Suspicious IP Throttling; ' +
        `consider requiring e-mail verification before access. To stop sign-ups now, disable sign-ups on ${connection} ` +
        '(Authentication → Database → the connection → "Disable Sign Ups") and turn it back on later.',
    ),
    kit.guide(
      'Clean up',
      'Delete or block the fake accounts once the burst is over (a bulk delete job, or a script over the ' +
        'Management API), and tell the product team about the inflated sign-up numbers.',
    ),
  ];
};

export const organizationConnections = (kit: Kit): Step[] => [
  kit.guide(
    'Check the change was intended',
    'The connections an organization can log in with changed (see the card for what was added, removed or ' +
      'updated). A removed connection locks out the members who use it; an added one lets its users into the ' +
      `organization. ${WHO}`,
  ),
  kit.guide(
    'Undo it if it was not',
    'Auth0 Dashboard → Organizations → the organization → Connections: enable the removed connection again ' +
      '(with the same membership settings) or remove the one that should not be there.',
  ),
  kit.guide(
    'Check who may change organizations',
    'Only admins and the applications that manage organizations should hold the update:organizations and ' +
      'create/delete:organization_connections scopes: review the grants of your Machine-to-Machine applications.',
  ),
];
