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
  'groups:history',
  'groups:read',
  'usergroups:read',
  'users:read',
];
