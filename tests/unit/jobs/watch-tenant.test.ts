import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type {
  ClientCredential,
  CustomDomain,
  JwksKey,
  M2mClient,
  SigningKey,
  Tenant,
} from '../../../src/core/tenant/ports.js';
import { DAY_MS, type WatcherEvent } from '../../../src/core/watchers/model.js';
import type { WatcherName } from '../../../src/core/watchers/ports.js';
import type { StoreDatabase } from '../../../src/store/database.js';
import { SqliteWatcherReadings } from '../../../src/store/sqlite-watcher-readings.js';
import { createWatcherJobs } from '../../../src/jobs/watch-tenant.js';
import { memoryStore, open, tempDir } from '../store/helpers.js';

type WatchedTenant = Pick<
  Tenant,
  'listSigningKeys' | 'fetchJwks' | 'listCustomDomains' | 'listM2mClients' | 'listClientCredentials'
>;
type Method = keyof WatchedTenant;

/** An in-memory tenant: tests set what it holds and which calls fail, and read what was asked. */
class FakeTenant implements WatchedTenant {
  signingKeys: SigningKey[] = [];
  jwks: JwksKey[] = [];
  domains: CustomDomain[] = [];
  clients: M2mClient[] = [];
  readonly credentials = new Map<string, ClientCredential[]>();
  readonly failures = new Map<Method | `credentials:${string}`, Error>();
  readonly calls: { method: Method; arg?: string; signal: AbortSignal | undefined }[] = [];
  inFlight = 0;
  maxInFlight = 0;

  private async answer<T>(
    method: Method,
    signal: AbortSignal | undefined,
    value: () => T,
    arg?: string,
  ): Promise<T> {
    this.calls.push({ method, arg, signal });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2));
      const failure =
        this.failures.get(method) ??
        (arg === undefined ? undefined : this.failures.get(`credentials:${arg}`));
      if (failure) throw failure;
      return value();
    } finally {
      this.inFlight -= 1;
    }
  }

  listSigningKeys(signal?: AbortSignal) {
    return this.answer('listSigningKeys', signal, () => this.signingKeys);
  }
  fetchJwks(signal?: AbortSignal) {
    return this.answer('fetchJwks', signal, () => this.jwks);
  }
  listCustomDomains(signal?: AbortSignal) {
    return this.answer('listCustomDomains', signal, () => this.domains);
  }
  listM2mClients(signal?: AbortSignal) {
    return this.answer('listM2mClients', signal, () => this.clients);
  }
  listClientCredentials(clientId: string, signal?: AbortSignal) {
    return this.answer('listClientCredentials', signal, () => this.credentials.get(clientId) ?? [], clientId);
  }

  /** kid current (and published), optionally with a queued next key. */
  signWith(kid: string, next?: string): void {
    const flags = { previous: false, revoked: false, revokedAt: undefined, fingerprint: undefined };
    this.signingKeys = [
      { kid, current: true, next: false, currentSince: '2026-03-01T00:00:00.000Z', ...flags },
    ];
    if (next)
      this.signingKeys.push({ kid: next, current: false, next: true, currentSince: undefined, ...flags });
    this.jwks = this.signingKeys.map((k) => ({ kid: k.kid, kty: 'RSA', alg: 'RS256' }));
  }
}

const NOW = new Date('2026-03-10T12:00:00.000Z');
const inDays = (days: number): string => new Date(NOW.getTime() + days * DAY_MS).toISOString();

const setup = (store: StoreDatabase = memoryStore(), tenant = new FakeTenant()) => {
  const batches: WatcherEvent[][] = [];
  const logger = { warn: vi.fn() };
  const readings = new SqliteWatcherReadings(store);
  const jobs = createWatcherJobs({
    tenant,
    readings,
    sink: { accept: (events) => batches.push([...events]) },
    now: () => NOW,
    everyMs: 300_000,
    warnDays: 14,
    logger,
  });
  const run = (name: WatcherName, signal = new AbortController().signal) => {
    const job = jobs.find((j) => j.name === `watch.${name}`);
    if (!job) throw new Error(`no job watch.${name}`);
    return job.run({ scheduledFor: NOW, signal });
  };
  const kinds = () => batches.flat().map((e) => `${e.kind}@${e.scope}`);
  return { tenant, readings, jobs, run, batches, kinds, logger };
};

describe('createWatcherJobs', () => {
  it('declares the three watchers as interval jobs that run at start', () => {
    const { jobs } = setup();
    expect(jobs.map((j) => [j.name, j.everyMs, j.runAtStart])).toEqual([
      ['watch.signing_keys', 300_000, true],
      ['watch.certificates', 300_000, true],
      ['watch.credentials', 300_000, true],
    ]);
  });

  it('records a silent baseline of the signing keys, passing the job’s signal to every call', async () => {
    const { tenant, readings, run, batches } = setup();
    tenant.signWith('kid-A', 'kid-B');
    const controller = new AbortController();
    await run('signing_keys', controller.signal);
    expect(batches).toEqual([]);
    expect(tenant.calls.map((c) => [c.method, c.signal === controller.signal])).toEqual([
      ['listSigningKeys', true],
      ['fetchJwks', true],
    ]);
    expect(readings.get('signing_keys')).toMatchObject({
      at: NOW.toISOString(),
      ok: true,
      summary: 'current key kid-A since 2026-03-01; next staged',
      state: { currentKid: 'kid-A', nextKid: 'kid-B' },
    });
  });

  it('reports a rotation once, however many runs follow it', async () => {
    const { tenant, run, kinds } = setup();
    tenant.signWith('kid-A', 'kid-B');
    await run('signing_keys');
    tenant.signWith('kid-B', 'kid-C');
    await run('signing_keys');
    await run('signing_keys');
    expect(kinds()).toEqual(['signing_key_rotated@key:kid-B']);
  });

  it('keeps the previous state through a failed call, so the next good run reports nothing spurious', async () => {
    const { tenant, readings, run, batches } = setup();
    tenant.signWith('kid-A', 'kid-B');
    await run('signing_keys');
    const baseline = readings.get('signing_keys')?.state;

    tenant.failures.set('fetchJwks', new Error('Auth0 did not answer within 10000 ms'));
    await expect(run('signing_keys')).rejects.toThrow('Auth0 did not answer');
    expect(readings.get('signing_keys')).toEqual({
      at: NOW.toISOString(),
      ok: false,
      summary: 'check failed: Auth0 did not answer within 10000 ms',
      state: baseline,
    });

    tenant.failures.clear();
    await run('signing_keys');
    expect(batches).toEqual([]);
    expect(readings.get('signing_keys')?.ok).toBe(true);
  });

  it('reports exactly the rotation that happened while the tenant was unreachable', async () => {
    const { tenant, run, batches } = setup();
    tenant.signWith('kid-A', 'kid-B');
    await run('signing_keys');
    tenant.failures.set('listSigningKeys', new Error('503'));
    await expect(run('signing_keys')).rejects.toThrow('503');
    tenant.failures.clear();
    tenant.signWith('kid-B', 'kid-C');
    await run('signing_keys');
    expect(batches.flat()).toMatchObject([
      { kind: 'signing_key_rotated', kid: 'kid-B', previousKid: 'kid-A' },
    ]);
  });

  it('records nothing when the run is aborted by a stop', async () => {
    const { tenant, readings, run } = setup();
    tenant.domains = [{ id: 'cd_1', domain: 'login.acme.com', status: 'ready', certificate: undefined }];
    await run('certificates');
    const before = readings.get('certificates');
    const controller = new AbortController();
    tenant.failures.set('listCustomDomains', new Error('This operation was aborted'));
    controller.abort();
    await expect(run('certificates', controller.signal)).rejects.toThrow('aborted');
    expect(readings.get('certificates')).toEqual(before);
  });

  it('keeps state across a restart: a certificate warned about is not warned about again', async () => {
    const path = join(tempDir(), 'oncall.db');
    const tenant = new FakeTenant();
    tenant.domains = [
      {
        id: 'cd_1',
        domain: 'login.acme.com',
        status: 'ready',
        certificate: { status: 'provisioned', renewsBefore: inDays(10), errorMessage: undefined },
      },
    ];
    tenant.signWith('kid-A');
    const first = setup(open({ path }), tenant);
    await first.run('certificates');
    await first.run('signing_keys');
    expect(first.kinds()).toEqual(['certificate_expiring@domain:login.acme.com']);

    const second = setup(open({ path }), tenant);
    await second.run('certificates');
    tenant.signWith('kid-B');
    await second.run('signing_keys');
    expect(second.kinds()).toEqual(['signing_key_rotated@key:kid-B']);
  });

  it('hands events to the sink only after the new reading is stored', async () => {
    const store = memoryStore();
    const tenant = new FakeTenant();
    tenant.signWith('kid-A');
    tenant.jwks = [];
    const readings = new SqliteWatcherReadings(store);
    const seen: (boolean | undefined)[] = [];
    const [job] = createWatcherJobs({
      tenant,
      readings,
      sink: { accept: () => seen.push(readings.get('signing_keys')?.ok) },
      now: () => NOW,
      everyMs: 1000,
      warnDays: 14,
    });
    await job!.run({ scheduledFor: NOW, signal: new AbortController().signal });
    expect(seen).toEqual([false]);
  });

  it('takes a new baseline, with a warning, when the stored state cannot be read', async () => {
    const { tenant, readings, run, batches, logger } = setup();
    readings.put('signing_keys', {
      at: NOW.toISOString(),
      ok: true,
      summary: 'old',
      state: { format: 'v0' },
    });
    tenant.signWith('kid-Z');
    await run('signing_keys');
    expect(batches).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(
      { event: 'watcher.state_unreadable', watcher: 'signing_keys' },
      expect.stringContaining('new baseline'),
    );
  });
});

describe('the credentials watcher', () => {
  const keyed = (n: number): M2mClient => ({
    clientId: `cli_${n}`,
    name: `worker-${n}`,
    activeCredentialIds: [`cred_${n}`],
  });

  it('lists credentials only for clients with active private_key_jwt credentials, at most four at a time', async () => {
    const { tenant, run, readings } = setup();
    const withKeys = Array.from({ length: 9 }, (_, i) => keyed(i));
    const withSecrets = [{ clientId: 'cli_secret', name: 'legacy', activeCredentialIds: [] }];
    tenant.clients = [...withKeys, ...withSecrets];
    for (const c of withKeys) {
      tenant.credentials.set(c.clientId, [
        { id: `cred_${c.clientId.slice(4)}`, name: undefined, clientId: c.clientId, expiresAt: inDays(60) },
      ]);
    }
    await run('credentials');
    const listed = tenant.calls.filter((c) => c.method === 'listClientCredentials').map((c) => c.arg);
    expect(listed.sort()).toEqual(withKeys.map((c) => c.clientId).sort());
    expect(tenant.maxInFlight).toBe(4);
    expect(readings.get('credentials')).toMatchObject({
      ok: true,
      summary: 'nearest credential expiry in 60 days (worker-0)',
    });
  });

  it('fails the whole run when one client’s list fails, keeping every open condition', async () => {
    const { tenant, run, readings, kinds } = setup();
    tenant.clients = [keyed(1), keyed(2)];
    tenant.credentials.set('cli_1', [{ id: 'cred_1', name: 'k1', clientId: 'cli_1', expiresAt: inDays(5) }]);
    tenant.credentials.set('cli_2', [{ id: 'cred_2', name: 'k2', clientId: 'cli_2', expiresAt: inDays(90) }]);
    await run('credentials');
    expect(kinds()).toEqual(['credential_expiring@client:cli_1']);
    const open = readings.get('credentials')?.state;

    tenant.failures.set('credentials:cli_1', new Error('Auth0 returned HTTP 500'));
    await expect(run('credentials')).rejects.toThrow('HTTP 500');
    expect(readings.get('credentials')).toMatchObject({
      ok: false,
      summary: 'check failed: Auth0 returned HTTP 500',
      state: open,
    });

    tenant.failures.clear();
    await run('credentials');
    expect(kinds()).toEqual(['credential_expiring@client:cli_1']);
  });

  it('recovers a warned credential once the client stops using it', async () => {
    const { tenant, run, batches } = setup();
    tenant.clients = [keyed(1)];
    tenant.credentials.set('cli_1', [{ id: 'cred_1', name: 'k1', clientId: 'cli_1', expiresAt: inDays(-1) }]);
    await run('credentials');
    tenant.clients = [{ ...keyed(1), activeCredentialIds: [] }];
    await run('credentials');
    expect(batches.map((b) => b.map((e) => e.kind))).toEqual([
      ['credential_expired'],
      ['credential_expired_recovered'],
    ]);
    expect(tenant.calls.filter((c) => c.method === 'listClientCredentials')).toHaveLength(1);
  });
});
