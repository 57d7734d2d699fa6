/**
 * A fake Amazon Bedrock Runtime speaking h2c (HTTP/2 without TLS), because
 * client-bedrock-runtime 3.1163 defaults to NodeHttp2Handler: the real client runs unmodified
 * against it. Serves Converse (`POST /model/{modelId}/converse`, id percent-decoded, any id
 * accepted), expects SigV4, answers from a ReplyScript and records every request.
 */
import {
  createServer,
  type Http2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import { approxTokens, ReplyScript, type LlmReply } from './script.js';
import { promptOf, readJson, recordHeaders, type LlmPrompt } from './wire.js';

export interface RecordedBedrockRequest {
  readonly method: string;
  readonly path: string;
  /** Percent-decoded, e.g. `us.anthropic.claude-sonnet-4-5-20250929-v1:0`. */
  readonly modelId: string | undefined;
  readonly operation: 'converse' | 'other';
  /** `authorization` keeps its scheme only (`AWS4-HMAC-SHA256`), never a signature. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly at: number;
}

const ERROR_NAMESPACE = 'http://internal.amazon.com/coral/com.amazon.bedrock/';
const ROUTE = /^\/model\/([^/]+)\/([a-z-]+)$/;

export class FakeBedrock {
  readonly endpoint: string;
  readonly script = new ReplyScript();
  readonly requests: RecordedBedrockRequest[] = [];
  private readonly server: Http2Server;
  private readonly sessions = new Set<ServerHttp2Session>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private seq = 0;

  static async start(): Promise<FakeBedrock> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('fake Bedrock: no TCP address');
    return new FakeBedrock(server, address.port);
  }

  private constructor(server: Http2Server, port: number) {
    this.server = server;
    this.endpoint = `http://127.0.0.1:${port}`;
    server.on('session', (session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
    });
    server.on('request', (req, res) => {
      void this.handle(req, res);
    });
  }

  /** The converse requests' prompts, in order. */
  prompts(): LlmPrompt[] {
    return this.requests.filter((r) => r.operation === 'converse').map((r) => promptOf(r.body));
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const session of this.sessions) session.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }

  private async handle(req: Http2ServerRequest, res: Http2ServerResponse): Promise<void> {
    const path = req.url;
    const match = ROUTE.exec(path.split('?')[0] ?? '');
    let modelId: string | undefined;
    try {
      modelId = match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
    } catch {
      modelId = undefined;
    }
    const body = await readJson(req);
    const operation = match?.[2] === 'converse' ? 'converse' : 'other';
    this.requests.push({
      method: req.method,
      path,
      modelId,
      operation,
      headers: recordHeaders(req.headers),
      body: body.ok ? body.value : body.raw,
      at: Date.now(),
    });
    if (req.method !== 'POST' || operation !== 'converse' || modelId === undefined) {
      this.send(res, { kind: 'error', status: 404, type: 'UnknownOperationException', message: 'Not found' });
      return;
    }
    if (!/^AWS4-HMAC-SHA256 Credential=/.test(req.headers.authorization ?? '')) {
      this.send(res, {
        kind: 'error',
        status: 403,
        type: 'AccessDeniedException',
        message: 'fake Bedrock expects SigV4',
      });
      return;
    }
    if (!body.ok || !isConverseBody(body.value)) {
      this.send(res, {
        kind: 'error',
        status: 400,
        type: 'ValidationException',
        message: 'Malformed input request',
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

  private send(res: Http2ServerResponse, reply: LlmReply, request?: ConverseBody): void {
    // The client gave up (its timeout or abort): nothing to answer.
    if (res.stream.destroyed || res.stream.closed) return;
    const requestId = `fake-${++this.seq}`;
    if (reply.kind === 'raw') {
      res.writeHead(reply.status, {
        'content-type': reply.contentType ?? 'text/html',
        'x-amzn-requestid': requestId,
      });
      res.end(reply.body);
      return;
    }
    if (reply.kind === 'error') {
      res.writeHead(reply.status, {
        'content-type': 'application/json',
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': `${reply.type}:${ERROR_NAMESPACE}`,
      });
      res.end(JSON.stringify({ message: reply.message ?? reply.type }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId });
    res.end(JSON.stringify(this.converseOutput(reply, request)));
  }

  private converseOutput(reply: LlmReply, request: ConverseBody | undefined): Record<string, unknown> {
    const content: unknown[] = [];
    let stopReason = 'end_turn';
    if (reply.kind === 'tool_use') {
      if (reply.preamble !== undefined) content.push({ text: reply.preamble });
      content.push({
        toolUse: {
          toolUseId: `tooluse_${this.seq}`,
          name: reply.toolName ?? 'emit_runbook',
          input: reply.input,
        },
      });
      stopReason = 'tool_use';
    } else if (reply.kind === 'text') {
      content.push({ text: reply.text });
    } else if (reply.kind === 'max_tokens') {
      content.push({ text: 'Drafting the runbook' });
      if (reply.partialInput !== undefined) {
        content.push({
          toolUse: { toolUseId: `tooluse_${this.seq}`, name: 'emit_runbook', input: reply.partialInput },
        });
      }
      stopReason = 'max_tokens';
    }
    const inputTokens = approxTokens(JSON.stringify(request ?? {}));
    const outputTokens = approxTokens(JSON.stringify(content));
    return {
      output: { message: { role: 'assistant', content } },
      stopReason,
      usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
      metrics: { latencyMs: reply.delayMs ?? 5 },
    };
  }
}

interface ConverseBody {
  readonly messages: readonly unknown[];
}

const isConverseBody = (value: unknown): value is ConverseBody =>
  typeof value === 'object' && value !== null && 'messages' in value && Array.isArray(value.messages);
