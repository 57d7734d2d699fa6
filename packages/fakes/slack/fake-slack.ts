/**
 * A fake Slack workspace over real sockets: the Web API over HTTP and Socket Mode over WebSocket
 * on 127.0.0.1, so the real @slack/bolt, @slack/web-api and @slack/socket-mode run unmodified.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { checkBlockKitLimits, checkViewLimits } from './block-kit-limits.js';
import { BrowserView, type BrowserViewOptions } from './browser/browser-view.js';
import { eventCallbackPayload } from './interaction-payloads.js';
import { handleUpload } from './file-methods.js';
import { isRecord } from './method-context.js';
import { handleResponseUrlPost } from './response-url.js';
import { SocketModeServer } from './socket-mode.js';
import type {
  AckResult,
  ConnectionRecord,
  DisconnectReason,
  EnvelopeOptions,
  EnvelopeRecord,
  EnvelopeType,
  EphemeralMessage,
  FakeSlackOptions,
  Json,
  ResponseUrlContext,
  ResponseUrlPost,
  SlackEvent,
  StoredFile,
  StoredMessage,
  StoredView,
  WebApiCall,
} from './types.js';
import { readBody, WebApi, type InjectedFault } from './web-api.js';
import { resolveOptions, Workspace, type ResolvedOptions } from './workspace.js';
import { waitFor, type WaitOptions } from './wait-for.js';

export interface EventDelivery {
  eventId: string;
  /** The inner event, e.g. `{ type: 'app_mention', … }`. */
  event: SlackEvent;
  /** The `event_callback` wrapper as delivered; redeliver it with `sendEnvelope` and a retry attempt. */
  payload: Json;
  ack: AckResult;
}

export class FakeSlack {
  readonly apiUrl: string;
  readonly baseUrl: string;
  readonly options: ResolvedOptions;
  /** The workspace state; read it in assertions, the driver also records command replies in it. */
  readonly workspace: Workspace;
  private readonly recordedCalls: WebApiCall[] = [];
  private readonly violations: string[] = [];
  private readonly socketMode: SocketModeServer;
  private readonly webApi: WebApi;
  private stopping: Promise<void> | undefined;
  private browser: BrowserView | undefined;

  /** `port` 0 (the default) takes an ephemeral one; a taken port fails with EADDRINUSE. */
  static async start(options: FakeSlackOptions & { port?: number } = {}): Promise<FakeSlack> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string')
      throw new Error('fake Slack: server has no TCP address');
    return new FakeSlack(server, address.port, resolveOptions(options));
  }

  private constructor(
    private readonly server: Server,
    port: number,
    options: ResolvedOptions,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
    this.options = options;
    this.workspace = new Workspace(options);
    this.socketMode = new SocketModeServer({
      appId: options.appId,
      ackTimeoutMs: options.ackTimeoutMs,
      onAck: (record, payload) => {
        this.checkAckPayload(record, payload);
      },
    });
    this.webApi = new WebApi({
      workspace: this.workspace,
      recordCall: (call) => {
        this.recordedCalls.push(call);
        this.browser?.notifyChange();
      },
      reportViolations: (source, found) => this.reportViolations(source, found),
      // Deferred so the HTTP reply leaves first, as it usually does on Slack.
      emitEvent: (event) => setImmediate(() => void this.sendEvent(event).catch(() => undefined)),
      openSocketUrl: () => `ws://127.0.0.1:${port}/link/?ticket=${this.socketMode.issueTicket()}`,
      uploadUrl: (fileId) => `${this.baseUrl}/upload/v1/${fileId}`,
    });
    server.on('request', (req, res) => void this.onRequest(req, res));
    server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
      this.socketMode.handleUpgrade(req, socket, head);
    });
  }

  /**
   * Serves the browser view (contract.ts) at `/` on this fake's port: the channel, threads,
   * ephemerals, modals and Home tab, with clicks sent as real envelopes.
   */
  enableBrowserView(options: BrowserViewOptions): BrowserView {
    this.browser?.close();
    this.browser = new BrowserView(this, options);
    return this.browser;
  }

  get calls(): readonly WebApiCall[] {
    return this.recordedCalls;
  }

  callsTo(method: string): WebApiCall[] {
    return this.recordedCalls.filter((c) => c.method === method);
  }

  /** Every Block Kit violation seen anywhere, as `<where>: <path>: <actual> > <limit>`. */
  get limitViolations(): readonly string[] {
    return this.violations;
  }

  get connections(): readonly ConnectionRecord[] {
    return this.socketMode.connections;
  }

  get envelopes(): readonly EnvelopeRecord[] {
    return this.socketMode.envelopes;
  }

  get responses(): readonly ResponseUrlPost[] {
    return this.workspace.responses;
  }

  channelMessages(channel: string): StoredMessage[] {
    return this.workspace.channelMessages(channel);
  }

  /** Replies in a thread, without the parent. */
  threadReplies(channel: string, threadTs: string): StoredMessage[] {
    return this.workspace.thread(channel, threadTs).filter((m) => m.ts !== threadTs);
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.workspace.findMessage(channel, ts);
  }

  /** Every file uploaded so far (completed or not), oldest first. */
  get files(): StoredFile[] {
    return [...this.workspace.files.values()];
  }

  /** The files shared in a thread (its parent included), oldest first, with their text. */
  threadFiles(channel: string, threadTs: string): Array<StoredFile & { text: string }> {
    return this.threadReplies(channel, threadTs).flatMap((m) =>
      (m.files ?? []).flatMap((id) => {
        const file = this.workspace.files.get(id);
        return file ? [{ ...file, text: file.content?.toString('utf8') ?? '' }] : [];
      }),
    );
  }

  ephemeralsFor(userId: string): EphemeralMessage[] {
    return this.workspace.ephemerals.filter((e) => e.user === userId && !e.deleted);
  }

  homeView(userId: string): StoredView | undefined {
    return this.workspace.homeView(userId);
  }

  view(viewId: string): StoredView | undefined {
    return this.workspace.views.get(viewId);
  }

  openModals(userId?: string): StoredView[] {
    return this.workspace.openModals(userId);
  }

  isConnected(): boolean {
    return this.socketMode.isConnected();
  }

  /** Resolves once `count` connections have been opened in total (default 1) and one is open. */
  waitForConnection(opts: WaitOptions & { count?: number } = {}): Promise<void> {
    const count = opts.count ?? 1;
    return this.waitFor(
      () => (this.connections.length >= count && this.isConnected() ? true : undefined),
      opts,
    ).then(() => undefined);
  }

  waitFor<T>(probe: () => T | undefined, opts: WaitOptions = {}): Promise<T> {
    return waitFor(probe, opts);
  }

  sendEnvelope(type: EnvelopeType, payload: object, opts: EnvelopeOptions = {}): Promise<AckResult> {
    return this.socketMode.sendEnvelope(type, { ...payload }, opts);
  }

  /** Wraps an event in `event_callback` and delivers it as `events_api`. */
  async sendEvent(
    event: SlackEvent,
    opts: { eventId?: string } & Omit<EnvelopeOptions, 'acceptsResponsePayload'> = {},
  ): Promise<EventDelivery> {
    const eventId = opts.eventId ?? this.workspace.nextId('Ev');
    const payload = eventCallbackPayload(this.workspace, event, eventId);
    const ack = await this.sendEnvelope('events_api', payload, opts);
    return { eventId, event, payload, ack };
  }

  issueTriggerId(userId: string): string {
    return this.workspace.issueTriggerId(userId);
  }

  issueResponseUrl(context: ResponseUrlContext): string {
    return this.workspace.issueResponseUrl(this.baseUrl, context);
  }

  disconnect(reason: DisconnectReason): void {
    this.socketMode.disconnect(reason);
  }

  dropConnection(): void {
    this.socketMode.drop();
  }

  /** Keeps the connection open but reads nothing more from it: a hung Slack that never answers a close frame. */
  stallConnection(): void {
    this.socketMode.stall();
  }

  /** The next call of `method` gets `{ok:false,error}` (HTTP 200 unless `httpStatus` says otherwise). */
  failNext(method: string, error: string, opts: Omit<InjectedFault, 'error'> = {}): void {
    this.webApi.failNext(method, { error, ...opts });
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.browser?.close();
    await this.socketMode.stop();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
      // Keep-alive sockets from the SDKs' fetch would otherwise hold close() open.
      this.server.closeAllConnections();
    });
  }

  private reportViolations(source: string, found: string[]): boolean {
    for (const violation of found) this.violations.push(`${source}: ${violation}`);
    return found.length > 0;
  }

  /** Acks cannot be refused, but blocks inside them are still held to the limits. */
  private checkAckPayload(record: EnvelopeRecord, payload: unknown): void {
    if (!isRecord(payload)) return;
    if (record.type === 'slash_commands' && payload.blocks !== undefined) {
      this.reportViolations(
        'ack(slash_commands)',
        checkBlockKitLimits(payload.blocks, { surface: 'message' }),
      );
    }
    const action = payload.response_action;
    if (record.type === 'interactive' && (action === 'update' || action === 'push')) {
      this.reportViolations(`ack(view_submission ${action})`, checkViewLimits(payload.view));
    }
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', this.baseUrl);
      if (this.browser && (await this.browser.handle(req, res, url))) return;
      if (url.pathname.startsWith('/upload/v1/')) {
        const { status, text } = await handleUpload(
          this.workspace,
          req,
          decodeURIComponent(url.pathname.slice('/upload/v1/'.length)),
        );
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(text);
        this.browser?.notifyChange();
        return;
      }
      const { status, body, headers } = await this.route(req);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ ok: false, error: 'fake_slack_internal_error', detail: String(error) }));
    }
  }

  private async route(
    req: IncomingMessage,
  ): Promise<{ status: number; body: Json; headers?: Record<string, string> }> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (req.method !== 'POST') return { status: 405, body: { ok: false, error: 'method_not_allowed' } };
    if (url.pathname.startsWith('/api/')) return this.webApi.handle(req, url.pathname.slice('/api/'.length));
    if (url.pathname.startsWith('/response/')) {
      const raw = await readBody(req);
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return { status: 400, body: { ok: false, error: 'invalid_payload' } };
      }
      if (!isRecord(body)) return { status: 400, body: { ok: false, error: 'invalid_payload' } };
      const id = url.pathname.slice('/response/'.length);
      const reply = handleResponseUrlPost(
        this.workspace,
        { id, url: `${this.baseUrl}${url.pathname}`, body },
        (found) => this.reportViolations('response_url', found),
      );
      this.browser?.notifyChange();
      return reply;
    }
    return { status: 404, body: { ok: false, error: 'not_found' } };
  }
}
