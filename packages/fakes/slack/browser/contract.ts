/**
 * What the fake Slack's browser view and its page say to each other: plain JSON over HTTP on the
 * fake's own port, and Server-Sent Events for "something changed". Types only, so the page
 * (compiled for the browser) and the server (Node) share them without sharing code.
 *
 * GET  /                      the page
 * GET  /ui/app.js, /ui/app.css
 * GET  /ui/state?user=<id>    BrowserState as that user sees the workspace
 * GET  /ui/events             text/event-stream: `event: change` with `data: {"version":N}`
 * POST /ui/click              ClickRequest      -> UiResult
 * POST /ui/command            CommandRequest    -> UiResult
 * POST /ui/submit             SubmitRequest     -> UiResult
 * POST /ui/close              CloseRequest      -> UiResult
 * POST /ui/home               HomeRequest       -> UiResult   (the user opens the Home tab)
 * POST /ui/reply              ReplyRequest      -> UiResult   (a user's message, in a thread or not)
 * POST /ui/scenarios/<name>   {}                -> UiResult   (only when scenarios are configured)
 *
 * Every POST body is JSON; a bad body is answered 400 with `{ok:false,error}` and changes nothing.
 */

export type JsonObject = Record<string, unknown>;

export interface UiUser {
  id: string;
  name: string;
  /** Shown in the user switcher, e.g. "operator" or "not an operator". */
  role: string;
}

/** A file shared with a message (files.completeUploadExternal), with its text for the page to show. */
export interface UiFile {
  id: string;
  name: string;
  title: string;
  size: number;
  /** The uploaded bytes as UTF-8 (the page shows text files only). */
  text: string;
}

export interface UiMessage {
  ts: string;
  /** User ID of the author (the bot's user for the app's messages). */
  user: string;
  userName: string;
  isBot: boolean;
  text?: string;
  /** Block Kit blocks as the app sent them. */
  blocks?: unknown[];
  edited: boolean;
  reactions: Array<{ name: string; count: number }>;
  /** Files shared with it, if any. */
  files?: UiFile[];
  /** Replies in the thread, oldest first; empty for replies themselves. */
  replies: UiMessage[];
}

export interface UiEphemeral {
  /** Its message_ts: clickable like a message, seen only by this user. */
  ts: string;
  channel: string;
  /** Set when it was posted in a thread. */
  threadTs?: string;
  text?: string;
  blocks?: unknown[];
}

export interface UiView {
  id: string;
  /** The view as the app published it: type, title, blocks, submit, close, private_metadata… */
  view: JsonObject;
}

export interface UiScenario {
  name: string;
  title: string;
  /** One line: what it does to the tenant and what the app should show. */
  explanation: string;
}

export interface BrowserState {
  /** Grows with every change; the page ignores states older than the one it shows. */
  version: number;
  team: { id: string; name: string };
  bot: { userId: string; name: string };
  /** Whether the app holds a Socket Mode connection right now. */
  appConnected: boolean;
  currentUser: string;
  users: UiUser[];
  channel: { id: string; name: string; messages: UiMessage[] };
  /** The current user's ephemerals in this channel (thread ones carry threadTs), oldest first. */
  ephemerals: UiEphemeral[];
  /** The current user's open modals, bottom of the stack first (the last is on top). */
  modals: UiView[];
  /** The current user's published Home tab, if the app has published one. */
  home?: UiView;
  /** The slash command the app answers, e.g. "/auth0". */
  command: string;
  /** Empty when the page is not run by the sandbox. */
  scenarios: UiScenario[];
  /** Free-form lines the sandbox shows above the scenarios (e.g. "Auth0 outage: on"). */
  notes: string[];
}

/** A click on a button (or other element with an action_id) in a message, ephemeral or view. */
export interface ClickRequest {
  user: string;
  actionId: string;
  /** Sent as the action's value; the element's own value is used when absent. */
  value?: string;
  /** Where the element is: a message or ephemeral by channel + ts, or a view by id. */
  channel?: string;
  ts?: string;
  viewId?: string;
}

export interface CommandRequest {
  user: string;
  /** What follows the command, e.g. "status". */
  text: string;
}

/** Input values by block_id, then action_id: a string (text/select value) or a list (multi). */
export interface SubmitRequest {
  user: string;
  viewId: string;
  values: Record<string, Record<string, string | string[]>>;
}

export interface CloseRequest {
  user: string;
  viewId: string;
}

export interface HomeRequest {
  user: string;
}

export interface ReplyRequest {
  user: string;
  text: string;
  /** Reply in this thread; a top-level message in the channel when absent. */
  threadTs?: string;
}

export type UiResult =
  { ok: true; message?: string; errors?: Record<string, string> } | { ok: false; error: string };
