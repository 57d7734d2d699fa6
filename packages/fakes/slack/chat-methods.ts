/** chat.*, reactions.add, conversations.replies and conversations.history against the fake workspace's messages. */
import { checkBlockKitLimits } from './block-kit-limits.js';
import { argString, fail, messageJson, type MethodContext, type MethodHandler } from './method-context.js';
import type { SlackEvent, StoredMessage } from './types.js';

// chat.postMessage truncates/refuses text past 40k characters (msg_too_long).
const MAX_TEXT = 40_000;

interface Content {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

/** Reads text/blocks/attachments and applies the limits; `error` is Slack's error code. */
function readContent(ctx: MethodContext, required: boolean): Content | { error: string } {
  const text = argString(ctx.args, 'text');
  const { blocks, attachments } = ctx.args;
  if (blocks !== undefined && ctx.reportViolations(checkBlockKitLimits(blocks, { surface: 'message' }))) {
    return { error: 'invalid_blocks' };
  }
  if (text !== undefined && text.length > MAX_TEXT) {
    ctx.reportViolations([`text: ${text.length} > ${MAX_TEXT}`]);
    return { error: 'msg_too_long' };
  }
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if (required && !text && !hasBlocks && !hasAttachments) return { error: 'no_text' };
  return {
    ...(text !== undefined ? { text } : {}),
    ...(Array.isArray(blocks) ? { blocks } : {}),
    ...(Array.isArray(attachments) ? { attachments } : {}),
  };
}

function botMessageEvent(message: StoredMessage, ctx: MethodContext): SlackEvent {
  const parent =
    message.threadTs !== undefined ? ctx.workspace.findMessage(message.channel, message.threadTs) : undefined;
  return {
    ...messageJson(message, ctx.workspace),
    type: 'message',
    channel: message.channel,
    event_ts: message.ts,
    channel_type: message.channel.startsWith('D') ? 'im' : 'channel',
    ...(parent ? { parent_user_id: parent.user } : {}),
  };
}

const postMessage: MethodHandler = (ctx) => {
  const { workspace } = ctx;
  const channel = workspace.resolveChannel(argString(ctx.args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  const content = readContent(ctx, true);
  if ('error' in content) return fail(content.error);
  const threadArg = argString(ctx.args, 'thread_ts');
  let threadTs: string | undefined;
  if (threadArg !== undefined && threadArg !== '') {
    // Stricter than Slack, which silently posts to the channel: a dangling thread_ts is an app bug.
    const parent = workspace.findMessage(channel, threadArg);
    if (!parent) return fail('thread_not_found');
    threadTs = parent.threadTs ?? parent.ts;
  }
  const message: StoredMessage = {
    channel,
    ts: workspace.nextTs(),
    user: workspace.options.botUserId,
    botId: workspace.options.botId,
    ...content,
    ...(ctx.args.metadata !== undefined ? { metadata: ctx.args.metadata } : {}),
    ...(threadTs !== undefined ? { threadTs } : {}),
    edits: 0,
    deleted: false,
    reactions: [],
  };
  workspace.messages.push(message);
  if (workspace.options.echoBotMessages) ctx.emitEvent(botMessageEvent(message, ctx));
  return { ok: true, channel, ts: message.ts, message: messageJson(message, workspace) };
};

const update: MethodHandler = (ctx) => {
  const { workspace } = ctx;
  const channel = workspace.resolveChannel(argString(ctx.args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  const message = workspace.findMessage(channel, argString(ctx.args, 'ts') ?? '');
  if (!message) return fail('message_not_found');
  if (message.user !== workspace.options.botUserId) return fail('cant_update_message');
  const content = readContent(ctx, false);
  if ('error' in content) return fail(content.error);
  if (content.text !== undefined) message.text = content.text;
  if (content.blocks !== undefined) message.blocks = content.blocks;
  if (content.attachments !== undefined) message.attachments = content.attachments;
  message.edits += 1;
  return {
    ok: true,
    channel,
    ts: message.ts,
    text: message.text ?? '',
    message: messageJson(message, workspace),
  };
};

const postEphemeral: MethodHandler = (ctx) => {
  const { workspace } = ctx;
  const channel = workspace.resolveChannel(argString(ctx.args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  const user = argString(ctx.args, 'user') ?? '';
  if (!workspace.user(user)) return fail('user_not_in_channel');
  const content = readContent(ctx, true);
  if ('error' in content) return fail(content.error);
  const messageTs = workspace.nextTs();
  const threadTs = argString(ctx.args, 'thread_ts');
  workspace.ephemerals.push({
    channel,
    user,
    messageTs,
    ...content,
    ...(threadTs ? { threadTs } : {}),
    source: 'chat.postEphemeral',
    replaced: 0,
    deleted: false,
  });
  return { ok: true, message_ts: messageTs };
};

const getPermalink: MethodHandler = (ctx) => {
  const channel = ctx.workspace.resolveChannel(argString(ctx.args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  const ts = argString(ctx.args, 'message_ts') ?? '';
  if (!ctx.workspace.findMessage(channel, ts)) return fail('message_not_found');
  return {
    ok: true,
    channel,
    permalink: `https://fake.slack.test/archives/${channel}/p${ts.replace('.', '')}`,
  };
};

const addReaction: MethodHandler = (ctx) => {
  const { workspace } = ctx;
  const channel = workspace.resolveChannel(argString(ctx.args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  const message = workspace.findMessage(channel, argString(ctx.args, 'timestamp') ?? '');
  if (!message) return fail('message_not_found');
  const name = argString(ctx.args, 'name') ?? '';
  if (name === '' || name.includes(':')) return fail('invalid_name');
  const user = workspace.options.botUserId;
  if (message.reactions.some((r) => r.name === name && r.user === user)) return fail('already_reacted');
  message.reactions.push({ name, user });
  return { ok: true };
};

function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const offset = Number(Buffer.from(cursor, 'base64url').toString('utf8').replace('offset:', ''));
  return Number.isInteger(offset) && offset >= 0 ? offset : -1;
}

const replies: MethodHandler = (ctx) => {
  const { workspace } = ctx;
  const channel = workspace.resolveChannel(argString(ctx.args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  const ts = argString(ctx.args, 'ts') ?? '';
  const root = workspace.findMessage(channel, ts);
  if (!root) return fail('thread_not_found');
  const thread = workspace.thread(channel, root.threadTs ?? root.ts);
  const offset = decodeCursor(argString(ctx.args, 'cursor'));
  if (offset < 0) return fail('invalid_cursor');
  const limit = Math.min(Number(argString(ctx.args, 'limit') ?? '1000') || 1000, 1000);
  const page = thread.slice(offset, offset + limit);
  const hasMore = offset + limit < thread.length;
  const nextCursor = hasMore ? Buffer.from(`offset:${offset + limit}`).toString('base64url') : '';
  const messages = page.map((m) => {
    const json = messageJson(m, workspace);
    const isParent = m.ts === (root.threadTs ?? root.ts);
    return isParent && thread.length > 1
      ? { ...json, thread_ts: m.ts, reply_count: thread.length - 1 }
      : json;
  });
  return { ok: true, messages, has_more: hasMore, response_metadata: { next_cursor: nextCursor } };
};

/** Top-level messages newest first, `oldest`/`latest` exclusive, paged by cursor like replies. */
const history: MethodHandler = (ctx) => {
  const { workspace } = ctx;
  const channel = workspace.resolveChannel(argString(ctx.args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  const oldest = Number(argString(ctx.args, 'oldest') ?? '0') || 0;
  const latest = Number(argString(ctx.args, 'latest') ?? '') || Number.POSITIVE_INFINITY;
  const all = workspace
    .channelMessages(channel)
    .filter((m) => Number(m.ts) > oldest && Number(m.ts) < latest)
    .reverse();
  const offset = decodeCursor(argString(ctx.args, 'cursor'));
  if (offset < 0) return fail('invalid_cursor');
  const limit = Math.min(Number(argString(ctx.args, 'limit') ?? '100') || 100, 999);
  const hasMore = offset + limit < all.length;
  const nextCursor = hasMore ? Buffer.from(`offset:${offset + limit}`).toString('base64url') : '';
  return {
    ok: true,
    messages: all.slice(offset, offset + limit).map((m) => messageJson(m, workspace)),
    has_more: hasMore,
    pin_count: 0,
    response_metadata: { next_cursor: nextCursor },
  };
};

export const chatMethods: Record<string, MethodHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
  'reactions.add': addReaction,
  'conversations.replies': replies,
  'conversations.history': history,
};
