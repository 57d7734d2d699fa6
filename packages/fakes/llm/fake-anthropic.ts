/**
 * A fake Anthropic Messages API over HTTP/1.1: `POST /v1/messages`, authenticated by either
 * `Authorization: Bearer` (SDK 1.x) or `x-api-key` (0.x), answering from a ReplyScript and
 * recording every request. Errors use the API's shape: `{"type":"error","error":{type,message}}`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { approxTokens, ReplyScript, type LlmReply } from './script.js';
import { promptOf, readJson, recordHeaders, type LlmPrompt } from './wire.js';

export interface RecordedAnthropicRequest {
  readonly method: string;
  readonly path: string;
  /** How the key came: `bearer`, `x-api-key`, or `none`. */
  readonly auth: 'bearer' | 'x-api-key' | 'none';
  /** `authorization` keeps its scheme only; `x-api-key` is `(set)`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly at: number;
}

const authOf = (req: IncomingMessage): RecordedAnthropicRequest['auth'] => {
  if (/^Bearer\s+\S+$/i.test(req.headers.authorization ?? '')) return 'bearer';
  const key = req.headers['x-api-key'];
  return typeof key === 'string' && key !== '' ? 'x-api-key' : 'none';
};

const isMessagesBody = (
  value: unknown,
): value is { model: string; messages: unknown[]; max_tokens: number } =>
  typeof value === 'object' &&
  value !== null &&
  'model' in value &&
  typeof value.model === 'string' &&
  'max_tokens' in value &&
  typeof value.max_tokens === 'number' &&
  'messages' in value &&
  Array.isArray(value.messages);

export class FakeAnthropic {
  readonly baseURL: string;
  readonly script = new ReplyScript();
  readonly requests: RecordedAnthropicRequest[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private seq = 0;

  static async start(): Promise<FakeAnthropic> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('fake Anthropic: no TCP address');
    return new FakeAnthropic(server, address.port);
  }

  private constructor(server: Server, port: number) {
    this.server = server;
    this.baseURL = `http://127.0.0.1:${port}`;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      void this.handle(req, res);
    });
  }

  prompts(): LlmPrompt[] {
    return this.requests.filter((r) => r.path === '/v1/messages').map((r) => promptOf(r.body));
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const body = await readJson(req);
    const auth = authOf(req);
    this.requests.push({
      method: req.method ?? '',
      path,
      auth,
      headers: recordHeaders(req.headers),
      body: body.ok ? body.value : body.raw,
      at: Date.now(),
    });
    if (req.method !== 'POST' || path !== '/v1/messages') {
      this.send(res, { kind: 'error', status: 404, type: 'not_found_error', message: 'Not found' });
      return;
    }
    if (auth === 'none') {
      this.send(res, {
        kind: 'error',
        status: 401,
        type: 'authentication_error',
        message: 'missing API key',
      });
      return;
    }
    if (!body.ok || !isMessagesBody(body.value)) {
      this.send(res, {
        kind: 'error',
        status: 400,
        type: 'invalid_request_error',
        message: 'malformed body',
      });
      return;
    }
    const request = body.value;
    const reply = this.script.next();
    if (reply.kind === 'hang') return;
    if (reply.delayMs === undefined) {
      this.send(res, reply, request);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.send(res, reply, request);
    }, reply.delayMs);
    this.timers.add(timer);
  }

  private send(res: ServerResponse, reply: LlmReply, request?: { model: string }): void {
    if (res.destroyed || res.writableEnded) return;
    const requestId = `req_fake_${++this.seq}`;
    if (reply.kind === 'raw') {
      res.writeHead(reply.status, {
        'content-type': reply.contentType ?? 'text/html',
        'request-id': requestId,
      });
      res.end(reply.body);
      return;
    }
    if (reply.kind === 'error') {
      res.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': requestId });
      res.end(
        JSON.stringify({ type: 'error', error: { type: reply.type, message: reply.message ?? reply.type } }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
    res.end(JSON.stringify(this.message(reply, request)));
  }

  private message(reply: LlmReply, request: { model: string } | undefined): Record<string, unknown> {
    const content: unknown[] = [];
    let stopReason = 'end_turn';
    if (reply.kind === 'tool_use') {
      if (reply.preamble !== undefined) content.push({ type: 'text', text: reply.preamble });
      content.push({
        type: 'tool_use',
        id: `toolu_fake_${this.seq}`,
        name: reply.toolName ?? 'emit_runbook',
        input: reply.input,
      });
      stopReason = 'tool_use';
    } else if (reply.kind === 'text') {
      content.push({ type: 'text', text: reply.text });
    } else if (reply.kind === 'max_tokens') {
      content.push({ type: 'text', text: 'Drafting the runbook' });
      if (reply.partialInput !== undefined) {
        content.push({
          type: 'tool_use',
          id: `toolu_fake_${this.seq}`,
          name: 'emit_runbook',
          input: reply.partialInput,
        });
      }
      stopReason = 'max_tokens';
    }
    return {
      id: `msg_fake_${this.seq}`,
      type: 'message',
      role: 'assistant',
      model: request?.model ?? 'unknown',
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: {
        input_tokens: approxTokens(JSON.stringify(request ?? {})),
        output_tokens: approxTokens(JSON.stringify(content)),
      },
    };
  }
}
