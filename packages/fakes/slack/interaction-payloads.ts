/** Payload shapes Slack sends for commands, button clicks, view submissions and user messages. */
import { asArray, isRecord } from './method-context.js';
import type { Json, SlackEvent } from './types.js';
import type { Workspace } from './workspace.js';

export interface ActionElement {
  blockId: string;
  element: Json;
}

/** Finds the interactive element a user could click, in actions blocks and section accessories. */
export function findActionElement(blocks: unknown, actionId: string): ActionElement | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const [index, block] of blocks.entries()) {
    if (!isRecord(block)) continue;
    const candidates = [...asArray(block.elements), block.accessory, block.element];
    const element = candidates.find((c): c is Json => isRecord(c) && c.action_id === actionId);
    // Slack generates a block_id when the app leaves it out.
    if (element)
      return { blockId: typeof block.block_id === 'string' ? block.block_id : `gen${index}`, element };
  }
  return undefined;
}

export function userRef(workspace: Workspace, userId: string): Json {
  const user = workspace.user(userId);
  if (!user) throw new Error(`fake Slack: unknown user ${userId}; add it to FakeSlackOptions.users`);
  return { id: userId, username: user.name, name: user.name, team_id: workspace.options.teamId };
}

export function commandPayload(
  workspace: Workspace,
  input: {
    userId: string;
    command: string;
    text: string;
    channelId: string;
    responseUrl: string;
    triggerId: string;
  },
): Record<string, string> {
  const { teamId, appId } = workspace.options;
  const user = userRef(workspace, input.userId);
  // Slash command payloads are form fields on the HTTP path, so every value is a string.
  return {
    token: 'fake-verification-token',
    team_id: teamId,
    team_domain: 'fake',
    channel_id: input.channelId,
    channel_name: input.channelId.startsWith('D') ? 'directmessage' : input.channelId.toLowerCase(),
    user_id: input.userId,
    user_name: String(user.name),
    command: input.command,
    text: input.text,
    api_app_id: appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}

export function blockActionsPayload(
  workspace: Workspace,
  input: { userId: string; triggerId: string; container: Json; extra: Json; action: Json },
): Json {
  const { teamId, appId } = workspace.options;
  return {
    type: 'block_actions',
    user: userRef(workspace, input.userId),
    api_app_id: appId,
    token: 'fake-verification-token',
    container: input.container,
    trigger_id: input.triggerId,
    team: { id: teamId, domain: 'fake' },
    enterprise: null,
    is_enterprise_install: false,
    ...input.extra,
    actions: [input.action],
  };
}

export function viewSubmissionPayload(
  workspace: Workspace,
  input: { userId: string; triggerId: string; view: Json },
): Json {
  const { teamId, appId } = workspace.options;
  return {
    type: 'view_submission',
    team: { id: teamId, domain: 'fake' },
    user: userRef(workspace, input.userId),
    api_app_id: appId,
    token: 'fake-verification-token',
    trigger_id: input.triggerId,
    view: input.view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function userMessageEvent(
  workspace: Workspace,
  input: {
    userId: string;
    channelId: string;
    text: string;
    ts: string;
    threadTs?: string;
    parentUserId?: string;
  },
): SlackEvent {
  return {
    type: 'message',
    user: input.userId,
    text: input.text,
    ts: input.ts,
    event_ts: input.ts,
    channel: input.channelId,
    channel_type: input.channelId.startsWith('D') ? 'im' : 'channel',
    team: workspace.options.teamId,
    ...(input.threadTs !== undefined
      ? { thread_ts: input.threadTs, parent_user_id: input.parentUserId }
      : {}),
  };
}

/** Events API events always travel inside this wrapper (a bare event is never acked). */
export function eventCallbackPayload(workspace: Workspace, event: SlackEvent, eventId: string): Json {
  const { teamId, appId, botUserId, now } = workspace.options;
  const authorization = {
    enterprise_id: null,
    team_id: teamId,
    user_id: botUserId,
    is_bot: true,
    is_enterprise_install: false,
  };
  return {
    token: 'fake-verification-token',
    type: 'event_callback',
    team_id: teamId,
    api_app_id: appId,
    event_id: eventId,
    event_time: Math.floor(now() / 1000),
    authorizations: [authorization],
    is_ext_shared_channel: false,
    event,
  };
}
