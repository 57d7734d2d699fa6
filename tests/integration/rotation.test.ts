import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { ManagementClient } from 'auth0';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { FAKE_CREDENTIALS, FakeSecretsManager } from '@auth0-oncall/fakes/aws';
import { Auth0RotationTenant } from '../../src/auth0/auth0-rotation-tenant.js';
import { createSecretsManagerClient } from '../../src/aws/secrets-client.js';
import { SecretsManagerSecretStore } from '../../src/aws/secrets-manager-secret-store.js';
import { createEventBus } from '../../src/core/events/bus.js';
import type { RotationEvent } from '../../src/core/rotation/deps.js';
import { createRotationService } from '../../src/core/rotation/machine.js';
import type { RotationTenant } from '../../src/core/rotation/ports.js';
import type { RotationTarget } from '../../src/core/rotation/target.js';
import { credentialSecretStore } from '../../src/core/secrets/credential-value.js';
import type { SecretStore } from '../../src/core/secrets/ports.js';
import { createDependencyPolicy, defaultPolicyOptions } from '../../src/resilience/index.js';
import { SqliteAuditLog, openDatabase, SqliteRotationStore } from '../../src/store/index.js';
import type { RotationStore } from '../../src/core/rotation/model.js';

const BOT = 'botClient0001';
const CLIENT = 'Zx81billing';
const OLD = `billing-secret-old-${'0123456789'.repeat(5)}`;
const SECRET_ID = 'prod/billing';
const PROPAGATION_MS = 400;
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** Makes every port of a "process" fail once `dead` is set: what a crash looks like from inside. */
const mortal = <T extends object>(target: T, isDead: () => boolean): T =>
  new Proxy(target, {
    get(obj, key, receiver) {
      const value: unknown = Reflect.get(obj, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        if (isDead()) throw new Error('the process is gone');
        return Reflect.apply(value, obj, args);
      };
    },
  });

/** The real auth0 SDK and AWS SDK, through the app's adapters, against the wire-level fakes. */
const world = async (options: { seed?: string } = {}) => {
  const auth0 = await FakeAuth0.start({ logRateLimits: false, secretPropagationMs: PROPAGATION_MS });
  cleanup.push(() => auth0.stop());
  auth0.addClient({ clientId: BOT, name: 'auth0-oncall', appType: 'non_interactive', secret: `bot-${OLD}` });
  auth0.addClient({ clientId: CLIENT, name: 'billing-worker', appType: 'non_interactive', secret: OLD });
  const sm = await FakeSecretsManager.start();
  cleanup.push(() => sm.stop());
  const { versionId: oldVersion } = sm.seed(SECRET_ID, options.seed ?? OLD);
  const smClient = createSecretsManagerClient({
    region: sm.region,
    endpoint: sm.endpoint,
    credentials: FAKE_CREDENTIALS,
  });
  cleanup.push(() => {
    smClient.destroy();
  });
  const events = createEventBus();
  // One attempt each: a crash must surface, not be absorbed by a retry.
  const once = { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0 };
  const secrets = new SecretsManagerSecretStore({
    client: smClient,
    policy: createDependencyPolicy({
      ...defaultPolicyOptions.secrets_manager,
      retry: once,
      dependency: 'secrets_manager',
      events,
    }),
  });
  const tenant = new Auth0RotationTenant({
    client: new ManagementClient({
      domain: auth0.domain,
      clientId: BOT,
      clientSecret: `bot-${OLD}`,
      fetch: auth0.fetch,
      maxRetries: 0,
      timeoutInSeconds: 5,
    }),
    policy: createDependencyPolicy({
      ...defaultPolicyOptions.auth0,
      retry: once,
      dependency: 'auth0',
      events,
    }),
    domain: auth0.domain,
    baseUrl: auth0.baseUrl,
    fetch: auth0.fetch,
  });
  const db = openDatabase({ path: ':memory:' });
  cleanup.push(() => {
    db.close();
  });
  const rotations = new SqliteRotationStore(db);
  const audit = new SqliteAuditLog(db);
  const generated: string[] = [];
  const target: RotationTarget = { clientId: CLIENT, strategy: 'client_secret', secretId: SECRET_ID };
  const service = (
    ports: { rotations: RotationStore; secrets: SecretStore; tenant: RotationTenant } = {
      rotations,
      secrets,
      tenant,
    },
    onEvent?: (e: RotationEvent) => void,
    keyGraceMs = 0,
  ) =>
    createRotationService({
      ...ports,
      audit,
      now: () => new Date(),
      newId: () => `rot_${randomUUID()}`,
      newToken: () => randomUUID(),
      generateSecret: () => {
        const value = randomBytes(48).toString('base64url');
        generated.push(value);
        return value;
      },
      generateKeyPair: () => {
        const pair = rsa();
        generated.push(pair.privateKeyPkcs8Pem);
        return Promise.resolve(pair);
      },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      propagation: { attempts: 5, delayMs: 50 },
      keyGraceMs,
      ...(onEvent ? { onEvent } : {}),
    });
  const works = async (secret: string) => (await tenant.exchange(CLIENT, { kind: 'secret', secret })).ok;
  return { auth0, sm, secrets, tenant, rotations, audit, target, service, works, generated, oldVersion };
};

const rsa = () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPkcs8Pem: privateKey };
};

const settle = () => new Promise((resolve) => setTimeout(resolve, PROPAGATION_MS + 100));

describe('credential rotation against Auth0 and Secrets Manager over the wire', () => {
  it('keeps the old secret working until the new one is promoted, then AWSCURRENT is the new one and works', async () => {
    const w = await world();
    const checks: Array<Promise<boolean>> = [];
    const service = w.service(undefined, (e) => {
      // Before promotion, what consumers read (AWSCURRENT, the old secret) still works at Auth0.
      if (e.type === 'state' && e.state === 'finished') checks.push(w.works(OLD));
    });
    const result = await service.rotate(w.target, { trigger: 'command', by: 'U1' });
    expect(result).toMatchObject({ ok: true });
    expect(await Promise.all(checks)).toEqual([true]);
    const rotation = w.rotations.latestFor(CLIENT);
    expect(w.sm.stagesOf(SECRET_ID)).toEqual({
      [rotation?.clientRequestToken ?? '']: ['AWSCURRENT'],
      [w.oldVersion]: ['AWSPREVIOUS'],
    });
    const current = await w.secrets.get(SECRET_ID);
    expect(current?.value).toBe(w.generated[0]);
    await settle();
    expect(await w.works(OLD)).toBe(false);
    expect(await w.works(current?.value ?? '')).toBe(true);
    const said = JSON.stringify([w.audit.latest(100), w.rotations.recent(10), result]);
    for (const value of [OLD, ...w.generated]) expect(said).not.toContain(value);
  });

  it('rotates a secret stored as JSON and writes the new version as the same JSON, other keys kept', async () => {
    const stored = { client_id: CLIENT, client_secret: OLD, audience: 'https://billing.example.com/' };
    const w = await world({ seed: JSON.stringify(stored) });
    // As the app wires it (src/wiring/providers.ts): the adapter under the credential codec.
    const secrets = credentialSecretStore(w.secrets, [w.target]);
    const result = await w.service({ rotations: w.rotations, secrets, tenant: w.tenant }).rotate(w.target, {
      trigger: 'command',
      by: 'U1',
    });
    expect(result).toMatchObject({ ok: true });
    const raw = await w.secrets.get(SECRET_ID);
    expect(JSON.parse(raw?.value ?? '')).toEqual({ ...stored, client_secret: w.generated[0] });
    expect(Object.keys(JSON.parse(raw?.value ?? '') as object)).toEqual([
      'client_id',
      'client_secret',
      'audience',
    ]);
    expect((await w.secrets.get(SECRET_ID, 'AWSPREVIOUS'))?.value).toBe(JSON.stringify(stored));
    expect((await secrets.get(SECRET_ID))?.value).toBe(w.generated[0]);
    await settle();
    expect(await w.works(w.generated[0] ?? '')).toBe(true);
    expect(await w.works(OLD)).toBe(false);
    const said = JSON.stringify([w.audit.latest(100), w.rotations.recent(10), result]);
    for (const value of [OLD, ...w.generated]) expect(said).not.toContain(value);
  });

  it('refuses to rotate a JSON secret whose client_id is another client, and changes nothing', async () => {
    const w = await world({ seed: JSON.stringify({ client_id: 'SomeOtherClient', client_secret: OLD }) });
    const secrets = credentialSecretStore(w.secrets, [w.target]);
    const result = await w.service({ rotations: w.rotations, secrets, tenant: w.tenant }).rotate(w.target, {
      trigger: 'command',
      by: 'U1',
    });
    expect(result).toMatchObject({ ok: false });
    expect(result.summary).toContain('names client_id "SomeOtherClient", not the target\'s Zx81billing');
    expect(result.summary).not.toContain(OLD);
    expect(w.sm.stagesOf(SECRET_ID)).toEqual({ [w.oldVersion]: ['AWSCURRENT'] });
    expect(await w.works(OLD)).toBe(true);
  });

  it.each([
    ['PutSecretValue', 'created'],
    ['UpdateSecretVersionStage', 'finished'],
  ] as const)(
    'resumes after a crash right after %s took effect (left in %s) and ends consistent',
    async (op, left) => {
      const w = await world();
      let dead = false;
      // Any answer lost from Secrets Manager is the moment this process dies.
      const secrets = mortal(w.secrets, () => dead);
      const dying: SecretStore = {
        get: (...a) => secrets.get(...a),
        getVersion: (...a) => secrets.getVersion(...a),
        describe: (...a) => secrets.describe(...a),
        putPending: (...a) =>
          secrets.putPending(...a).catch((error: unknown) => {
            dead = true;
            throw error;
          }),
        moveStage: (...a) =>
          secrets.moveStage(...a).catch((error: unknown) => {
            dead = true;
            throw error;
          }),
      };
      w.sm.crashAfter(op);
      const first = await w
        .service({
          rotations: mortal(w.rotations, () => dead),
          secrets: dying,
          tenant: mortal(w.tenant, () => dead),
        })
        .rotate(w.target, { trigger: 'command', by: 'U1' });
      expect(first).toMatchObject({ ok: false, rolledBack: false });
      const stuck = w.rotations.latestFor(CLIENT);
      expect(stuck).toMatchObject({ state: left, outcome: null });

      expect(await w.service().resumeUnfinished()).toHaveLength(1);
      expect(w.rotations.get(stuck?.id ?? '')).toMatchObject({ outcome: 'succeeded' });
      const stages = w.sm.stagesOf(SECRET_ID);
      expect(Object.values(stages).filter((s) => s.includes('AWSCURRENT'))).toHaveLength(1);
      expect(Object.values(stages).some((s) => s.includes('AWSPENDING'))).toBe(false);
      expect(w.sm.versionWith(SECRET_ID)).toBe(stuck?.clientRequestToken);
      await settle();
      const current = await w.secrets.get(SECRET_ID);
      expect(await w.works(current?.value ?? '')).toBe(true);
      expect(await w.works(OLD)).toBe(false);
    },
  );

  it('rotates a private_key_jwt client with zero downtime: both keys work until the old one is removed', async () => {
    const w = await world();
    const old = rsa();
    const KEYED = 'Zx81keyed';
    w.auth0.addClient({
      clientId: KEYED,
      name: 'keyed-worker',
      appType: 'non_interactive',
      credentials: [{ id: 'cred_original', name: 'original', pem: old.publicKeyPem }],
    });
    w.sm.seed('prod/keyed', old.privateKeyPkcs8Pem);
    const target: RotationTarget = { clientId: KEYED, strategy: 'private_key_jwt', secretId: 'prod/keyed' };
    const keyWorks = async (pem: string) =>
      (await w.tenant.exchange(KEYED, { kind: 'private_key_jwt', pem })).ok;
    const during: Array<Promise<boolean>> = [];
    const result = await w
      .service(
        undefined,
        (e) => {
          // The grace period: the new key is AWSCURRENT, and the old one still works for its holders.
          if (e.type === 'state' && e.state === 'cleanup_pending')
            during.push(keyWorks(old.privateKeyPkcs8Pem));
        },
        300,
      )
      .rotate(target, { trigger: 'command', by: 'U1' });
    expect(result).toMatchObject({ ok: true });
    expect(await Promise.all(during)).toEqual([true]);
    const rotation = w.rotations.latestFor(KEYED);
    const newId = rotation?.detail.newCredentialId;
    expect((await w.tenant.listCredentials(KEYED)).map((c) => c.id)).toEqual([newId]);
    expect(await w.tenant.activeCredentialIds(KEYED)).toEqual([newId]);
    const current = await w.secrets.get('prod/keyed');
    expect(current?.value).toBe(w.generated[0]);
    expect(await keyWorks(current?.value ?? '')).toBe(true);
    expect(await keyWorks(old.privateKeyPkcs8Pem)).toBe(false);
    const said = JSON.stringify([w.audit.latest(100), w.rotations.recent(10), result]);
    for (const value of [old.privateKeyPkcs8Pem, ...w.generated]) expect(said).not.toContain(value);
  });
});
