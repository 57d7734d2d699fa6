/**
 * A fake Auth0 tenant over real HTTP on 127.0.0.1: /oauth/token, the Management API subset the
 * app uses, and /.well-known/jwks.json, so the real `auth0` SDK runs unmodified against it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AccessTokens } from './access-tokens.js';
import type { IpBlocks } from './anomaly.js';
import type { ClientRecord, ClientRegistry } from './clients.js';
import type { CustomDomains } from './custom-domains.js';
import { Faults, type FailSpec, type MalformedSpec } from './faults.js';
import { clientIp, parseBody, readBody, recordedHeaders } from './http.js';
import type { SigningKeys } from './keys.js';
import type { LogStore } from './log-store.js';
import { ManagementApi } from './management-api.js';
import { PLAN_RATE_LIMITS, RateLimiter } from './rate-limit.js';
import { fetchVia } from './sdk-fetch.js';
import { createTenant, type Tenant } from './tenant.js';
import { handleTokenRequest } from './token-endpoint.js';
import { TrafficGenerator } from './traffic.js';
import type {
  ClientSpec,
  FakeAuth0Options,
  LogEntry,
  LogEntryInput,
  RateLimitSettings,
  RecordedRequest,
  Reply,
} from './types.js';

export class FakeAuth0 {
  readonly baseUrl: string;
  readonly domain: string;
  readonly now: () => number;
  readonly logs: LogStore;
  readonly clients: ClientRegistry;
  readonly tokens: AccessTokens;
  readonly keys: SigningKeys;
  readonly customDomains: CustomDomains;
  readonly ipBlocks: IpBlocks;
  readonly faults = new Faults();
  readonly rateLimiter: RateLimiter;
  readonly traffic: TrafficGenerator;
  private readonly tenant: Tenant;
  private readonly api: ManagementApi;
  private readonly recorded: RecordedRequest[] = [];
  private stopping: Promise<void> | undefined;

  static async start(options: FakeAuth0Options = {}): Promise<FakeAuth0> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string')
      throw new Error('fake Auth0: server has no TCP address');
    return new FakeAuth0(server, address.port, options);
  }

  private constructor(
    private readonly server: Server,
    port: number,
    options: FakeAuth0Options,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
    const tenant = createTenant(options);
    this.tenant = tenant;
    this.domain = tenant.domain;
    this.now = tenant.now;
    this.logs = tenant.logs;
    this.clients = tenant.clients;
    this.tokens = tenant.tokens;
    this.keys = tenant.keys;
    this.customDomains = tenant.customDomains;
    this.ipBlocks = tenant.ipBlocks;
    const limits = { ...PLAN_RATE_LIMITS[options.plan ?? 'essentials'], ...options.rateLimits };
    this.rateLimiter = new RateLimiter(limits, this.now);
    this.api = new ManagementApi(tenant, this.rateLimiter, { logRateLimits: options.logRateLimits ?? true });
    this.traffic = new TrafficGenerator({
      seed: options.seed ?? 1,
      now: tenant.now,
      domain: tenant.domain,
      append: (entries) => tenant.logs.append(entries),
      clients: () => tenant.clients.list(),
      blockIp: (ip) => {
        tenant.ipBlocks.block(ip);
      },
      rotateSigningKey: () => tenant.keys.rotate(),
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      // A caller that aborts mid-body makes readBody reject; there is nobody left to answer.
      this.onRequest(req, res).catch(() => res.destroy());
    });
  }

  /** A `fetch` for the SDK's `fetch` option: `https://<domain>/…` goes to this server instead. */
  get fetch(): typeof fetch {
    return fetchVia(this.baseUrl);
  }

  /** The issuer of tenant tokens and the `aud` of client assertions: `https://<domain>/`. */
  get issuer(): string {
    return `https://${this.domain}/`;
  }

  get requests(): readonly RecordedRequest[] {
    return this.recorded;
  }

  requestsTo(pathPrefix: string, method?: string): RecordedRequest[] {
    return this.recorded.filter(
      (r) => r.path.startsWith(pathPrefix) && (method === undefined || r.method === method),
    );
  }

  addClient(spec: ClientSpec): ClientRecord {
    return this.clients.add(spec);
  }

  /** A Management API token for a registered client, for SDK clients built with `{token}`. */
  issueToken(clientId: string): string {
    const client = this.clients.get(clientId);
    if (client === undefined) throw new Error(`fake Auth0: no client ${clientId}`);
    const caller = { clientId, clientName: client.name, scopes: client.scopes };
    return this.tokens.issue(caller, this.tenant.tokenLifetimeSeconds).token;
  }

  appendLogs(entries: readonly LogEntryInput[]): LogEntry[] {
    return this.logs.append(entries);
  }

  /** Stores objects verbatim (missing fields, wrong types) to test a log parser; returns their ids. */
  appendRaw(objects: readonly unknown[]): string[] {
    return this.logs.appendRaw(objects);
  }

  logCount(): number {
    return this.logs.count();
  }

  /** The previous secret keeps working this long after a rotation or a PATCH. */
  setSecretPropagation(ms: number): void {
    this.clients.propagationMs = ms;
  }

  /** `/oauth/token` answers 429 "Client quota exceeded" for this client until restored. */
  exhaustClientQuota(clientId: string, opts: { retryAfterSeconds?: number; perHour?: number } = {}): void {
    const retryAfterSeconds = opts.retryAfterSeconds ?? 60;
    const header = `b=per_hour;q=${opts.perHour ?? 100};r=0;t=${retryAfterSeconds}`;
    this.tenant.exhaustedQuotas.set(clientId, { retryAfterSeconds, header });
  }

  restoreClientQuota(clientId: string): void {
    this.tenant.exhaustedQuotas.delete(clientId);
  }

  /** Changes plan limits at runtime; changed buckets start full. */
  setRateLimits(settings: Partial<RateLimitSettings>): void {
    this.rateLimiter.setLimits(settings);
  }

  /** How many Management API requests were answered 429. */
  get rateLimitedCount(): number {
    return this.rateLimiter.rejections;
  }

  failNext(pathPrefix: string, spec: FailSpec): void {
    this.faults.failNext(pathPrefix, spec);
  }

  setLatency(pathPrefix: string, ms: number): void {
    this.faults.setLatency(pathPrefix, ms);
  }

  hang(pathPrefix: string): void {
    this.faults.hang(pathPrefix);
  }

  release(pathPrefix: string): void {
    this.faults.release(pathPrefix);
  }

  malformedNext(pathPrefix: string, spec?: MalformedSpec): void {
    this.faults.malformedNext(pathPrefix, spec);
  }

  outage(spec: { status?: number; body?: unknown } = {}): void {
    this.faults.outage(spec);
  }

  restore(): void {
    this.faults.restore();
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.traffic.stopBackground();
    this.faults.stop();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
      // Keep-alive sockets from the SDK's fetch would otherwise hold close() open.
      this.server.closeAllConnections();
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const parsed = parseBody(await readBody(req), req.headers['content-type']);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: recordedHeaders(req.headers),
      body: parsed.ok ? parsed.value : parsed.raw,
      status: 0,
      at: this.now(),
    };
    this.recorded.push(record);
    let reply: Reply;
    try {
      const intercepted = await this.faults.intercept(url.pathname);
      if (intercepted === 'drop') {
        res.destroy();
        return;
      }
      reply = intercepted ?? (await this.dispatch(req, url, parsed));
    } catch (error) {
      reply = {
        status: 500,
        body: { statusCode: 500, error: 'Internal Server Error', message: `fake Auth0: ${String(error)}` },
      };
    }
    record.status = reply.status;
    this.write(res, reply);
  }

  private async dispatch(
    req: IncomingMessage,
    url: URL,
    parsed: ReturnType<typeof parseBody>,
  ): Promise<Reply> {
    const method = req.method ?? 'GET';
    const ip = clientIp(req);
    if (url.pathname === '/oauth/token' && method === 'POST') {
      const body = parsed.ok ? parsed.value : undefined;
      return handleTokenRequest(this.tenant, { body, headers: req.headers, ip });
    }
    if (url.pathname === '/.well-known/jwks.json' && method === 'GET')
      return { status: 200, body: await this.keys.jwks() };
    if (!url.pathname.startsWith('/api/v2/'))
      return { status: 404, body: { error: 'not_found', error_description: url.pathname } };
    if (!parsed.ok)
      return {
        status: 400,
        body: { statusCode: 400, error: 'Bad Request', message: 'Invalid request payload JSON format' },
      };
    const ctx = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: parsed.value,
      params: {},
      ip,
    };
    return this.api.handle(ctx);
  }

  private write(res: ServerResponse, reply: Reply): void {
    if (res.destroyed) return;
    // The tenant's clock, not the host's: a test can put it out of step (clock skew).
    const date = new Date(this.now()).toUTCString();
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      date,
      ...reply.headers,
    };
    if (reply.status === 204 || (reply.body === undefined && reply.raw === undefined)) {
      res.writeHead(reply.status, { date, ...reply.headers });
      res.end();
      return;
    }
    res.writeHead(reply.status, headers);
    res.end(reply.raw ?? JSON.stringify(reply.body));
  }
}
