/** Incident scenarios on top of the background traffic; each returns the entries it appended. */
import { toMillis } from './clock.js';
import type { SeededRandom } from './random.js';
import {
  DATABASE_CONNECTION,
  DEFAULT_LOGIN_APPS,
  randomIp,
  type Actor,
  type App,
  type Connection,
} from './traffic-catalog.js';
import {
  actionFailure,
  adminOperation,
  attackEntry,
  codeExchangeFailure,
  loginFailure,
  loginSuccess,
  m2mFailure,
  rateLimitEntry,
  type ActionsErrorClass,
  type AttackCode,
  type EventContext,
  type LoginFailure,
} from './traffic-events.js';
import type { TrafficDeps } from './traffic.js';
import type { LogEntry, LogEntryInput } from './types.js';

type When = number | string | Date;

export interface BurstOptions {
  perMinute: number;
  minutes: number;
  /** Default: the window ends now. */
  start?: When;
}

const FAILURE_KINDS: readonly (readonly [LoginFailure, number])[] = [
  ['fp', 70],
  ['fu', 25],
  ['f', 5],
];

export abstract class TrafficScenarios {
  private readonly clientIps = new Map<string, string>();

  protected constructor(
    protected readonly deps: TrafficDeps,
    protected readonly random: SeededRandom,
    protected readonly actors: readonly Actor[],
  ) {}

  /** `ratio` of each minute's logins fail (fp/fu/f) on one connection; the rest succeed. */
  failedLoginSpike(opts: BurstOptions & { ratio: number; connection?: string }): LogEntry[] {
    const connection = this.connectionNamed(opts.connection);
    return this.appendSorted(
      this.burst(opts, (date, index) => {
        const actor = this.random.pick(this.actors);
        const app = this.random.pick(this.loginApps());
        const failed = index < Math.round(opts.perMinute * opts.ratio);
        if (!failed) return loginSuccess(this.ctx(), date, { ...actor, connection }, app);
        return loginFailure(this.ctx(), date, this.random.weighted(FAILURE_KINDS), actor, app, connection);
      }),
    );
  }

  /** A consumer keeps presenting a stale secret: a burst of `feccft` for one client_id. */
  m2mSecretBroken(clientId: string, opts: BurstOptions): LogEntry[] {
    const client = { clientId, name: this.deps.clients().find((c) => c.clientId === clientId)?.name ?? '' };
    const ip = this.ipOf(client);
    return this.appendSorted(
      this.burst(opts, (date) => m2mFailure(this.ctx(), date, client, ip, 'Invalid client_secret')),
    );
  }

  /**
   * Each minute: one `api_limit_warning` and `perMinute` (default 5) `api_limit` entries, by `client`
   * (default: the first M2M client, or the one named).
   */
  apiLimit(opts: {
    minutes: number;
    perMinute?: number;
    start?: When;
    path?: string;
    clientName?: string;
  }): LogEntry[] {
    const named =
      opts.clientName === undefined ? undefined : this.m2mClients().find((c) => c.name === opts.clientName);
    const client = named ??
      this.m2mClients()[0] ?? {
        clientId: 'SyNcWoRkErCl1eNt000000000000000',
        name: 'acme-sync-worker',
      };
    const path = opts.path ?? '/api/v2/users';
    const perMinute = (opts.perMinute ?? 5) + 1;
    return this.appendSorted(
      this.burst({ ...opts, perMinute }, (date, index) =>
        rateLimitEntry(this.ctx(), date, index === 0, path, client),
      ),
    );
  }

  /** `count` attack-protection entries from `ip`; `limit_mu` also blocks the IP in the tenant. */
  attackProtection(opts: { ip: string; code: AttackCode; count: number; start?: When }): LogEntry[] {
    if (opts.code === 'limit_mu') this.deps.blockIp(opts.ip);
    const build = (date: number) =>
      attackEntry(
        this.ctx(),
        date,
        opts.code,
        opts.ip,
        this.random.pick(this.actors),
        this.random.pick(this.loginApps()),
      );
    return this.appendSorted(this.burst({ perMinute: opts.count, minutes: 1, start: opts.start }, build));
  }

  actionsFailures(opts: BurstOptions & { errorClass: ActionsErrorClass; actionName?: string }): LogEntry[] {
    const actionName = opts.actionName ?? 'Enrich profile with CRM roles';
    const build = (date: number) =>
      actionFailure(this.ctx(), date, {
        errorClass: opts.errorClass,
        actionName,
        actor: this.random.pick(this.actors),
        app: this.random.pick(this.loginApps()),
      });
    return this.appendSorted(this.burst(opts, build));
  }

  /** Really rotates the signing key (a `sapi` at the window start), then a burst of `feacft`. */
  async signingKeyRotatedThenFailures(opts: Partial<BurstOptions> = {}): Promise<LogEntry[]> {
    const burst = { perMinute: opts.perMinute ?? 20, minutes: opts.minutes ?? 5, start: opts.start };
    const rotated = await this.deps.rotateSigningKey();
    if (!rotated.ok) throw new Error(`fake Auth0: signing key rotation refused: ${rotated.message}`);
    const start =
      burst.start === undefined ? this.deps.now() - burst.minutes * 60_000 : toMillis(burst.start);
    const sapi = adminOperation(this.ctx(), start, {
      type: 'sapi',
      method: 'POST',
      path: '/api/v2/keys/signing/rotate',
      description: 'Rotate the Application Signing Key',
      responseBody: rotated.value,
    });
    const failures = this.burst({ ...burst, start: start + 1000 }, (date) =>
      codeExchangeFailure(
        this.ctx(),
        date,
        this.random.pick(this.loginApps()),
        this.random.pick(this.actors),
      ),
    );
    return [...this.deps.append([sapi]), ...this.appendSorted(failures)];
  }

  /** Dates `count` events at random points of [start, start + ms), oldest first. */
  protected spread(start: number, ms: number, count: number): number[] {
    return Array.from({ length: count }, () => start + Math.floor(this.random.next() * ms)).sort(
      (a, b) => a - b,
    );
  }

  protected appendSorted(inputs: LogEntryInput[]): LogEntry[] {
    const dateOf = (input: LogEntryInput) => (input.date === undefined ? 0 : toMillis(input.date));
    return this.deps.append([...inputs].sort((a, b) => dateOf(a) - dateOf(b)));
  }

  protected m2mClients(): App[] {
    return this.deps
      .clients()
      .filter((client) => client.appType === 'non_interactive')
      .map((client) => ({ clientId: client.clientId, name: client.name }));
  }

  protected loginApps(): readonly App[] {
    const apps = this.deps
      .clients()
      .filter((client) => client.appType !== 'non_interactive')
      .map((client) => ({ clientId: client.clientId, name: client.name }));
    return apps.length > 0 ? apps : DEFAULT_LOGIN_APPS;
  }

  /** Each M2M client calls from one stable address, as a deployed worker would. */
  protected ipOf(client: App): string {
    let ip = this.clientIps.get(client.clientId);
    if (ip === undefined) {
      ip = randomIp(this.random);
      this.clientIps.set(client.clientId, ip);
    }
    return ip;
  }

  private ctx(): EventContext {
    return { domain: this.deps.domain, random: this.random };
  }

  private connectionNamed(name: string | undefined): Connection {
    if (name === undefined || name === DATABASE_CONNECTION.name) return DATABASE_CONNECTION;
    return { ...DATABASE_CONNECTION, name, id: `con_${this.random.alphanumeric(16)}` };
  }

  /**
   * `perMinute` events in each minute of the window. `build` gets a shuffled index within the
   * minute, so "the first N of each minute" is an exact share spread over the whole minute.
   */
  private burst(
    opts: { perMinute: number; minutes: number; start?: When | undefined },
    build: (date: number, index: number) => LogEntryInput,
  ): LogEntryInput[] {
    const start = opts.start === undefined ? this.deps.now() - opts.minutes * 60_000 : toMillis(opts.start);
    const inputs: LogEntryInput[] = [];
    for (let minute = 0; minute < opts.minutes; minute += 1) {
      const dates = this.spread(start + minute * 60_000, 60_000, opts.perMinute);
      const order = this.random.shuffle(dates.map((_date, index) => index));
      dates.forEach((date, index) => inputs.push(build(date, order[index] ?? index)));
    }
    return inputs;
  }
}
