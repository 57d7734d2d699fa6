/** The Web API over HTTP: body parsing, token checks, fault injection, dispatch and recording. */
import type { IncomingMessage } from 'node:http';
import { chatMethods } from './chat-methods.js';
import { directoryMethods } from './directory-methods.js';
import { fileMethods } from './file-methods.js';
import { argString, fail, isRecord, type MethodContext, type MethodHandler } from './method-context.js';
import type { Json, SlackEvent, WebApiCall } from './types.js';
import { viewMethods } from './view-methods.js';
import type { Workspace } from './workspace.js';

const HANDLERS: Record<string, MethodHandler> = {
  ...directoryMethods,
  ...chatMethods,
  ...viewMethods,
  ...fileMethods,
};

// The Web API client JSON-encodes these arguments into single form fields.
const JSON_STRING_ARGS = ['blocks', 'view', 'attachments', 'metadata', 'files'];

export interface InjectedFault {
  error: string;
  /** A non-200 status makes the SDK throw WebAPIHTTPError (or retry, for 429) instead. */
  httpStatus?: number;
  retryAfterSec?: number;
  /**
   * The method takes effect first and only its reply is replaced by the fault: Slack accepted a
   * post but the answer was lost (a 500 from a proxy, a dropped connection), so the caller cannot
   * know the outcome.
   */
  afterEffect?: boolean;
  /** Only calls whose arguments match take the fault (e.g. a post into one thread); others pass. */
  match?: (args: Json) => boolean;
}

export interface WebApiReply {
  status: number;
  body: Json;
  headers: Record<string, string>;
}

export interface WebApiDeps {
  workspace: Workspace;
  recordCall(call: WebApiCall): void;
  reportViolations(source: string, found: string[]): boolean;
  emitEvent(event: SlackEvent): void;
  openSocketUrl(): string;
  uploadUrl(fileId: string): string;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/** Form bodies (all strings) and JSON bodies both become one args object, JSON-string args decoded. */
function parseArgs(raw: string, contentType: string): Json | undefined {
  let args: Json;
  if (contentType === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(raw === '' ? '{}' : raw);
      if (!isRecord(parsed)) return undefined;
      args = parsed;
    } catch {
      return undefined;
    }
  } else {
    args = Object.fromEntries(new URLSearchParams(raw));
  }
  for (const key of JSON_STRING_ARGS) {
    const value = args[key];
    if (typeof value !== 'string') continue;
    try {
      args[key] = JSON.parse(value) as unknown;
    } catch {
      // Left as the raw string: the limit checker then reports it as malformed.
    }
  }
  return args;
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

export class WebApi {
  private readonly faults = new Map<string, InjectedFault[]>();

  constructor(private readonly deps: WebApiDeps) {}

  failNext(method: string, fault: InjectedFault): void {
    const queue = this.faults.get(method) ?? [];
    queue.push(fault);
    this.faults.set(method, queue);
  }

  async handle(req: IncomingMessage, method: string): Promise<WebApiReply> {
    const raw = await readBody(req);
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    const args = parseArgs(raw, contentType);
    const token = bearer(req.headers.authorization) ?? (args ? argString(args, 'token') : undefined);
    const reply = args ? this.dispatch(method, args, token) : json(200, fail('invalid_json'));
    this.deps.recordCall({
      method,
      args: args ?? { raw },
      token,
      contentType,
      at: new Date(),
      response: reply.body,
      httpStatus: reply.status,
    });
    return reply;
  }

  private dispatch(method: string, args: Json, token: string | undefined): WebApiReply {
    const handler = HANDLERS[method];
    if (!handler) return json(200, fail('unknown_method'));
    const fault = this.takeFault(method, args);
    if (fault && !fault.afterEffect) return faultReply(fault);
    const authError = this.authError(method, token);
    if (authError) return json(200, fail(authError));
    // Slack reports a token's scopes on every Web API reply to it.
    const { botScopes } = this.deps.workspace.options;
    const scopeHeaders: Record<string, string> =
      botScopes !== undefined && method !== 'apps.connections.open'
        ? { 'x-oauth-scopes': botScopes.join(',') }
        : {};
    const ctx: MethodContext = {
      method,
      args,
      workspace: this.deps.workspace,
      reportViolations: (found) => this.deps.reportViolations(method, found),
      emitEvent: (event) => {
        this.deps.emitEvent(event);
      },
      openSocketUrl: () => this.deps.openSocketUrl(),
      uploadUrl: (fileId) => this.deps.uploadUrl(fileId),
    };
    try {
      const reply = handler(ctx);
      return fault ? faultReply(fault) : json(200, reply, scopeHeaders);
    } catch (error) {
      // A bug in the fake must not look like a Slack reply the app could handle.
      return json(500, fail('fake_slack_internal_error', { detail: String(error) }));
    }
  }

  private takeFault(method: string, args: Json): InjectedFault | undefined {
    const queue = this.faults.get(method) ?? [];
    const index = queue.findIndex((f) => f.match?.(args) ?? true);
    return index === -1 ? undefined : queue.splice(index, 1)[0];
  }

  /** apps.connections.open takes only the app-level token; everything else the bot token. */
  private authError(method: string, token: string | undefined): string | undefined {
    const { appToken, botToken } = this.deps.workspace.options;
    if (token === undefined || token === '') return 'not_authed';
    const expected = method === 'apps.connections.open' ? appToken : botToken;
    return token === expected ? undefined : 'invalid_auth';
  }
}

function json(status: number, body: Json, headers: Record<string, string> = {}): WebApiReply {
  return { status, body, headers };
}

function faultReply(fault: InjectedFault): WebApiReply {
  const headers: Record<string, string> =
    fault.retryAfterSec !== undefined ? { 'retry-after': String(fault.retryAfterSec) } : {};
  return json(fault.httpStatus ?? 200, fail(fault.error), headers);
}
