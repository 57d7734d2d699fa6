import { describe, expect, it } from 'vitest';
import { CLIENT, everythingSaid, invariant, OLD_SECRET, Process, world } from './world.js';

describe('rotation of a client secret', () => {
  it('stores the new secret as AWSPENDING, sets it on Auth0, verifies it, then promotes it', async () => {
    const w = world('client_secret');
    w.tenant.lag = 2; // Auth0 refuses the new secret twice while it propagates
    const oldVersion = w.secrets.versionWith('AWSCURRENT');
    const result = await w.service().rotate(w.target, { trigger: 'command', by: 'U1' });
    expect(result).toMatchObject({ ok: true });
    const rotation = w.rotations.latestFor(CLIENT);
    expect(rotation).toMatchObject({ outcome: 'succeeded', state: 'finished' });
    expect(w.secrets.versionWith('AWSCURRENT')).toBe(rotation?.clientRequestToken);
    expect(w.secrets.versionWith('AWSPREVIOUS')).toBe(oldVersion);
    expect(w.tenant.secret).not.toBe(OLD_SECRET);
    expect(w.tenant.secret).toBe(w.secrets.valueOf('AWSCURRENT'));
    expect(await invariant(w)).toMatchObject({ currentCount: 1, pendingLeft: 0, works: true });
    expect(w.events.flatMap((e) => (e.type === 'state' ? [e.state] : []))).toEqual([
      'set',
      'tested',
      'finished',
    ]);
    expect(w.audit.latest(10).map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'rotation.finish:success',
      'rotation.start:started',
    ]);
  });

  it('rolls back when Auth0 keeps refusing the new secret: Auth0 gets AWSCURRENT back, AWSPENDING goes', async () => {
    const w = world('client_secret');
    w.tenant.refuse = (p) => p.kind === 'secret' && p.secret !== OLD_SECRET;
    const result = await w.service().rotate(w.target, { trigger: 'command', by: 'U1' });
    expect(result).toMatchObject({ ok: false, rolledBack: true });
    expect(w.rotations.latestFor(CLIENT)).toMatchObject({ outcome: 'rolled_back', state: 'rolling_back' });
    expect(w.tenant.secret).toBe(OLD_SECRET);
    expect(w.secrets.valueOf('AWSCURRENT')).toBe(OLD_SECRET);
    expect(await invariant(w)).toMatchObject({ currentCount: 1, pendingLeft: 0, works: true });
  });

  it('keeps every Auth0 change recorded when Secrets Manager goes down mid-rotation, and finishes on resume', async () => {
    const w = world('client_secret');
    const proc = new Process();
    const service = w.service(proc, {
      onEvent: (e) => {
        if (e.type === 'state' && e.state === 'finished') w.secrets.down = true;
      },
    });
    const result = await service.rotate(w.target, { trigger: 'command', by: 'U1' });
    expect(result).toMatchObject({ ok: false, rolledBack: false });
    const stuck = w.rotations.latestFor(CLIENT);
    // Auth0 holds the new secret; the row says so (state past `set`, the version token recorded).
    expect(stuck).toMatchObject({ outcome: null, state: 'finished' });
    expect(stuck?.error).toContain('InternalServiceError');
    expect(w.tenant.secret).toBe(w.secrets.versions.get(stuck?.clientRequestToken ?? '')?.value);
    w.secrets.down = false;
    expect(await w.service().resumeUnfinished()).toHaveLength(1);
    expect(w.rotations.get(stuck?.id ?? '')).toMatchObject({ outcome: 'succeeded' });
    expect(await invariant(w)).toMatchObject({ currentCount: 1, pendingLeft: 0, works: true });
  });

  it('runs one rotation when two are asked for at once; the other is already_running', async () => {
    const w = world('client_secret');
    const service = w.service();
    const [a, b] = await Promise.all([
      service.rotate(w.target, { trigger: 'command', by: 'U1' }),
      service.rotate(w.target, { trigger: 'command', by: 'U2' }),
    ]);
    expect([a, b].filter((r) => r.ok)).toHaveLength(1);
    expect([a, b].filter((r) => !r.ok && 'reason' in r && r.reason === 'already_running')).toHaveLength(1);
    expect(w.rotations.recent(10)).toHaveLength(1);
    expect(await invariant(w)).toMatchObject({ currentCount: 1, pendingLeft: 0, works: true });
  });

  it('refuses a paused target for scheduled runs only', async () => {
    const w = world('client_secret');
    w.paused.add(CLIENT);
    const service = w.service();
    expect(await service.rotate(w.target, { trigger: 'schedule', by: 'system' })).toMatchObject({
      ok: false,
      reason: 'paused',
    });
    expect(w.rotations.recent(10)).toHaveLength(0);
    expect(await service.rotate(w.target, { trigger: 'command', by: 'U1' })).toMatchObject({ ok: true });
  });

  it('lets no secret value out in audit rows, rotation rows, events, results or errors', async () => {
    const w = world('client_secret');
    const results: unknown[] = [];
    // An adapter error quoting the value it was given must still not leak through.
    const tenant = w.tenant;
    const service = w.service(new Process(), {
      tenant: {
        exchange: (c, p) => tenant.exchange(c, p),
        setClientSecret: (_c, secret) => Promise.reject(new Error(`PATCH refused: client_secret=${secret}`)),
        listCredentials: () => tenant.listCredentials(),
        createCredential: () => Promise.reject(new Error('unused')),
        activeCredentialIds: () => tenant.activeCredentialIds(),
        setActiveCredentials: () => Promise.resolve(),
        deleteCredential: () => Promise.resolve(),
      },
    });
    results.push(await service.rotate(w.target, { trigger: 'command', by: 'U1' }));
    // Auth0 refused both the new and the restoring PATCH: left for the resume, which finishes it.
    expect(results[0]).toMatchObject({ ok: false, rolledBack: false });
    const healthy = w.service();
    expect(await healthy.resumeUnfinished()).toHaveLength(1);
    results.push(await healthy.rotate(w.target, { trigger: 'command', by: 'U1' }));
    expect(results[1]).toMatchObject({ ok: true });
    const k = world('private_key_jwt');
    results.push(await k.service().rotate(k.target, { trigger: 'command', by: 'U1' }));
    const said = everythingSaid(w, results) + everythingSaid(k);
    expect(said).toContain('[redacted]');
    for (const value of [...w.secretValues, ...k.secretValues]) expect(said).not.toContain(value);
    expect(w.secretValues.length).toBeGreaterThan(2);
  });
});

describe('rotation of a private_key_jwt credential', () => {
  it('adds the new key, enables both, verifies, promotes, and removes the old key after the grace period', async () => {
    const w = world('private_key_jwt');
    const slept: number[] = [];
    const result = await w
      .service(new Process(), {
        sleep: (ms) => {
          slept.push(ms);
          return Promise.resolve();
        },
      })
      .rotate(w.target, { trigger: 'command', by: 'U1' });
    expect(result).toMatchObject({ ok: true });
    const rotation = w.rotations.latestFor(CLIENT);
    expect(rotation).toMatchObject({ outcome: 'succeeded', state: 'cleanup_pending' });
    expect(w.events.flatMap((e) => (e.type === 'state' ? [e.state] : []))).toEqual([
      'created',
      'credential_added',
      'enabled_both',
      'tested',
      'finished',
      'cleanup_pending',
    ]);
    expect(slept.some((ms) => ms >= 50_000)).toBe(true);
    expect(w.tenant.credentials.map((c) => c.id)).toEqual([rotation?.detail.newCredentialId]);
    expect(w.tenant.active).toEqual([rotation?.detail.newCredentialId]);
    expect(await invariant(w)).toMatchObject({ currentCount: 1, pendingLeft: 0, works: true });
  });

  it('rolls back a refused key: the new credential is detached and deleted, AWSPENDING removed', async () => {
    const w = world('private_key_jwt');
    const original = w.secrets.valueOf('AWSCURRENT');
    w.tenant.refuse = (p) => p.kind === 'private_key_jwt' && p.pem !== original;
    const result = await w.service().rotate(w.target, { trigger: 'command', by: 'U1' });
    expect(result).toMatchObject({ ok: false, rolledBack: true });
    expect(w.tenant.credentials.map((c) => c.id)).toEqual(['cred_old']);
    expect(w.tenant.active).toEqual(['cred_old']);
    expect(await invariant(w)).toMatchObject({ currentCount: 1, pendingLeft: 0, works: true });
  });
});
