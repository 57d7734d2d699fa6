import { openIncident } from '../../../helpers/incident-fixture.js';
import { describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../../src/core/actions/action.js';
import { actionSpecs, createActionCatalog, type CatalogDeps } from '../../../../src/core/actions/catalog.js';
import type {
  ClientCredentialProof,
  ExchangeResult,
  TenantAdmin,
} from '../../../../src/core/tenant/ports.js';
import type { Evidence } from '../../../../src/core/detection/model.js';
import type { Incident } from '../../../../src/core/incidents/model.js';
import { ACTION_NAMES } from '../../../../src/core/runbooks/model.js';
import type { SecretStore, SecretVersion, StagingLabel } from '../../../../src/core/secrets/ports.js';
import type { SigningKey } from '../../../../src/core/tenant/ports.js';

/** Secrets Manager's label rules in memory: each label on at most one version. */
class MemorySecrets implements SecretStore {
  versions = new Map<string, Array<{ versionId: string; value: string; stages: StagingLabel[] }>>();
  seed(id: string, ...values: string[]) {
    this.versions.set(
      id,
      values.map((value, i) => ({
        versionId: `v${i + 1}`,
        value,
        stages: i === values.length - 1 ? ['AWSCURRENT'] : i === values.length - 2 ? ['AWSPREVIOUS'] : [],
      })),
    );
  }
  get(id: string, stage: StagingLabel = 'AWSCURRENT'): Promise<SecretVersion | undefined> {
    return Promise.resolve(this.versions.get(id)?.find((v) => v.stages.includes(stage)));
  }
  getVersion(id: string, versionId: string) {
    return Promise.resolve(this.versions.get(id)?.find((v) => v.versionId === versionId));
  }
  describe(id: string) {
    return Promise.resolve(
      Object.fromEntries((this.versions.get(id) ?? []).map((v) => [v.versionId, v.stages])),
    );
  }
  putPending() {
    return Promise.resolve();
  }
  moveStage(id: string, stage: StagingLabel, to: string | undefined) {
    const versions = this.versions.get(id) ?? [];
    const leaving = versions.find((v) => v.stages.includes(stage));
    for (const v of versions) v.stages = v.stages.filter((s) => s !== stage);
    if (stage === 'AWSCURRENT' && leaving) {
      for (const v of versions) v.stages = v.stages.filter((s) => s !== 'AWSPREVIOUS');
      leaving.stages.push('AWSPREVIOUS');
    }
    versions.find((v) => v.versionId === to)?.stages.push(stage);
    return Promise.resolve();
  }
}

class MemoryAdmin implements TenantAdmin {
  accepted = new Map<string, string>();
  calls: string[] = [];
  blocked = new Set<string>(['203.0.113.7']);
  revoked: string[] = [];
  exchange(clientId: string, proof: ClientCredentialProof): Promise<ExchangeResult> {
    this.calls.push(`exchange ${clientId}`);
    const ok = proof.kind === 'secret' && this.accepted.get(clientId) === proof.secret;
    return Promise.resolve(ok ? { ok: true } : { ok: false, status: 401, error: 'access_denied' });
  }
  setClientSecret(clientId: string, secret: string) {
    this.calls.push(`set ${clientId}`);
    this.accepted.set(clientId, secret);
    return Promise.resolve();
  }
  revokeSigningKey(kid: string) {
    this.revoked.push(kid);
    return Promise.resolve();
  }
  unblockIp(ip: string) {
    this.blocked.delete(ip);
    return Promise.resolve();
  }
  isIpBlocked(ip: string) {
    return Promise.resolve(this.blocked.has(ip));
  }
}

const keys: SigningKey[] = [
  {
    kid: 'kid-current-000001',
    current: true,
    next: false,
    previous: false,
    revoked: false,
    currentSince: undefined,
    revokedAt: undefined,
    fingerprint: undefined,
  },
  {
    kid: 'kid-previous-00001',
    current: false,
    next: false,
    previous: true,
    revoked: false,
    currentSince: undefined,
    revokedAt: undefined,
    fingerprint: undefined,
  },
];

const setup = (over: Partial<CatalogDeps> = {}) => {
  const secrets = new MemorySecrets();
  secrets.seed('prod/billing', 'old-secret', 'new-secret');
  const admin = new MemoryAdmin();
  admin.accepted.set('Zx81billing', 'old-secret'); // a consumer rotated elsewhere: Auth0 has the old one
  const paused = new Map<string, boolean>();
  const catalog = createActionCatalog({
    targets: [{ clientId: 'Zx81billing', strategy: 'client_secret', secretId: 'prod/billing' }],
    secrets,
    rotation: undefined,
    propagation: { attempts: 3, delayMs: 1 },
    sleep: () => Promise.resolve(),
    admin,
    keys: { listSigningKeys: () => Promise.resolve(keys) },
    rotationControl: { isPaused: (c) => paused.get(c) === true, setPaused: (c, p) => void paused.set(c, p) },
    rechecker: { recheck: (id) => Promise.resolve(`still firing for ${id}`) },
    jwksHooks: {
      resend: () => Promise.resolve({ summary: 'resent', finished: true, noneAcknowledged: false }),
      status: () => undefined,
    },
    ...over,
  });
  return { catalog, secrets, admin, paused };
};

const incident = (scope: string): Incident => openIncident({ scope });
const evidence = (over: Partial<Evidence> = {}): Evidence => ({
  window: { from: 'a', to: 'b', minutes: 5 },
  failures: 1,
  rate: 1,
  suspects: [],
  ...over,
});
const ctx = (scope = 'client:Zx81billing', ev: Evidence = evidence()): ActionContext => ({
  incident: incident(scope),
  evidence: ev,
  actor: 'U0OPERATOR',
  now: new Date('2026-03-01T12:10:00.000Z'),
  signal: new AbortController().signal,
  key: 'step:test',
  plan: { recorded: undefined, record: () => undefined },
});

const bind = (
  c: ReturnType<typeof setup>['catalog'],
  name: (typeof ACTION_NAMES)[number],
  params: unknown,
) => {
  const b = c.get(name)?.bind(params);
  if (!b?.ok) throw new Error(`did not bind: ${b ? b.problem : 'unknown action'}`);
  return b.action;
};

describe('the action catalog', () => {
  it('has every catalog action, each with a strict JSON schema for writers', () => {
    const { catalog } = setup();
    expect([...catalog.keys()].sort()).toEqual([...ACTION_NAMES].sort());
    for (const entry of catalog.values()) {
      expect(entry.paramsJsonSchema).toMatchObject({ type: 'object', additionalProperties: false });
    }
    expect(actionSpecs(catalog).map((s) => s.name)).toEqual([...catalog.keys()]);
    expect(catalog.get('rollback_client_secret')?.destructive).toBe(true);
    expect(catalog.get('verify_client_credentials')?.destructive).toBe(false);
  });

  it('refuses parameters of the wrong shape before anything runs', () => {
    const { catalog } = setup();
    expect(catalog.get('unblock_ip')?.bind({ ip: 'not-an-ip' })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('ip'),
    });
    expect(catalog.get('verify_client_credentials')?.bind({ clientId: "x'; DROP TABLE" })).toMatchObject({
      ok: false,
    });
    expect(catalog.get('list_signing_keys')?.bind({ extra: 1 })).toMatchObject({ ok: false });
  });

  it('verifies a credential with a real exchange of AWSCURRENT, and reports a mismatch', async () => {
    const { catalog, admin } = setup();
    const verify = bind(catalog, 'verify_client_credentials', { clientId: 'Zx81billing' });
    expect(await verify.check(ctx())).toBeUndefined();
    const r = await verify.run(ctx());
    expect(r).toMatchObject({ outcome: 'failure', summary: expect.stringContaining('refused it (HTTP 401') });
    expect(JSON.stringify(r)).not.toContain('new-secret');
    admin.accepted.set('Zx81billing', 'new-secret');
    expect((await verify.run(ctx())).outcome).toBe('success');
  });

  it('checks parameters against configuration and the incident', async () => {
    const { catalog } = setup();
    expect(
      await bind(catalog, 'verify_client_credentials', { clientId: 'Other000client' }).check(ctx()),
    ).toMatch(/not in ROTATION_TARGETS/);
    expect(
      await bind(catalog, 'verify_client_credentials', { clientId: 'Zx81billing' }).check(
        ctx('client:someoneElse1'),
      ),
    ).toMatch(/not what this incident is about/);
    expect(await bind(catalog, 'unblock_ip', { ip: '198.51.100.9' }).check(ctx())).toMatch(
      /does not appear in this incident's evidence/,
    );
    expect(
      await bind(catalog, 'unblock_ip', { ip: '203.0.113.7' }).check(
        ctx('tenant', evidence({ singleSourceIp: '203.0.113.7' })),
      ),
    ).toBeUndefined();
    expect(await bind(catalog, 'pause_rotation', { clientId: 'Nope0000client' }).check(ctx())).toMatch(
      /not in ROTATION_TARGETS/,
    );
    const noSecrets = setup({ secrets: undefined });
    expect(
      await bind(noSecrets.catalog, 'verify_client_credentials', { clientId: 'Zx81billing' }).check(ctx()),
    ).toMatch(/Secrets Manager is not configured/);
  });

  it('rolls back: Auth0 gets AWSPREVIOUS, Secrets Manager promotes it, and it is verified', async () => {
    const { catalog, secrets, admin } = setup();
    admin.accepted.set('Zx81billing', 'new-secret');
    const rollback = bind(catalog, 'rollback_client_secret', { clientId: 'Zx81billing' });
    const r = await rollback.run(ctx());
    expect(r.outcome).toBe('success');
    expect(await secrets.describe('prod/billing')).toEqual({ v1: ['AWSCURRENT'], v2: ['AWSPREVIOUS'] });
    expect(admin.accepted.get('Zx81billing')).toBe('old-secret');
    expect(JSON.stringify(r)).not.toMatch(/old-secret|new-secret/);
  });

  it('recovers an interrupted rollback by checking, never by running it again', async () => {
    const { catalog, admin } = setup();
    const rollback = bind(catalog, 'rollback_client_secret', { clientId: 'Zx81billing' });
    const r = await rollback.recover(ctx());
    expect(admin.calls.filter((c) => c.startsWith('set'))).toEqual([]);
    expect(r).toMatchObject({ outcome: 'failure', summary: expect.stringContaining('Retry') });
  });

  it('says clearly that rotation is not configured until the rotation service exists', async () => {
    const { catalog } = setup();
    const r = await bind(catalog, 'rotate_client_credential', { clientId: 'Zx81billing' }).run(ctx());
    expect(r).toMatchObject({ outcome: 'failure', summary: expect.stringContaining('not configured') });
  });

  it('revokes only the previous signing key, and recovery checks the live list', async () => {
    const { catalog, admin } = setup();
    expect(
      (await bind(catalog, 'revoke_previous_signing_key', { kid: 'kid-current-000001' }).run(ctx())).outcome,
    ).toBe('failure');
    expect(
      (await bind(catalog, 'revoke_previous_signing_key', { kid: 'kid-previous-00001' }).run(ctx())).outcome,
    ).toBe('success');
    expect(admin.revoked).toEqual(['kid-previous-00001']);
    expect(
      (await bind(catalog, 'revoke_previous_signing_key', { kid: 'kid-previous-00001' }).recover(ctx()))
        .outcome,
    ).toBe('failure');
    expect((await bind(catalog, 'list_signing_keys', {}).run(ctx())).summary).toMatch(/current.*previous/);
  });

  it('unblocks an IP from the evidence, and recovery reports whether it is still blocked', async () => {
    const { catalog, admin } = setup();
    const unblock = bind(catalog, 'unblock_ip', { ip: '203.0.113.7' });
    expect((await unblock.recover(ctx())).outcome).toBe('failure');
    expect((await unblock.run(ctx())).outcome).toBe('success');
    expect(admin.blocked.has('203.0.113.7')).toBe(false);
    expect((await unblock.recover(ctx())).outcome).toBe('success');
  });

  it('pauses and resumes scheduled rotation, and rechecks the signal', async () => {
    const { catalog, paused } = setup();
    await bind(catalog, 'pause_rotation', { clientId: 'Zx81billing' }).run(ctx());
    expect(paused.get('Zx81billing')).toBe(true);
    await bind(catalog, 'resume_rotation', { clientId: 'Zx81billing' }).run(ctx());
    expect(paused.get('Zx81billing')).toBe(false);
    expect((await bind(catalog, 'recheck_signal', {}).run(ctx())).summary).toBe('still firing for inc-1');
  });
});
