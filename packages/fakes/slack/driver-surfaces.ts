/** What the driver does to the workspace around an interaction: where a click happens, what an ack shows. */
import { checkBlockKitLimits } from './block-kit-limits.js';
import type { CommandReply, ViewOutcome } from './driver-types.js';
import type { FakeSlack } from './fake-slack.js';
import { isRecord, messageJson, viewJson } from './method-context.js';
import type { AckResult, Json, StoredView } from './types.js';
import type { Workspace } from './workspace.js';

export interface ClickSurface {
  blocks: unknown;
  container: Json;
  /** Payload fields that depend on the surface: channel/message/response_url, or view. */
  extra: Json;
  responseUrl?: string;
}

export function viewSurface(fake: FakeSlack, userId: string, viewId: string): ClickSurface {
  const stored = fake.view(viewId);
  if (!stored || stored.userId !== userId || !stored.open) {
    throw new Error(`fake Slack: ${userId} has no open view ${viewId}`);
  }
  return {
    blocks: stored.view.blocks,
    container: { type: 'view', view_id: viewId },
    extra: { view: viewJson(stored, fake.workspace), state: { values: {} } },
  };
}

/** A channel message anyone sees, or an ephemeral only its user sees. */
export function messageSurface(
  fake: FakeSlack,
  userId: string,
  channelId: string,
  messageTs: string,
): ClickSurface {
  const { workspace } = fake;
  const message = workspace.findMessage(channelId, messageTs);
  const ephemeral = workspace.ephemerals.find(
    (e) => e.channel === channelId && e.messageTs === messageTs && e.user === userId && !e.deleted,
  );
  if (!message && !ephemeral) {
    throw new Error(`fake Slack: ${userId} sees no message ${messageTs} in ${channelId}`);
  }
  const responseUrl = fake.issueResponseUrl({ userId, channelId, messageTs, source: 'block_actions' });
  const extra: Json = {
    channel: { id: channelId, name: channelId.toLowerCase() },
    ...(message ? { message: messageJson(message, workspace) } : {}),
    state: { values: {} },
    response_url: responseUrl,
  };
  return {
    blocks: message ? message.blocks : ephemeral?.blocks,
    container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: !message },
    extra,
    responseUrl,
  };
}

/** An ack body with text/blocks is what the user sees; Slack drops it if the blocks break limits. */
export function recordCommandReply(
  workspace: Workspace,
  target: { userId: string; channel: string },
  ack: AckResult,
): CommandReply | undefined {
  if (!isRecord(ack.payload)) return undefined;
  const { text, blocks, response_type: type } = ack.payload;
  if (typeof text !== 'string' && !Array.isArray(blocks)) return undefined;
  const content = {
    ...(typeof text === 'string' ? { text } : {}),
    ...(Array.isArray(blocks) ? { blocks } : {}),
  };
  const responseType = type === 'in_channel' ? 'in_channel' : 'ephemeral';
  const reply: CommandReply = { ...content, ...(type === undefined ? {} : { responseType }) };
  if (blocks !== undefined && checkBlockKitLimits(blocks, { surface: 'message' }).length > 0) return reply;
  const messageTs = workspace.nextTs();
  const { channel, userId } = target;
  if (responseType === 'in_channel') {
    const { botUserId: user, botId } = workspace.options;
    const stored = {
      channel,
      ts: messageTs,
      user,
      botId,
      ...content,
      edits: 0,
      deleted: false,
      reactions: [],
    };
    workspace.messages.push(stored);
  } else {
    const stored = { channel, user: userId, messageTs, ...content, replaced: 0, deleted: false };
    workspace.ephemerals.push({ ...stored, source: 'command_ack' });
  }
  return { ...reply, messageTs };
}

/** Applies a view_submission ack's response_action to the modal stack. */
export function applySubmissionAck(workspace: Workspace, stored: StoredView, ack: AckResult): ViewOutcome {
  if (!ack.acked) return { kind: 'not_acked' };
  const body = isRecord(ack.payload) ? ack.payload : {};
  switch (body.response_action) {
    case 'errors':
      return { kind: 'errors', errors: isRecord(body.errors) ? toStrings(body.errors) : {} };
    case 'update':
      if (isRecord(body.view)) {
        stored.view = body.view;
        stored.hash = workspace.newViewHash();
      }
      return { kind: 'updated', view: stored };
    case 'push':
      return {
        kind: 'pushed',
        view: workspace.addModal(stored.userId, isRecord(body.view) ? body.view : {}, stored),
      };
    case 'clear':
      for (const modal of workspace.openModals(stored.userId)) modal.open = false;
      return { kind: 'cleared' };
    default:
      stored.open = false;
      return { kind: 'closed' };
  }
}

function toStrings(record: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}
