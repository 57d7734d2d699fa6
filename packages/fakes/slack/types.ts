/** Public shapes of the fake Slack workspace: options, recordings and stored state. */

export interface FakeSlackUser {
  id: string;
  name: string;
  tz?: string;
  isAdmin?: boolean;
}

export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  teamId?: string;
  appId?: string;
  botUserId?: string;
  botId?: string;
  users?: FakeSlackUser[];
  /** Channel IDs that exist with the bot (and every user) in them. */
  channels?: string[];
  /** Channels that exist without the bot in them (conversations.info answers `is_member: false`). */
  nonMemberChannels?: string[];
  /** The bot token's scopes, sent as `x-oauth-scopes` on every bot-token reply; unset = no header. */
  botScopes?: string[];
  /** Usergroup ID -> member IDs. */
  usergroups?: Record<string, string[]>;
  /** How long sendEnvelope waits for an ack; Slack's own limit is 3 s. */
  ackTimeoutMs?: number;
  /** chat.postMessage emits the matching `message` event stamped with the bot's user and bot_id. */
  echoBotMessages?: boolean;
  /** trigger_id lifetime; Slack's is 3 s. */
  triggerTtlMs?: number;
  /** Clock for trigger expiry and message timestamps, so tests can move time without sleeping. */
  now?: () => number;
}

export type Json = Record<string, unknown>;

/** An Events API event: what goes inside the `event_callback` wrapper. */
export type SlackEvent = Json & { type: string };

export interface WebApiCall {
  method: string;
  /** Parsed arguments; JSON-string args (blocks, view, attachments, metadata) are decoded. */
  args: Json;
  token: string | undefined;
  contentType: string;
  at: Date;
  response: Json;
  httpStatus: number;
}

export type DisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled';

export interface ConnectionRecord {
  id: number;
  ticket: string;
  openedAt: Date;
  closedAt?: Date;
  /** Who ended it: the client closed it, the fake dropped it abruptly, or stop() tore it down. */
  ended?: 'client_close' | 'dropped' | 'stopped';
  closeCode?: number;
  /** Set when the fake sent a `disconnect` frame on this connection. */
  disconnectRequested?: DisconnectReason;
}

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface EnvelopeOptions {
  envelopeId?: string;
  retryAttempt?: number;
  retryReason?: string;
  acceptsResponsePayload?: boolean;
}

export interface AckResult {
  envelopeId: string;
  acked: boolean;
  payload?: unknown;
  latencyMs: number;
}

export interface EnvelopeRecord {
  envelopeId: string;
  type: EnvelopeType;
  payload: Json;
  retryAttempt?: number;
  retryReason?: string;
  connectionId: number;
  sentAt: Date;
  ack?: { payload: unknown; latencyMs: number; late: boolean };
  /** Acks beyond the first for the same envelope (Bolt only warns about them; Slack ignores them). */
  extraAcks: number;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  user: string;
  botId?: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  threadTs?: string;
  /** Files shared with this message (files.completeUploadExternal), by ID. */
  files?: string[];
  edits: number;
  deleted: boolean;
  reactions: Array<{ name: string; user: string }>;
}

/**
 * A file uploaded with files.getUploadURLExternal → POST to its upload_url →
 * files.completeUploadExternal. Shared (visible in a channel) only once completed with a channel.
 */
export interface StoredFile {
  id: string;
  /** The `filename` given to files.getUploadURLExternal. */
  name: string;
  /** The `length` declared there, in bytes. */
  length: number;
  snippetType?: string;
  /** Set by files.completeUploadExternal (defaults to the name). */
  title?: string;
  /** The bytes POSTed to the upload URL; undefined until then. */
  content?: Buffer;
  completed: boolean;
  channel?: string;
  threadTs?: string;
  /** The ts of the message that shares it. */
  messageTs?: string;
  created: number;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  messageTs: string;
  text?: string;
  blocks?: unknown[];
  threadTs?: string;
  /** Where it came from: chat.postEphemeral, a command ack, or a response_url post. */
  source: 'chat.postEphemeral' | 'command_ack' | 'response_url';
  replaced: number;
  deleted: boolean;
}

export interface StoredView {
  id: string;
  userId: string;
  type: 'home' | 'modal';
  view: Json;
  hash: string;
  /** Modals only: open until submitted/closed/cleared. */
  open: boolean;
  rootViewId: string;
  previousViewId: string | null;
}

/** What a response_url was issued for, so posts to it can be applied to the right message. */
export interface ResponseUrlContext {
  userId: string;
  channelId?: string;
  /** The message the interaction came from (replace_original / delete_original target). */
  messageTs?: string;
  source: 'slash_command' | 'block_actions';
}

export interface ResponseUrlPost {
  responseId: string;
  url: string;
  body: Json;
  at: Date;
  accepted: boolean;
  error?: string;
  context: ResponseUrlContext;
}
