import { describe, expect, it } from 'vitest';
import { ago, billing, BOT, brief, createWorld, later, only, type World } from './world.js';

/** A Dashboard change by Dana: a `sapi` entry as Auth0 logs it (the caller is the Dashboard's client). */
const sapi = (method: string, path: string, body: unknown, extra: Record<string, unknown> = {}) => ({
  client_id: 'xZjM1MjUxDashboard01',
  client_name: '',
  ip: '203.0.113.50',
  description: 'Update settings',
  user_id: 'google-oauth2|1049',
  details: {
    request: {
      method,
      path,
      body,
      channel: 'https://manage.auth0.com/',
      auth: {
        user: { user_id: 'google-oauth2|1049', name: 'Dana Admin', email: 'dana@acme.example' },
        strategy: 'jwt',
        credentials: { jti: 'x' },
      },
    },
    response: { statusCode: 200 },
  },
  ...extra,
});

const bruteForceOff = sapi('patch', '/api/v2/attack-protection/brute-force-protection', { enabled: false });
const passwordGrant = sapi('patch', '/api/v2/clients/Spa00000000000000000001', {
  grant_types: ['authorization_code', 'password'],
});

const opened = (world: World, now = later(0)) =>
  brief(world.detector({ now: () => now }).evaluate([])).filter((d) => d.kind === 'open');

describe('security weakened', () => {
  it('opens high on one protection turned off, beside ordinary traffic, naming the person and the change', () => {
    const world = createWorld();
    world.normal(120);
    world.add('sapi', 1, 1, bruteForceOff);
    const decision = only(world.detector().evaluate([]), 'security_weakened');
    expect(decision).toMatchObject({
      kind: 'open',
      scope: 'setting:brute-force-protection',
      severity: 'high',
      title: 'Security weakened: brute-force protection turned off by dana@acme.example',
    });
    expect(decision.evidence.topReasons).toEqual([{ value: 'brute-force protection turned off', count: 1 }]);
    expect(decision.evidence.suspects).toContainEqual(
      expect.objectContaining({ who: 'dana@acme.example', what: 'brute-force protection turned off' }),
    );
  });

  it('opens medium on access widened on an application, scoped to that application', () => {
    const world = createWorld();
    world.normal(60);
    world.add('sapi', 0, 1, passwordGrant);
    expect(opened(world)).toEqual([
      {
        kind: 'open',
        signal: 'security_weakened',
        scope: 'client:Spa00000000000000000001',
        severity: 'medium',
        title: 'Security weakened: password grant enabled on Spa00000000000000000001 by dana@acme.example',
      },
    ]);
  });

  it('opens low on a member removed, and one incident per weakened thing', () => {
    const world = createWorld();
    world.add('sapi', 2, 1, sapi('delete', '/api/v2/tenants/members/auth0|7', undefined));
    world.add('sapi', 1, 1, sapi('put', '/api/v2/guardian/policies', []));
    world.add('sapi', 0, 1, sapi('put', '/api/v2/guardian/policies', []));
    const decisions = opened(world);
    expect(decisions.map((d) => [d.scope, d.severity])).toEqual(
      expect.arrayContaining([
        ['members:removed', 'low'],
        ['setting:mfa-policy', 'high'],
      ]),
    );
    expect(decisions).toHaveLength(2);
    expect(decisions.find((d) => d.scope === 'setting:mfa-policy')?.title).toBe(
      'Security weakened: MFA policy set to Never by dana@acme.example (+1 more change)',
    );
  });

  it('stays quiet for ordinary admin work: protections turned on, callbacks, profile edits, reads', () => {
    const world = createWorld();
    world.normal(60);
    world.add(
      'sapi',
      1,
      1,
      sapi('patch', '/api/v2/attack-protection/brute-force-protection', { enabled: true }),
    );
    world.add('sapi', 1, 1, sapi('put', '/api/v2/guardian/policies', ['all-applications']));
    world.add(
      'sapi',
      0,
      1,
      sapi('patch', '/api/v2/clients/WebApp0000000000000001', { callbacks: ['https://a/cb'] }),
    );
    world.add('sapi', 0, 1, sapi('patch', '/api/v2/users/auth0|user3', { user_metadata: { plan: 'pro' } }));
    expect(opened(world)).toEqual([]);
  });

  it('never opens for the bot’s own Management API calls', () => {
    const world = createWorld();
    world.add('sapi', 0, 1, { ...bruteForceOff, client_id: BOT });
    expect(opened(world)).toEqual([]);
  });

  it('opens while the change is in the 5-minute window, not after (boundary)', () => {
    const world = createWorld();
    world.add('sapi', 4, 1, bruteForceOff);
    expect(opened(world).map((d) => d.signal)).toEqual(['security_weakened']);
    const late = createWorld();
    late.add('sapi', 5, 1, bruteForceOff);
    expect(opened(late)).toEqual([]);
  });

  it('recovers after the quiet period, saying the change itself stays made', () => {
    const world = createWorld();
    world.add('sapi', 0, 1, bruteForceOff);
    const open = [
      { signal: 'security_weakened', scope: 'setting:brute-force-protection', severity: 'high' as const },
    ];
    expect(world.detector({ now: () => later(10) }).evaluate(open)).toEqual([]);
    expect(world.detector({ now: () => later(20) }).evaluate(open)).toEqual([
      {
        kind: 'recover',
        signal: 'security_weakened',
        scope: 'setting:brute-force-protection',
        reason:
          'no further weakening change for 15 min; what was changed stays as it is until someone changes it back',
      },
    ]);
  });
});

describe('secret exposure', () => {
  const readSecret = (user = true) => ({
    client_id: 'xZjM1MjUxDashboard01',
    client_name: '',
    ip: '203.0.113.50',
    description: 'Get client by ID',
    details: {
      accessedSecrets: ['client_secret'],
      request: {
        method: 'get',
        path: '/api/v2/clients/Worker000000000000000001',
        auth: user
          ? { user: { email: 'dana@acme.example', name: 'Dana Admin' }, strategy: 'jwt', credentials: {} }
          : { strategy: 'jwt', credentials: { jti: 'x' } },
      },
      response: { statusCode: 200, body: { client_id: 'Worker000000000000000001', name: 'billing-worker' } },
    },
  });

  it('opens low when a person reads a client secret, beside ordinary traffic', () => {
    const world = createWorld();
    world.normal(60);
    world.add('mgmt_api_read', 0, 1, readSecret());
    expect(opened(world)).toEqual([
      {
        kind: 'open',
        signal: 'secret_exposure',
        scope: 'client:Worker000000000000000001',
        severity: 'low',
        title:
          'Secret exposed: client_secret of billing-worker (Worker000000000000000001) read by dana@acme.example',
      },
    ]);
  });

  it('opens medium when the API Explorer gets a Management API token', () => {
    const world = createWorld();
    world.normal(60);
    world.add('seccft', 0, 1, {
      client_id: 'Explorer0000000000000001',
      client_name: 'API Explorer Application',
      ip: '203.0.113.50',
      audience: 'https://acme.eu.auth0.com/api/v2/',
    });
    expect(opened(world)).toEqual([
      expect.objectContaining({
        signal: 'secret_exposure',
        scope: 'client:Explorer0000000000000001/api-explorer',
        severity: 'medium',
        title: 'Secret exposed: Management API token issued to the API Explorer from 203.0.113.50',
      }),
    ]);
  });

  it('stays quiet for the bot’s own reads, machine reads and other clients’ tokens', () => {
    const world = createWorld();
    world.normal(60);
    world.add('mgmt_api_read', 0, 1, { ...readSecret(), client_id: BOT });
    world.add('mgmt_api_read', 0, 1, readSecret(false));
    world.add('seccft', 0, 3, billing);
    expect(opened(world)).toEqual([]);
  });

  it('counts reads in the window: five reads of one secret are still one low card (boundary)', () => {
    const world = createWorld();
    world.add('mgmt_api_read', 0, 5, readSecret());
    expect(opened(world).map((d) => [d.severity, d.title])).toEqual([
      [
        'low',
        'Secret exposed: client_secret of billing-worker (Worker000000000000000001) read by dana@acme.example (+4 more times)',
      ],
    ]);
  });
});

describe('attribution of tenant changes', () => {
  it('names the person behind a Dashboard change, not the Dashboard’s client ID', () => {
    const world = createWorld();
    world.add('seccft', 180, 3, billing);
    world.add('feccft', 1, 6, billing);
    world.add('sapi', 8, 1, sapi('patch', '/api/v2/clients/Zx81billing', { client_secret: '[REDACTED]' }));
    const decision = only(world.detector().evaluate([]), 'm2m_token_failures');
    expect(decision.title).toBe('M2M token failures for billing-worker (Zx81billing) after a secret change');
    expect(decision.evidence.correlation).toEqual({
      kind: 'secret_change',
      at: ago(8),
      detail: 'PATCH /api/v2/clients/Zx81billing (client_secret) by dana@acme.example',
    });
    expect(decision.evidence.suspects[0]).toMatchObject({ who: 'dana@acme.example' });
  });

  it('does not call a PATCH of callbacks a secret change: it stays a suspect', () => {
    const world = createWorld();
    world.add('seccft', 180, 3, billing);
    world.add('feccft', 1, 6, billing);
    world.add('sapi', 8, 1, sapi('patch', '/api/v2/clients/Zx81billing', { callbacks: ['https://a/cb'] }));
    const decision = only(world.detector().evaluate([]), 'm2m_token_failures');
    expect(decision.title).toBe('M2M token failures for billing-worker (Zx81billing)');
    expect(decision.evidence.correlation).toBeUndefined();
    expect(decision.evidence.suspects).toEqual([
      expect.objectContaining({
        who: 'dana@acme.example',
        what: 'PATCH /api/v2/clients/Zx81billing (callbacks)',
      }),
    ]);
  });

  it('falls back to the client when no person is logged', () => {
    const world = createWorld();
    world.add('seccft', 180, 3, billing);
    world.add('feccft', 1, 6, billing);
    world.add('sapi', 8, 1, {
      client_id: 'TerraformCI1',
      client_name: 'terraform',
      description: 'Update a client',
      details: {
        request: { method: 'patch', path: '/api/v2/clients/Zx81billing', body: { client_secret: 'x' } },
      },
    });
    expect(only(world.detector().evaluate([]), 'm2m_token_failures').evidence.suspects[0]).toMatchObject({
      who: 'terraform',
    });
  });
});
