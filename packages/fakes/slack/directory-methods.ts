/** auth.test, apps.connections.open, users.info, conversations.info and usergroups.users.list. */
import { argString, fail, type MethodHandler } from './method-context.js';
import type { FakeSlackUser, Json } from './types.js';
import type { Workspace } from './workspace.js';

/** Seconds east of UTC for an IANA zone, as users.info reports it in `tz_offset`. */
function tzOffsetSeconds(timeZone: string, at: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!match) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
  return match[1] === '-' ? -seconds : seconds;
}

function userJson(user: FakeSlackUser, workspace: Workspace): Json {
  const tz = user.tz ?? 'UTC';
  return {
    id: user.id,
    team_id: workspace.options.teamId,
    name: user.name,
    deleted: false,
    real_name: user.name,
    tz,
    tz_label: tz,
    tz_offset: tzOffsetSeconds(tz, workspace.options.now()),
    is_admin: user.isAdmin ?? false,
    is_owner: false,
    is_primary_owner: false,
    is_bot: false,
    is_app_user: false,
    profile: {
      real_name: user.name,
      display_name: user.name,
      email: `${user.name}@example.test`,
      team: workspace.options.teamId,
    },
  };
}

function botUserJson(workspace: Workspace): Json {
  const { botUserId, botId, teamId, appId } = workspace.options;
  return {
    id: botUserId,
    team_id: teamId,
    name: 'oncall-bot',
    deleted: false,
    is_admin: false,
    is_owner: false,
    is_bot: true,
    is_app_user: false,
    profile: {
      real_name: 'oncall-bot',
      display_name: 'oncall-bot',
      bot_id: botId,
      api_app_id: appId,
      team: teamId,
    },
  };
}

export const directoryMethods: Record<string, MethodHandler> = {
  'auth.test': ({ workspace }) => {
    const { teamId, botUserId, botId } = workspace.options;
    return {
      ok: true,
      url: 'https://fake.slack.test/',
      team: 'Fake Team',
      user: 'oncall-bot',
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    };
  },
  'apps.connections.open': (ctx) => ({ ok: true, url: ctx.openSocketUrl() }),
  'users.info': ({ args, workspace }) => {
    const id = argString(args, 'user') ?? '';
    if (id === workspace.options.botUserId) return { ok: true, user: botUserJson(workspace) };
    const user = workspace.user(id);
    return user ? { ok: true, user: userJson(user, workspace) } : fail('user_not_found');
  },
  'conversations.info': ({ args, workspace }) => {
    const id = argString(args, 'channel') ?? '';
    const member = workspace.options.channels.includes(id);
    if (!member && !workspace.options.nonMemberChannels.includes(id)) return fail('channel_not_found');
    return { ok: true, channel: { id, name: id.toLowerCase(), is_channel: true, is_member: member } };
  },
  'usergroups.users.list': ({ args, workspace }) => {
    const members = workspace.options.usergroups[argString(args, 'usergroup') ?? ''];
    return members ? { ok: true, users: [...members] } : fail('no_such_subteam');
  },
};
