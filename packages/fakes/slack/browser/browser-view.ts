/**
 * The fake Slack's browser view: a page on the fake's own port that shows the alert channel, its
 * threads, the current user's ephemerals and modals and the App Home tab, and turns clicks into
 * the real Socket Mode envelopes the SlackDriver sends (see contract.ts for the routes).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { FakeSlack } from '../fake-slack.js';
import { isRecord } from '../method-context.js';
import { SlackDriver } from '../slack-driver.js';
import type { StoredMessage } from '../types.js';
import type {
  BrowserState,
  ClickRequest,
  CloseRequest,
  CommandRequest,
  HomeRequest,
  ReplyRequest,
  SubmitRequest,
  UiFile,
  UiMessage,
  UiResult,
  UiScenario,
} from './contract.js';

interface ScenarioControls {
  list(): UiScenario[];
  /** Runs one; resolves with a line for the user, rejects with a reason they can act on. */
  run(name: string): Promise<string>;
  /** Status lines shown above the scenarios. */
  notes(): string[];
}

export interface BrowserViewOptions {
  /** The slash command the page's command box sends, e.g. '/auth0'. */
  command: string;
  /** The channel the page shows (default: the fake's first channel). */
  channelId?: string;
  channelName?: string;
  teamName?: string;
  botName?: string;
  /** Users offered in the switcher, in order, with the role shown next to their name. */
  users?: Array<{ id: string; role: string }>;
  scenarios?: ScenarioControls;
}

const CLIENT_DIR = fileURLToPath(new URL('./client/', import.meta.url));
const MAX_BODY_BYTES = 64 * 1024;
const HEARTBEAT_MS = 15_000;
const CONNECTION_CHECK_MS = 1000;
const SECURITY_HEADERS = {
  // Nothing on the page comes from anywhere but this server; an injected script would not run.
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

class BadRequest extends Error {}

export class BrowserView {
  private readonly driver: SlackDriver;
  private readonly channelId: string;
  private readonly streams = new Set<ServerResponse>();
  private readonly compiled = new Map<string, { mtimeMs: number; code: string }>();
  private version = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private lastConnected = false;
  private ticks = 0;

  constructor(
    private readonly fake: FakeSlack,
    private readonly options: BrowserViewOptions,
  ) {
    this.channelId = options.channelId ?? fake.options.channels[0] ?? 'C0ALERTS';
    this.driver = new SlackDriver(fake, { command: options.command, channelId: this.channelId });
  }

  /** Something in the workspace changed: open pages re-read their state (coalesced). */
  notifyChange(): void {
    this.version += 1;
    if (this.flushTimer !== undefined || this.streams.size === 0) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.broadcast(`event: change\ndata: ${JSON.stringify({ version: this.version })}\n\n`);
    }, 30);
  }

  close(): void {
    clearTimeout(this.flushTimer);
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const stream of this.streams) stream.end();
    this.streams.clear();
  }

  /** Answers the page's routes; false for anything else. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    if (req.method === 'GET') {
      if (path === '/' || path === '/index.html') return this.file(res, 'index.html', 'text/html');
      if (path === '/ui/app.css') return this.file(res, 'app.css', 'text/css');
      if (path === '/ui/state') return this.state(res, url.searchParams.get('user'));
      if (path === '/ui/events') return this.events(req, res);
      const script = /^\/ui\/([a-z][a-z0-9-]*)\.js$/.exec(path);
      if (script?.[1] !== undefined) return this.script(res, script[1]);
      return false;
    }
    if (req.method !== 'POST' || !path.startsWith('/ui/')) return false;
    let result: UiResult;
    let status = 200;
    try {
      const body = await readJson(req);
      result = await this.post(path.slice('/ui/'.length), body);
    } catch (error) {
      status = error instanceof BadRequest ? 400 : 500;
      result = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    if (!result.ok && status === 200) status = 400;
    this.notifyChange();
    send(res, status, 'application/json', JSON.stringify(result));
    return true;
  }

  private async post(route: string, body: Record<string, unknown>): Promise<UiResult> {
    if (route.startsWith('scenarios/')) return this.scenario(route.slice('scenarios/'.length));
    const user = this.requireUser(body.user);
    switch (route) {
      case 'click':
        return this.click(user, body);
      case 'command': {
        const req: CommandRequest = { user, text: requireString(body, 'text', { allowEmpty: true }) };
        const result = await this.driver.command(req.user, req.text.trim(), { channelId: this.channelId });
        return result.ack.acked ? { ok: true } : { ok: false, error: 'the app did not acknowledge in 3 s' };
      }
      case 'submit':
        return this.submit(user, body);
      case 'close': {
        const req: CloseRequest = { user, viewId: requireString(body, 'viewId') };
        const view = this.fake.view(req.viewId);
        if (!view || view.userId !== req.user || !view.open)
          return { ok: false, error: `no open modal ${req.viewId}` };
        view.open = false;
        return { ok: true };
      }
      case 'home': {
        const req: HomeRequest = { user };
        const delivery = await this.driver.openHome(req.user);
        return delivery.ack.acked ? { ok: true } : { ok: false, error: 'the app did not acknowledge' };
      }
      case 'reply': {
        const req: ReplyRequest = { user, text: this.withMentions(requireString(body, 'text')) };
        const threadTs = optionalString(body, 'threadTs');
        if (threadTs !== undefined) {
          await this.driver.postInThread(req.user, this.channelId, threadTs, req.text);
        } else {
          await this.driver.postMessage(req.user, this.channelId, req.text);
        }
        return { ok: true };
      }
      default:
        throw new BadRequest(`unknown route /ui/${route}`);
    }
  }

  private async click(user: string, body: Record<string, unknown>): Promise<UiResult> {
    const req: ClickRequest = {
      user,
      actionId: requireString(body, 'actionId'),
      ...optionalFields(body, ['value', 'channel', 'ts', 'viewId']),
    };
    const value = req.value === undefined ? {} : { value: req.value };
    let target: Parameters<SlackDriver['clickButton']>[1];
    if (req.viewId !== undefined) target = { actionId: req.actionId, viewId: req.viewId, ...value };
    else if (req.channel !== undefined && req.ts !== undefined)
      target = { actionId: req.actionId, channelId: req.channel, messageTs: req.ts, ...value };
    else throw new BadRequest('a click names a viewId, or a channel and ts');
    const result = await this.driver.clickButton(req.user, target).catch((error: unknown) => {
      throw new BadRequest(error instanceof Error ? error.message : String(error));
    });
    return result.ack.acked ? { ok: true } : { ok: false, error: 'the app did not acknowledge in 3 s' };
  }

  private async submit(user: string, body: Record<string, unknown>): Promise<UiResult> {
    const values = body.values ?? {};
    if (!isRecord(values)) throw new BadRequest('values must be an object of block_id -> action_id -> value');
    const parsed: SubmitRequest['values'] = {};
    for (const [blockId, actions] of Object.entries(values)) {
      if (!isRecord(actions)) throw new BadRequest(`values.${blockId} must be an object`);
      const block: Record<string, string | string[]> = {};
      for (const [actionId, value] of Object.entries(actions)) {
        const ok =
          typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
        if (!ok) throw new BadRequest(`values.${blockId}.${actionId} must be a string or a list of strings`);
        block[actionId] = value;
      }
      parsed[blockId] = block;
    }
    const req: SubmitRequest = { user, viewId: requireString(body, 'viewId'), values: parsed };
    const stored = this.fake.view(req.viewId);
    if (!stored || stored.type !== 'modal' || !stored.open || stored.userId !== req.user)
      return { ok: false, error: `no open modal ${req.viewId}` };
    const { outcome } = await this.driver.submitView(req.user, req.viewId, req.values);
    if (outcome.kind === 'not_acked') return { ok: false, error: 'the app did not acknowledge in 3 s' };
    if (outcome.kind === 'errors') return { ok: true, errors: outcome.errors };
    return { ok: true };
  }

  private async scenario(name: string): Promise<UiResult> {
    const controls = this.options.scenarios;
    if (!controls) throw new BadRequest('this workspace has no scenario controls');
    if (!controls.list().some((s) => s.name === name)) throw new BadRequest(`unknown scenario "${name}"`);
    try {
      return { ok: true, message: await controls.run(name) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** As Slack's own clients do on send: a typed `@name` of the bot or a user becomes `<@ID>`. */
  private withMentions(text: string): string {
    const { workspace } = this.fake;
    const names = new Map<string, string>([
      [(this.options.botName ?? 'app').toLowerCase(), workspace.options.botUserId],
      ...workspace.options.users.map((u): [string, string] => [u.name.toLowerCase(), u.id]),
    ]);
    return text.replace(/@([\w.-]+)/g, (typed, name: string) => {
      const id = names.get(name.toLowerCase());
      return id === undefined ? typed : `<@${id}>`;
    });
  }

  private requireUser(value: unknown): string {
    if (typeof value !== 'string' || this.fake.workspace.user(value) === undefined)
      throw new BadRequest(`unknown user ${JSON.stringify(value)}`);
    return value;
  }

  private state(res: ServerResponse, requested: string | null): boolean {
    const users = this.switcherUsers();
    const currentUser =
      requested !== null && users.some((u) => u.id === requested) ? requested : (users[0]?.id ?? '');
    const { workspace } = this.fake;
    const home = workspace.homeView(currentUser);
    const state: BrowserState = {
      version: this.version,
      team: { id: workspace.options.teamId, name: this.options.teamName ?? 'Fake workspace' },
      bot: { userId: workspace.options.botUserId, name: this.options.botName ?? 'app' },
      appConnected: this.fake.isConnected(),
      currentUser,
      users,
      channel: {
        id: this.channelId,
        name: this.options.channelName ?? this.channelId.toLowerCase(),
        messages: workspace.channelMessages(this.channelId).map((m) =>
          this.uiMessage(
            m,
            workspace.thread(this.channelId, m.ts).filter((r) => r.ts !== m.ts),
          ),
        ),
      },
      ephemerals: workspace.ephemerals
        .filter((e) => e.user === currentUser && e.channel === this.channelId && !e.deleted)
        .map((e) => ({
          ts: e.messageTs,
          channel: e.channel,
          ...(e.threadTs !== undefined ? { threadTs: e.threadTs } : {}),
          ...(e.text !== undefined ? { text: e.text } : {}),
          ...(e.blocks !== undefined ? { blocks: e.blocks } : {}),
        })),
      modals: workspace.openModals(currentUser).map((v) => ({ id: v.id, view: v.view })),
      ...(home ? { home: { id: home.id, view: home.view } } : {}),
      command: this.options.command,
      scenarios: this.options.scenarios?.list() ?? [],
      notes: this.options.scenarios?.notes() ?? [],
    };
    send(res, 200, 'application/json', JSON.stringify(state));
    return true;
  }

  private switcherUsers(): BrowserState['users'] {
    const { workspace } = this.fake;
    const chosen = this.options.users ?? workspace.options.users.map((u) => ({ id: u.id, role: 'member' }));
    return chosen.flatMap(({ id, role }) => {
      const user = workspace.user(id);
      return user ? [{ id, name: user.name, role }] : [];
    });
  }

  private uiMessage(message: StoredMessage, replies: StoredMessage[] = []): UiMessage {
    const { workspace } = this.fake;
    const isBot = message.botId !== undefined;
    const counts = new Map<string, number>();
    for (const r of message.reactions) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
    return {
      ts: message.ts,
      user: message.user,
      userName: isBot
        ? (this.options.botName ?? 'app')
        : (workspace.user(message.user)?.name ?? message.user),
      isBot,
      ...(message.text !== undefined ? { text: message.text } : {}),
      ...(message.blocks !== undefined ? { blocks: message.blocks } : {}),
      edited: message.edits > 0,
      reactions: [...counts].map(([name, count]) => ({ name, count })),
      ...(message.files !== undefined ? { files: this.uiFiles(message.files) } : {}),
      replies: replies.map((r) => this.uiMessage(r)),
    };
  }

  private uiFiles(ids: readonly string[]): UiFile[] {
    return ids.flatMap((id) => {
      const file = this.fake.workspace.files.get(id);
      if (!file) return [];
      // Bounded: the state is sent on every change, and a page only needs to show a document.
      const text = file.content?.toString('utf8') ?? '';
      return [
        {
          id,
          name: file.name,
          title: file.title ?? file.name,
          size: file.content?.length ?? 0,
          text: text.length > 200_000 ? `${text.slice(0, 200_000)}\n…` : text,
        },
      ];
    });
  }

  private events(req: IncomingMessage, res: ServerResponse): boolean {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    res.write(`retry: 1000\nevent: change\ndata: ${JSON.stringify({ version: this.version })}\n\n`);
    this.streams.add(res);
    req.on('close', () => this.streams.delete(res));
    // Heartbeats keep proxies and the browser from timing the stream out; the same tick notices
    // the app connecting or dropping its socket, which no Web API call would announce.
    this.heartbeat ??= setInterval(() => {
      const connected = this.fake.isConnected();
      if (connected !== this.lastConnected) {
        this.lastConnected = connected;
        this.notifyChange();
      }
      this.ticks += 1;
      if (this.ticks % (HEARTBEAT_MS / CONNECTION_CHECK_MS) === 0) this.broadcast(': heartbeat\n\n');
    }, CONNECTION_CHECK_MS);
    this.heartbeat.unref();
    return true;
  }

  private broadcast(frame: string): void {
    for (const stream of this.streams) stream.write(frame);
  }

  private file(res: ServerResponse, name: string, type: string): boolean {
    send(res, 200, type, readFileSync(`${CLIENT_DIR}${name}`));
    return true;
  }

  /** The page's modules, compiled from the TypeScript next to this file on first request. */
  private script(res: ServerResponse, name: string): boolean {
    const source = `${CLIENT_DIR}${name}.ts`;
    if (!existsSync(source)) return false;
    const { mtimeMs } = statSync(source);
    let cached = this.compiled.get(name);
    if (cached?.mtimeMs !== mtimeMs) {
      const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
        fileName: source,
        compilerOptions: {
          target: ts.ScriptTarget.ES2023,
          module: ts.ModuleKind.ES2022,
          verbatimModuleSyntax: true,
          sourceMap: false,
        },
      });
      cached = { mtimeMs, code: outputText };
      this.compiled.set(name, cached);
    }
    send(res, 200, 'text/javascript', cached.code);
    return true;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': `${type}; charset=utf-8` });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json'))
    throw new BadRequest('send JSON (content-type: application/json)');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(`body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  let parsed: unknown;
  try {
    parsed = raw === '' ? {} : JSON.parse(raw);
  } catch {
    throw new BadRequest('body is not valid JSON');
  }
  if (!isRecord(parsed)) throw new BadRequest('body must be a JSON object');
  return parsed;
}

function requireString(
  body: Record<string, unknown>,
  key: string,
  opts: { allowEmpty?: boolean } = {},
): string {
  const value = body[key];
  if (typeof value !== 'string' || (!opts.allowEmpty && value.trim() === ''))
    throw new BadRequest(`${key} must be a non-empty string`);
  return value;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new BadRequest(`${key} must be a string`);
  return value;
}

function optionalFields<K extends string>(
  body: Record<string, unknown>,
  keys: readonly K[],
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = optionalString(body, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
