/** The fake workspace's state: directory, messages, views and the one-shot ids Slack hands out. */
import { randomBytes } from 'node:crypto';
import type {
  EphemeralMessage,
  Json,
  FakeSlackOptions,
  FakeSlackUser,
  ResponseUrlContext,
  ResponseUrlPost,
  StoredFile,
  StoredMessage,
  StoredView,
} from './types.js';

export interface ResolvedOptions {
  botToken: string;
  appToken: string;
  teamId: string;
  appId: string;
  botUserId: string;
  botId: string;
  users: FakeSlackUser[];
  channels: string[];
  nonMemberChannels: string[];
  botScopes: string[] | undefined;
  usergroups: Record<string, string[]>;
  ackTimeoutMs: number;
  echoBotMessages: boolean;
  triggerTtlMs: number;
  now: () => number;
}

const DEFAULT_USERS: FakeSlackUser[] = [
  { id: 'U0OPERATOR', name: 'operator', tz: 'Europe/London', isAdmin: false },
  { id: 'U0VIEWER', name: 'viewer', tz: 'America/New_York', isAdmin: false },
  { id: 'U0ADMIN', name: 'admin', tz: 'UTC', isAdmin: true },
];

export function resolveOptions(options: FakeSlackOptions = {}): ResolvedOptions {
  return {
    botToken: options.botToken ?? 'xoxb-test-bot-token',
    appToken: options.appToken ?? 'xapp-1-A0APP-test-app-token',
    teamId: options.teamId ?? 'T0TEAM',
    appId: options.appId ?? 'A0APP',
    botUserId: options.botUserId ?? 'UBOT',
    botId: options.botId ?? 'B0BOT',
    users: options.users ?? DEFAULT_USERS,
    channels: options.channels ?? ['C0ALERTS'],
    nonMemberChannels: options.nonMemberChannels ?? [],
    botScopes: options.botScopes,
    usergroups: options.usergroups ?? { S0ONCALL: ['U0OPERATOR'] },
    ackTimeoutMs: options.ackTimeoutMs ?? 3000,
    echoBotMessages: options.echoBotMessages ?? true,
    triggerTtlMs: options.triggerTtlMs ?? 3000,
    now: options.now ?? Date.now,
  };
}

// Slack allows each response_url five uses.
const RESPONSE_URL_USES = 5;

interface IssuedTrigger {
  userId: string;
  issuedAt: number;
  used: boolean;
}

export type TriggerCheck =
  { ok: true; userId: string } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

export class Workspace {
  readonly messages: StoredMessage[] = [];
  readonly ephemerals: EphemeralMessage[] = [];
  readonly views = new Map<string, StoredView>();
  readonly responses: ResponseUrlPost[] = [];
  readonly files = new Map<string, StoredFile>();
  private readonly triggers = new Map<string, IssuedTrigger>();
  private readonly responseUrls = new Map<string, { context: ResponseUrlContext; uses: number }>();
  private lastTsMicros = 0;
  private counter = 0;

  constructor(readonly options: ResolvedOptions) {}

  /** Unique, strictly increasing message timestamps in Slack's `seconds.micros` form. */
  nextTs(): string {
    this.lastTsMicros = Math.max(this.options.now() * 1000, this.lastTsMicros + 1);
    const seconds = Math.floor(this.lastTsMicros / 1_000_000);
    return `${seconds}.${String(this.lastTsMicros % 1_000_000).padStart(6, '0')}`;
  }

  nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  user(id: string): FakeSlackUser | undefined {
    return this.options.users.find((u) => u.id === id);
  }

  /** Channels the bot can post to: the configured ones plus a DM with every known user. */
  resolveChannel(id: string): string | undefined {
    if (this.options.channels.includes(id)) return id;
    if (id.startsWith('D') && this.user(`U${id.slice(1)}`)) return id;
    if (this.user(id)) return this.dmChannelFor(id);
    return undefined;
  }

  dmChannelFor(userId: string): string {
    return `D${userId.slice(1)}`;
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
  }

  /** Top-level messages of a channel, oldest first. */
  channelMessages(channel: string): StoredMessage[] {
    return this.messages.filter((m) => m.channel === channel && !m.deleted && (m.threadTs ?? m.ts) === m.ts);
  }

  /** The parent and its replies, oldest first (conversations.replies order). */
  thread(channel: string, threadTs: string): StoredMessage[] {
    return this.messages.filter(
      (m) => m.channel === channel && !m.deleted && (m.ts === threadTs || m.threadTs === threadTs),
    );
  }

  homeView(userId: string): StoredView | undefined {
    return [...this.views.values()].find((v) => v.type === 'home' && v.userId === userId);
  }

  openModals(userId?: string): StoredView[] {
    return [...this.views.values()].filter(
      (v) => v.type === 'modal' && v.open && (userId === undefined || v.userId === userId),
    );
  }

  newViewHash(): string {
    return `${Math.floor(this.options.now() / 1000)}.${randomBytes(6).toString('hex')}`;
  }

  /** Opens a modal for the user: on top of `parent` (views.push) or as a fresh stack (views.open). */
  addModal(userId: string, view: Json, parent?: StoredView): StoredView {
    // views.open starts a fresh stack: whatever the user had open is replaced.
    if (!parent) for (const modal of this.openModals(userId)) modal.open = false;
    const id = this.nextId('V');
    const stored: StoredView = {
      id,
      userId,
      type: 'modal',
      view,
      hash: this.newViewHash(),
      open: true,
      rootViewId: parent?.rootViewId ?? id,
      previousViewId: parent?.id ?? null,
    };
    this.views.set(id, stored);
    return stored;
  }

  issueTriggerId(userId: string): string {
    const id = `${this.options.now()}.${this.counter}.${randomBytes(8).toString('hex')}`;
    this.counter += 1;
    this.triggers.set(id, { userId, issuedAt: this.options.now(), used: false });
    return id;
  }

  /** trigger_ids are single-use and expire; checking one spends it. */
  consumeTriggerId(id: string): TriggerCheck {
    const trigger = this.triggers.get(id);
    if (!trigger) return { ok: false, reason: 'unknown' };
    if (trigger.used) return { ok: false, reason: 'used' };
    trigger.used = true;
    if (this.options.now() - trigger.issuedAt > this.options.triggerTtlMs)
      return { ok: false, reason: 'expired' };
    return { ok: true, userId: trigger.userId };
  }

  issueResponseUrl(baseUrl: string, context: ResponseUrlContext): string {
    const id = randomBytes(12).toString('hex');
    this.responseUrls.set(id, { context, uses: 0 });
    return `${baseUrl}/response/${id}`;
  }

  /** Spends one use of a response_url; `used_url` once its uses are gone, undefined if never issued. */
  useResponseUrl(id: string): { context: ResponseUrlContext; error?: 'used_url' } | undefined {
    const entry = this.responseUrls.get(id);
    if (!entry) return undefined;
    if (entry.uses >= RESPONSE_URL_USES) return { context: entry.context, error: 'used_url' };
    entry.uses += 1;
    return { context: entry.context };
  }
}
