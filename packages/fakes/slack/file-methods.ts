/**
 * File uploads as WebClient.files.uploadV2 performs them: files.getUploadURLExternal hands out an
 * ID and an upload URL, the bytes are POSTed there (raw or multipart), and
 * files.completeUploadExternal shares the file in a channel or a thread, where it appears as a
 * message carrying `files`. Upload-URL handling lives in fake-slack.ts (it is not a Web API method).
 */
import type { IncomingMessage } from 'node:http';
import {
  argString,
  asArray,
  fail,
  fileJson,
  isRecord,
  messageJson,
  type MethodHandler,
} from './method-context.js';
import type { StoredFile, StoredMessage } from './types.js';
import type { Workspace } from './workspace.js';

// Slack refuses uploads above 1 GB; the fake keeps files in memory, so it stops far earlier.
const MAX_LENGTH = 10 * 1024 * 1024;

const getUploadURLExternal: MethodHandler = (ctx) => {
  const filename = argString(ctx.args, 'filename');
  const lengthArg = argString(ctx.args, 'length');
  const length = lengthArg === undefined ? NaN : Number(lengthArg);
  if (filename === undefined || filename === '' || !Number.isInteger(length) || length < 1)
    return fail('invalid_arguments');
  if (length > MAX_LENGTH) return fail('file_too_large');
  const id = ctx.workspace.nextId('F');
  const snippetType = argString(ctx.args, 'snippet_type');
  ctx.workspace.files.set(id, {
    id,
    name: filename,
    length,
    ...(snippetType !== undefined ? { snippetType } : {}),
    completed: false,
    created: Math.floor(ctx.workspace.options.now() / 1000),
  });
  return { ok: true, upload_url: ctx.uploadUrl(id), file_id: id };
};

const completeUploadExternal: MethodHandler = (ctx) => {
  const { workspace } = ctx;
  const entries = asArray(ctx.args.files);
  if (entries.length === 0 || !entries.every((e) => isRecord(e) && typeof e.id === 'string'))
    return fail('invalid_arguments');
  const files: StoredFile[] = [];
  for (const entry of entries as Array<{ id: string; title?: unknown }>) {
    const file = workspace.files.get(entry.id);
    // Stricter than Slack, which may accept and later drop it: a file whose bytes never arrived,
    // or one completed twice, is an app bug worth failing on.
    if (!file || file.content === undefined || file.completed) return fail('file_not_found');
    files.push(file);
  }
  const channelArg = argString(ctx.args, 'channel_id');
  const channel = channelArg === undefined ? undefined : workspace.resolveChannel(channelArg);
  if (channelArg !== undefined && !channel) return fail('channel_not_found');
  const threadArg = argString(ctx.args, 'thread_ts');
  let threadTs: string | undefined;
  if (channel !== undefined && threadArg !== undefined && threadArg !== '') {
    const parent = workspace.findMessage(channel, threadArg);
    if (!parent) return fail('thread_not_found');
    threadTs = parent.threadTs ?? parent.ts;
  }
  const mismatched = files.filter((f) => f.content?.length !== f.length);
  ctx.reportViolations(
    mismatched.map((f) => `${f.id}: ${f.content?.length ?? 0} bytes uploaded, ${f.length} declared`),
  );
  for (const [i, file] of files.entries()) {
    const title = (entries[i] as { title?: unknown }).title;
    file.completed = true;
    if (typeof title === 'string' && title !== '') file.title = title;
  }
  if (channel !== undefined) {
    const comment = argString(ctx.args, 'initial_comment');
    const message: StoredMessage = {
      channel,
      ts: workspace.nextTs(),
      user: workspace.options.botUserId,
      botId: workspace.options.botId,
      text: comment ?? '',
      files: files.map((f) => f.id),
      ...(threadTs !== undefined ? { threadTs } : {}),
      edits: 0,
      deleted: false,
      reactions: [],
    };
    workspace.messages.push(message);
    for (const file of files) {
      file.channel = channel;
      file.messageTs = message.ts;
      if (threadTs !== undefined) file.threadTs = threadTs;
    }
    if (workspace.options.echoBotMessages)
      ctx.emitEvent({
        ...messageJson(message, workspace),
        type: 'message',
        subtype: 'file_share',
        channel,
        event_ts: message.ts,
        channel_type: channel.startsWith('D') ? 'im' : 'channel',
      });
  }
  return { ok: true, files: files.map((f) => fileJson(f, workspace)) };
};

/** Slack answers missing_scope (with what was needed) when the token lacks files:write. */
const needsFilesWrite =
  (handler: MethodHandler): MethodHandler =>
  (ctx) => {
    const scopes = ctx.workspace.options.botScopes;
    if (scopes !== undefined && !scopes.includes('files:write'))
      return fail('missing_scope', { needed: 'files:write', provided: scopes.join(',') });
    return handler(ctx);
  };

export const fileMethods: Record<string, MethodHandler> = {
  'files.getUploadURLExternal': needsFilesWrite(getUploadURLExternal),
  'files.completeUploadExternal': needsFilesWrite(completeUploadExternal),
};

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** The first part of a multipart/form-data body (the SDK sends the file as its only part). */
function firstPart(body: Buffer, boundary: string): Buffer | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const start = body.indexOf(delimiter);
  if (start === -1) return undefined;
  const headersEnd = body.indexOf('\r\n\r\n', start);
  if (headersEnd === -1) return undefined;
  const end = body.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd + 4);
  return end === -1 ? undefined : body.subarray(headersEnd + 4, end);
}

/**
 * A POST to an upload URL: raw bytes, or multipart form data whose first part is the file. Slack
 * answers 200 with `OK - <bytes>`; an unknown or already used URL is a 404.
 */
export async function handleUpload(
  workspace: Workspace,
  req: IncomingMessage,
  fileId: string,
): Promise<{ status: number; text: string }> {
  const file = workspace.files.get(fileId);
  const body = await readBytes(req);
  if (req.method !== 'POST') return { status: 405, text: 'method not allowed' };
  if (!file || file.content !== undefined) return { status: 404, text: 'not found' };
  const type = req.headers['content-type'] ?? '';
  const boundary = /^multipart\/form-data;.*boundary=("?)([^";]+)\1/i.exec(type)?.[2];
  const content = boundary === undefined ? body : firstPart(body, boundary);
  if (content === undefined) return { status: 400, text: 'malformed multipart body' };
  file.content = Buffer.from(content);
  return { status: 200, text: `OK - ${content.length}` };
}
