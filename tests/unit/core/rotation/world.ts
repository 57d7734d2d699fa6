/** In-memory fakes of the rotation ports, a real `:memory:` store, and a "process" that can crash. */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach } from 'vitest';
import type { ClientCredentialProof, ExchangeResult } from '../../../../src/core/tenant/ports.js';
import type { RotationEvent, RotationServiceDeps } from '../../../../src/core/rotation/deps.js';
import { createRotationService } from '../../../../src/core/rotation/machine.js';
import type { RotationService, RotationTenant } from '../../../../src/core/rotation/ports.js';
import type { RotationTarget } from '../../../../src/core/rotation/target.js';
import type { SecretStore, SecretVersion, StagingLabel } from '../../../../src/core/secrets/ports.js';
import {
  SqliteAuditLog,
  openDatabase,
  SqliteRotationStore,
  type StoreDatabase,
} from '../../../../src/store/index.js';

const stores: StoreDatabase[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

class Crash extends Error {
  constructor(what: string) {
    super(`process crashed (${what})`);
  }
}

/** Once `crashed`, every call through a port wrapped by `dying` throws: the process is gone. */
export class Process {
  crashed = false;
  crashAfter: { op: string; nth: number } | undefined;
  private seen = new Map<string, number>();

  check(op: string): void {
    if (this.crashed) throw new Crash(`before ${op}`);
  }

  /** Called after an effect took place: a crash here loses the answer, not the effect. */
  afterEffect(op: string): void {
    const n = (this.seen.get(op) ?? 0) + 1;
    this.seen.set(op, n);
    if (this.crashAfter?.op === op && this.crashAfter.nth === n) {
      this.crashed = true;
      throw new Crash(`after ${op}`);
    }
  }
}

const dying = <T extends object>(target: T, proc: Process): T =>
  new Proxy(target, {
    get(obj, key, receiver) {
      const value: unknown = Reflect.get(obj, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        proc.check(String(key));
        return Reflect.apply(value, obj, args);
      };
    },
  });

class MemorySecrets implements SecretStore {
  readonly versions = new Map<string, { value: string; stages: StagingLabel[] }>();
  down = false;
  proc: Process | undefined;

  constructor(initial: string) {
    this.versions.set(randomUUID(), { value: initial, stages: ['AWSCURRENT'] });
  }

  private guard(): void {
    if (this.down) throw new Error('Secrets Manager: InternalServiceError');
  }

  private view(versionId: string): SecretVersion | undefined {
    const v = this.versions.get(versionId);
    return v && { versionId, value: v.value, stages: [...v.stages] };
  }

  versionWith(label: StagingLabel): string | undefined {
    return [...this.versions].find(([, v]) => v.stages.includes(label))?.[0];
  }

  valueOf(label: StagingLabel): string | undefined {
    const id = this.versionWith(label);
    return id === undefined ? undefined : this.versions.get(id)?.value;
  }

  get(_s: string, stage: StagingLabel = 'AWSCURRENT'): Promise<SecretVersion | undefined> {
    this.guard();
    const id = this.versionWith(stage);
    return Promise.resolve(id === undefined ? undefined : this.view(id));
  }

  getVersion(_s: string, versionId: string): Promise<SecretVersion | undefined> {
    this.guard();
    return Promise.resolve(this.view(versionId));
  }

  describe(): Promise<Readonly<Record<string, readonly StagingLabel[]>>> {
    this.guard();
    const out: Record<string, StagingLabel[]> = {};
    for (const [id, v] of this.versions) if (v.stages.length > 0) out[id] = [...v.stages];
    return Promise.resolve(out);
  }

  putPending(_s: string, token: string, value: string): Promise<void> {
    this.guard();
    const existing = this.versions.get(token);
    if (existing && existing.value !== value) throw new Error(`ResourceExistsException: version ${token}`);
    if (!existing) {
      for (const v of this.versions.values()) v.stages = v.stages.filter((s) => s !== 'AWSPENDING');
      this.versions.set(token, { value, stages: ['AWSPENDING'] });
    }
    this.proc?.afterEffect('putPending');
    return Promise.resolve();
  }

  moveStage(
    _s: string,
    stage: StagingLabel,
    to: string | undefined,
    from: string | undefined,
  ): Promise<void> {
    this.guard();
    const holder = this.versionWith(stage);
    if (holder !== undefined && holder !== to && holder !== from) {
      throw new Error(`InvalidParameterException: ${stage} is on ${holder}`);
    }
    if (from !== undefined) {
      const v = this.versions.get(from);
      if (v) v.stages = v.stages.filter((s) => s !== stage);
      if (stage === 'AWSCURRENT' && v && to !== from) {
        for (const o of this.versions.values()) o.stages = o.stages.filter((s) => s !== 'AWSPREVIOUS');
        v.stages.push('AWSPREVIOUS');
      }
    }
    if (to !== undefined) {
      const v = this.versions.get(to);
      if (!v) throw new Error(`ResourceNotFoundException: ${to}`);
      if (!v.stages.includes(stage)) v.stages.push(stage);
    }
    this.proc?.afterEffect(`moveStage:${stage}`);
    return Promise.resolve();
  }
}

/** Key pairs are strings here: `pub-N` pairs with `priv-N-<random>` (the core never parses PEMs). */
const fakeKeyPair = () => {
  const n = randomUUID();
  return { publicKeyPem: `pub-${n}`, privateKeyPkcs8Pem: `priv-${n}-${randomBytes(24).toString('hex')}` };
};
const publicOf = (privatePem: string): string => `pub-${privatePem.slice(5, 41)}`;

class MemoryTenant implements RotationTenant {
  secret: string;
  credentials: Array<{ id: string; name: string | undefined; publicKeyPem: string }> = [];
  active: string[] = [];
  /** Exchanges with a just-set secret refused before Auth0 "propagates" it. */
  lag = 0;
  private pendingLag = 0;
  refuse: (proof: ClientCredentialProof) => boolean = () => false;
  proc: Process | undefined;
  exchanges = 0;

  constructor(secret: string) {
    this.secret = secret;
  }

  exchange(_c: string, proof: ClientCredentialProof): Promise<ExchangeResult> {
    this.exchanges += 1;
    if (this.refuse(proof)) return Promise.resolve({ ok: false, status: 401, error: 'invalid_client' });
    if (proof.kind === 'secret') {
      if (proof.secret !== this.secret)
        return Promise.resolve({ ok: false, status: 401, error: 'invalid_client' });
      if (this.pendingLag > 0) {
        this.pendingLag -= 1;
        return Promise.resolve({ ok: false, status: 401, error: 'invalid_client' });
      }
      return Promise.resolve({ ok: true });
    }
    const pub = publicOf(proof.pem);
    const ok = this.credentials.some((c) => c.publicKeyPem === pub && this.active.includes(c.id));
    return Promise.resolve(ok ? { ok: true } : { ok: false, status: 401, error: 'invalid_client' });
  }

  setClientSecret(_c: string, secret: string): Promise<void> {
    if (secret !== this.secret) this.pendingLag = this.lag;
    this.secret = secret;
    this.proc?.afterEffect('setClientSecret');
    return Promise.resolve();
  }

  listCredentials(): Promise<ReadonlyArray<{ id: string; name: string | undefined }>> {
    return Promise.resolve(this.credentials.map((c) => ({ id: c.id, name: c.name })));
  }

  createCredential(_c: string, input: { name: string; publicKeyPem: string }): Promise<{ id: string }> {
    if (this.credentials.length >= 2) throw new Error('Auth0: a client holds at most 2 credentials');
    const id = `cred_${randomUUID().slice(0, 8)}`;
    this.credentials.push({ id, name: input.name, publicKeyPem: input.publicKeyPem });
    this.proc?.afterEffect('createCredential');
    return Promise.resolve({ id });
  }

  activeCredentialIds(): Promise<readonly string[]> {
    return Promise.resolve([...this.active]);
  }

  setActiveCredentials(_c: string, ids: readonly string[]): Promise<void> {
    this.active = [...ids];
    this.proc?.afterEffect('setActiveCredentials');
    return Promise.resolve();
  }

  deleteCredential(_c: string, id: string): Promise<void> {
    if (this.active.includes(id)) throw new Error('Auth0: detach the credential before deleting it');
    this.credentials = this.credentials.filter((c) => c.id !== id);
    this.proc?.afterEffect('deleteCredential');
    return Promise.resolve();
  }
}

export const CLIENT = 'Zx81billing';
export const OLD_SECRET = `old-secret-${'o'.repeat(60)}`;

export interface World {
  readonly db: StoreDatabase;
  readonly rotations: SqliteRotationStore;
  readonly audit: SqliteAuditLog;
  readonly secrets: MemorySecrets;
  readonly tenant: MemoryTenant;
  readonly target: RotationTarget;
  /** Every secret value the world knows or generated, to scan outputs for. */
  readonly secretValues: string[];
  readonly events: RotationEvent[];
  readonly paused: Set<string>;
  service(proc?: Process, overrides?: Partial<RotationServiceDeps>): RotationService;
}

export const world = (strategy: RotationTarget['strategy']): World => {
  const db = openDatabase({ path: ':memory:' });
  stores.push(db);
  const rotations = new SqliteRotationStore(db);
  const audit = new SqliteAuditLog(db);
  const secrets = new MemorySecrets(OLD_SECRET);
  const tenant = new MemoryTenant(OLD_SECRET);
  const secretValues = [OLD_SECRET];
  if (strategy === 'private_key_jwt') {
    const pair = fakeKeyPair();
    secrets.versions.clear();
    secrets.versions.set(randomUUID(), { value: pair.privateKeyPkcs8Pem, stages: ['AWSCURRENT'] });
    tenant.credentials.push({ id: 'cred_old', name: 'original', publicKeyPem: pair.publicKeyPem });
    tenant.active = ['cred_old'];
    secretValues.push(pair.privateKeyPkcs8Pem);
  }
  const events: RotationEvent[] = [];
  const paused = new Set<string>();
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  const w: World = {
    db,
    rotations,
    audit,
    secrets,
    tenant,
    target: { clientId: CLIENT, strategy, secretId: 'prod/billing' },
    secretValues,
    events,
    paused,
    service(proc = new Process(), overrides = {}) {
      secrets.proc = proc;
      tenant.proc = proc;
      return createRotationService({
        rotations: dying(rotations, proc),
        secrets: dying(secrets, proc),
        tenant: dying(tenant, proc),
        control: { isPaused: (id) => paused.has(id), setPaused: () => undefined },
        audit,
        now: () => new Date((clock += 1000)),
        newId: () => `rot_${randomUUID()}`,
        newToken: () => randomUUID(),
        generateSecret: () => {
          const value = randomBytes(48).toString('base64url');
          secretValues.push(value);
          return value;
        },
        generateKeyPair: () => {
          const pair = fakeKeyPair();
          secretValues.push(pair.privateKeyPkcs8Pem);
          return Promise.resolve(pair);
        },
        sleep: (ms) => {
          clock += ms;
          return Promise.resolve();
        },
        propagation: { attempts: 3, delayMs: 10 },
        keyGraceMs: 60_000,
        onEvent: (e) => {
          events.push(e);
        },
        ...overrides,
      });
    },
  };
  return w;
};

/**
 * The end state docs/decisions/0003-client-secret-rotation-by-patch.md promises: one AWSCURRENT,
 * no AWSPENDING left, and AWSCURRENT works at Auth0.
 */
export const invariant = async (w: World) => {
  const labels = await w.secrets.describe();
  const current = Object.entries(labels).filter(([, s]) => s.includes('AWSCURRENT'));
  const pendingElsewhere = Object.entries(labels).filter(
    ([, s]) => s.includes('AWSPENDING') && !s.includes('AWSCURRENT'),
  );
  const value = w.secrets.valueOf('AWSCURRENT') ?? '';
  const proof: ClientCredentialProof =
    w.target.strategy === 'client_secret'
      ? { kind: 'secret', secret: value }
      : { kind: 'private_key_jwt', pem: value };
  const works = (await w.tenant.exchange(CLIENT, proof)).ok;
  return {
    currentCount: current.length,
    pendingLeft: pendingElsewhere.length,
    works,
    credentials: w.tenant.credentials.length,
    active: w.tenant.active.length,
  };
};

/** Everything the service let out, as one string to scan for secret values. */
export const everythingSaid = (w: World, extra: unknown[] = []): string =>
  JSON.stringify([w.audit.latest(1000), w.rotations.recent(1000), w.events, ...extra], (_k, v: unknown) =>
    v instanceof Error ? `${v.name}: ${v.message}` : v,
  );
