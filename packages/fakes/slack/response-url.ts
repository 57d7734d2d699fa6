/** POST /response/<id>: what Bolt's respond() sends, recorded and applied to the workspace. */
import { checkBlockKitLimits } from './block-kit-limits.js';
import { argString } from './method-context.js';
import type { EphemeralMessage, Json, ResponseUrlContext, StoredMessage } from './types.js';
import type { Workspace } from './workspace.js';

export interface ResponseUrlReply {
  status: number;
  body: Json;
}

function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

function findOriginal(
  workspace: Workspace,
  context: ResponseUrlContext,
): StoredMessage | EphemeralMessage | undefined {
  const { channelId, messageTs } = context;
  if (channelId === undefined || messageTs === undefined) return undefined;
  return (
    workspace.findMessage(channelId, messageTs) ??
    workspace.ephemerals.find((e) => e.channel === channelId && e.messageTs === messageTs && !e.deleted)
  );
}

/**
 * Only explicit flags act on the original message: with neither flag the post becomes a new
 * message (ephemeral unless `response_type: in_channel`), so apps should always say what they mean.
 */
function apply(workspace: Workspace, context: ResponseUrlContext, body: Json): void {
  const original = findOriginal(workspace, context);
  const text = argString(body, 'text');
  const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
  if (flag(body.delete_original)) {
    if (original) original.deleted = true;
    return;
  }
  if (flag(body.replace_original) && original) {
    original.text = text;
    original.blocks = blocks;
    if ('edits' in original) original.edits += 1;
    else original.replaced += 1;
    return;
  }
  const channel = context.channelId ?? workspace.dmChannelFor(context.userId);
  const threadTs = argString(body, 'thread_ts');
  const content = {
    ...(text !== undefined ? { text } : {}),
    ...(blocks ? { blocks } : {}),
    ...(threadTs ? { threadTs } : {}),
  };
  if (body.response_type === 'in_channel') {
    const { botUserId, botId } = workspace.options;
    workspace.messages.push({
      channel,
      ts: workspace.nextTs(),
      user: botUserId,
      botId,
      ...content,
      edits: 0,
      deleted: false,
      reactions: [],
    });
    return;
  }
  workspace.ephemerals.push({
    channel,
    user: context.userId,
    messageTs: workspace.nextTs(),
    ...content,
    source: 'response_url',
    replaced: 0,
    deleted: false,
  });
}

export function handleResponseUrlPost(
  workspace: Workspace,
  request: { id: string; url: string; body: Json },
  reportViolations: (found: string[]) => boolean,
): ResponseUrlReply {
  const use = workspace.useResponseUrl(request.id);
  if (!use) return { status: 404, body: { ok: false, error: 'expired_url' } };
  const record = {
    responseId: request.id,
    url: request.url,
    body: request.body,
    at: new Date(),
    context: use.context,
  };
  if (use.error) {
    workspace.responses.push({ ...record, accepted: false, error: use.error });
    return { status: 404, body: { ok: false, error: use.error } };
  }
  const { blocks } = request.body;
  if (blocks !== undefined && reportViolations(checkBlockKitLimits(blocks, { surface: 'message' }))) {
    workspace.responses.push({ ...record, accepted: false, error: 'invalid_blocks' });
    return { status: 400, body: { ok: false, error: 'invalid_blocks' } };
  }
  workspace.responses.push({ ...record, accepted: true });
  apply(workspace, use.context, request.body);
  return { status: 200, body: { ok: true } };
}
