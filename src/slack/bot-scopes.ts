/**
 * The bot token scopes manifest.json declares (a test keeps the two equal): the doctor compares
 * them with what Slack reports the installed token has.
 */
export const SLACK_BOT_SCOPES: readonly string[] = [
  'app_mentions:read',
  'channels:history',
  'channels:read',
  'chat:write',
  'commands',
  // files.uploadV2: the postmortem file in an incident's thread (/auth0 postmortem).
  'files:write',
  'groups:history',
  'groups:read',
  'usergroups:read',
  'users:read',
];
