/** What every fake Web API method receives, plus the small argument helpers they share. */
import type { Json, SlackEvent, StoredFile, StoredMessage, StoredView } from './types.js';
import type { Workspace } from './workspace.js';

export interface MethodContext {
  method: string;
  args: Json;
  workspace: Workspace;
  /** Records Block Kit violations under this method's name; true when there were any. */
  reportViolations(found: string[]): boolean;
  /** Delivers an Events API event to the app, without waiting for its ack. */
  emitEvent(event: SlackEvent): void;
  /** Issues a single-use Socket Mode ticket and returns the WebSocket URL carrying it. */
  openSocketUrl(): string;
  /** Where the bytes of a file from files.getUploadURLExternal are POSTed (on the fake's port). */
  uploadUrl(fileId: string): string;
}

export type MethodHandler = (ctx: MethodContext) => Json;

export function fail(error: string, extra: Json = {}): Json {
  return { ok: false, error, ...extra };
}

/** Form bodies carry only strings while JSON bodies may carry numbers; both read as strings. */
export function argString(args: Json, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Array.isArray narrows to any[]; this keeps the elements unknown. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** A stored message as Slack returns it in API replies and events. */
export function messageJson(message: StoredMessage, workspace: Workspace): Json {
  const { options } = workspace;
  const isBot = message.botId !== undefined;
  return {
    type: 'message',
    user: message.user,
    ...(isBot ? { bot_id: message.botId, app_id: options.appId } : {}),
    text: message.text ?? '',
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.attachments ? { attachments: message.attachments } : {}),
    ...(message.metadata !== undefined ? { metadata: message.metadata } : {}),
    ts: message.ts,
    ...(message.threadTs !== undefined ? { thread_ts: message.threadTs } : {}),
    ...(message.files !== undefined
      ? {
          upload: true,
          files: message.files.flatMap((id) => {
            const file = workspace.files.get(id);
            return file ? [fileJson(file, workspace)] : [];
          }),
        }
      : {}),
    team: options.teamId,
    ...(message.edits > 0 ? { edited: { user: message.user, ts: message.ts } } : {}),
    ...(message.reactions.length > 0 ? { reactions: reactionsJson(message) } : {}),
  };
}

function reactionsJson(message: StoredMessage): Json[] {
  const names = [...new Set(message.reactions.map((r) => r.name))];
  return names.map((name) => {
    const users = message.reactions.filter((r) => r.name === name).map((r) => r.user);
    return { name, users, count: users.length };
  });
}

/** A stored view as Slack returns it from views.* and inside interaction payloads. */
export function viewJson(stored: StoredView, workspace: Workspace): Json {
  const { options } = workspace;
  return {
    private_metadata: '',
    callback_id: '',
    external_id: '',
    state: { values: {} },
    clear_on_close: false,
    notify_on_close: false,
    ...stored.view,
    id: stored.id,
    team_id: options.teamId,
    type: stored.type,
    hash: stored.hash,
    root_view_id: stored.rootViewId,
    previous_view_id: stored.previousViewId,
    app_id: options.appId,
    app_installed_team_id: options.teamId,
    bot_id: options.botId,
  };
}

/** A file object as Slack returns it (the fields an app reads; no download URLs in the fake). */
export function fileJson(file: StoredFile, workspace: Workspace): Json {
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title ?? file.name,
    mimetype: file.name.endsWith('.md') ? 'text/markdown' : 'text/plain',
    filetype: file.snippetType ?? (file.name.endsWith('.md') ? 'markdown' : 'text'),
    user: workspace.options.botUserId,
    size: file.content?.length ?? 0,
    is_public: file.channel !== undefined,
    channels: file.channel !== undefined ? [file.channel] : [],
  };
}
