/**
 * Deterministic tenant traffic: realistic background (mostly `s`, ~6 % failed logins, `seccft`
 * for registered M2M clients, a few admin operations) and named incident scenarios. The same
 * seed and the same calls give the same entries.
 */
import type { ClientRecord, Result } from './clients.js';
import { toMillis, type Now } from './clock.js';
import { SeededRandom } from './random.js';
import { makeActors, type Actor } from './traffic-catalog.js';
import { adminOperation, loginFailure, loginSuccess, m2mToken, type EventContext } from './traffic-events.js';
import { TrafficScenarios } from './traffic-scenarios.js';
import type { LogEntry, LogEntryInput } from './types.js';

export interface TrafficDeps {
  seed: number;
  now: Now;
  domain: string;
  append(entries: LogEntryInput[]): LogEntry[];
  clients(): ClientRecord[];
  blockIp(ip: string): void;
  rotateSigningKey(): Promise<Result<{ kid: string; cert: string }>>;
}

export interface BackgroundOptions {
  perMinute?: number;
}

export interface GenerateOptions extends BackgroundOptions {
  minutes: number;
  /** Start of the window (default: `minutes` before now, so the window ends now). */
  start?: number | string | Date;
}

type BackgroundKind = 's' | 'fp' | 'fu' | 'f' | 'seccft' | 'sapi' | 'mgmt_api_read';

/** Failed logins are 5 of every 80 logins (~6 %); the rest is M2M and admin noise. */
const BACKGROUND_MIX: readonly (readonly [BackgroundKind, number])[] = [
  ['s', 75],
  ['fp', 3],
  ['fu', 1.5],
  ['f', 0.5],
  ['seccft', 15],
  ['sapi', 0.5],
  ['mgmt_api_read', 0.5],
];

const DEFAULT_PER_MINUTE = 60;

export class TrafficGenerator extends TrafficScenarios {
  private cursor: number;
  private tickCarry = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(deps: TrafficDeps) {
    const random = new SeededRandom(deps.seed);
    super(deps, random, makeActors(random, 60));
    this.cursor = deps.now();
  }

  /** Background traffic for the next `ms` of simulated time, continuing where the last tick ended. */
  tick(ms: number, opts: BackgroundOptions = {}): LogEntry[] {
    const exact = ((opts.perMinute ?? DEFAULT_PER_MINUTE) * ms) / 60_000 + this.tickCarry;
    const count = Math.floor(exact);
    this.tickCarry = exact - count;
    const start = this.cursor;
    this.cursor += ms;
    return this.appendSorted(this.spread(start, ms, count).map((date) => this.backgroundEvent(date)));
  }

  /** Background traffic over a window of whole minutes, e.g. a backlog that ends now. */
  generate(opts: GenerateOptions): LogEntry[] {
    const durationMs = opts.minutes * 60_000;
    const start = opts.start === undefined ? this.deps.now() - durationMs : toMillis(opts.start);
    const count = Math.round((opts.perMinute ?? DEFAULT_PER_MINUTE) * opts.minutes);
    return this.appendSorted(this.spread(start, durationMs, count).map((date) => this.backgroundEvent(date)));
  }

  /** Appends background entries dated `now()` on a real-time timer until `stopBackground()`. */
  startBackground(opts: { perSecond?: number; intervalMs?: number } = {}): void {
    this.stopBackground();
    const intervalMs = opts.intervalMs ?? 250;
    const perTick = ((opts.perSecond ?? 5) * intervalMs) / 1000;
    let carry = 0;
    this.timer = setInterval(() => {
      carry += perTick;
      const count = Math.floor(carry);
      carry -= count;
      const at = this.deps.now();
      this.appendSorted(Array.from({ length: count }, () => this.backgroundEvent(at)));
    }, intervalMs);
    this.timer.unref();
  }

  stopBackground(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private backgroundEvent(date: number): LogEntryInput {
    const ctx: EventContext = { domain: this.deps.domain, random: this.random };
    const m2m = this.m2mClients();
    const mix = BACKGROUND_MIX.filter(([kind]) => kind !== 'seccft' || m2m.length > 0);
    const kind = this.random.weighted(mix);
    const actor: Actor = this.random.pick(this.actors);
    const app = this.random.pick(this.loginApps());
    switch (kind) {
      case 's':
        return loginSuccess(ctx, date, actor, app);
      case 'seccft': {
        const client = this.random.pick(m2m);
        return m2mToken(ctx, date, client, this.ipOf(client));
      }
      case 'sapi':
        return adminOperation(ctx, date, {
          type: 'sapi',
          method: 'PATCH',
          path: `/api/v2/users/${encodeURIComponent(actor.userId)}`,
          description: 'Update a user',
        });
      case 'mgmt_api_read':
        // The tenant's deploy pipeline reading a client it manages: ordinary. A person reading a
        // secret is not ordinary traffic (it is a finding: scenarios add it on purpose).
        return adminOperation(ctx, date, {
          type: 'mgmt_api_read',
          method: 'GET',
          path: `/api/v2/clients/${app.clientId}`,
          machine: { clientId: 'DeployPipeline0000000001', name: 'acme-deploy-pipeline' },
        });
      default:
        return loginFailure(ctx, date, kind, actor, app);
    }
  }
}
