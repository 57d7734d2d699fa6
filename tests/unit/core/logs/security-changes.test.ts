import { describe, expect, it } from 'vitest';
import { classifyLog, parseLogEntry } from '../../../../src/core/logs/classification.js';
import { actorOf, changeSummary, isCredentialChange } from '../../../../src/core/logs/management-request.js';
import { secretExposureOf } from '../../../../src/core/logs/secret-exposure.js';
import { securityChangeOf, weakeningSeverity } from '../../../../src/core/logs/security-changes.js';

/** A sapi entry's details as the Management API v2 logs them (request by a Dashboard user). */
const request = (method: string, path: string, body?: unknown, response?: unknown) => ({
  request: {
    method,
    path,
    query: {},
    channel: 'https://manage.auth0.com/',
    ip: '203.0.113.50',
    auth: {
      user: { user_id: 'google-oauth2|1049', name: 'Dana Admin', email: 'dana@acme.example' },
      strategy: 'jwt',
      credentials: { jti: 'x' },
    },
    ...(body === undefined ? {} : { body }),
  },
  response: { statusCode: 200, ...(response === undefined ? {} : { body: response }) },
});

const MGMT = 'https://acme.eu.auth0.com/api/v2/';

describe('securityChangeOf: weakenings read from the request body', () => {
  it.each([
    {
      case: 'brute-force protection turned off',
      details: request('patch', '/api/v2/attack-protection/brute-force-protection', { enabled: false }),
      expected: { scope: 'setting:brute-force-protection', what: 'brute-force protection turned off' },
    },
    {
      case: 'brute-force protection left notifying only',
      details: request('patch', '/api/v2/attack-protection/brute-force-protection', {
        enabled: true,
        shields: ['user_notification'],
      }),
      expected: {
        scope: 'setting:brute-force-protection',
        what: 'brute-force protection set to stop blocking',
      },
    },
    {
      case: 'suspicious IP throttling off',
      details: request('patch', '/api/v2/attack-protection/suspicious-ip-throttling', { enabled: false }),
      expected: { scope: 'setting:suspicious-ip-throttling', what: 'suspicious IP throttling turned off' },
    },
    {
      case: 'breached password detection off (Dashboard wording, other path)',
      details: request('patch', '/api/v2/anomaly/breached-password', { enabled: false }),
      description: 'Update Breached Password Detection settings',
      expected: {
        scope: 'setting:breached-password-detection',
        what: 'breached password detection turned off',
      },
    },
    {
      case: 'bot detection off for two flows',
      details: request('patch', '/api/v2/attack-protection/bot-detection', {
        challenge_password_policy: 'never',
        challenge_password_reset_policy: 'never',
        challenge_passwordless_policy: 'when_risky',
      }),
      expected: {
        scope: 'setting:bot-detection',
        what: 'bot detection turned off for password logins, password resets',
      },
    },
    {
      case: 'breached password detection no longer blocking at sign-up',
      details: request('patch', '/api/v2/attack-protection/breached-password-detection', {
        stage: { 'pre-user-registration': { shields: ['admin_notification'] } },
      }),
      expected: {
        scope: 'setting:breached-password-detection',
        what: 'breached password detection set to stop blocking at sign-up',
      },
    },
    {
      case: 'addresses allowlisted in suspicious IP throttling',
      details: request('patch', '/api/v2/attack-protection/suspicious-ip-throttling', {
        allowlist: ['198.51.100.0/24', '192.0.2.77'],
      }),
      expected: {
        scope: 'setting:suspicious-ip-throttling/allowlist',
        what: 'suspicious IP throttling allowlist set to 198.51.100.0/24, 192.0.2.77',
      },
    },
    {
      case: 'bot detection put in monitoring mode',
      details: request('patch', '/api/v2/attack-protection/bot-detection', { monitoring_mode_enabled: true }),
      expected: { scope: 'setting:bot-detection', what: 'bot detection set to monitor only (no challenges)' },
    },
    {
      case: 'MFA set to Never',
      details: request('put', '/api/v2/guardian/policies', []),
      expected: { scope: 'setting:mfa-policy', what: 'MFA policy set to Never' },
    },
    {
      case: 'an MFA factor turned off',
      details: request('put', '/api/v2/guardian/factors/webauthn-roaming', { enabled: false }),
      expected: {
        scope: 'setting:mfa-factor-webauthn-roaming',
        what: 'MFA factor webauthn-roaming turned off',
      },
    },
    {
      case: 'password grant and cross-origin authentication enabled on an application',
      details: request(
        'patch',
        '/api/v2/clients/Spa00000000000000000001',
        {
          grant_types: ['authorization_code', 'refresh_token', 'password'],
          cross_origin_authentication: true,
        },
        { client_id: 'Spa00000000000000000001', name: 'acme-spa' },
      ),
      expected: {
        scope: 'client:Spa00000000000000000001',
        what: 'password grant enabled, cross-origin authentication enabled on acme-spa (Spa00000000000000000001)',
      },
    },
    {
      case: 'a new application created with the implicit grant',
      details: request(
        'post',
        '/api/v2/clients',
        { name: 'legacy-portal', grant_types: ['implicit'] },
        { client_id: 'Legacy0000000000000001', name: 'legacy-portal' },
      ),
      expected: {
        scope: 'client:Legacy0000000000000001',
        what: 'implicit grant enabled on new application legacy-portal (Legacy0000000000000001)',
      },
    },
    {
      case: 'Management API scopes granted to a client',
      details: request('post', '/api/v2/client-grants', {
        client_id: 'Worker000000000000000002',
        audience: MGMT,
        scope: [
          'read:users',
          'update:users',
          'delete:users',
          'read:clients',
          'read:client_keys',
          'update:clients',
        ],
      }),
      expected: {
        scope: 'client:Worker000000000000000002',
        what:
          'Management API scopes granted to Worker000000000000000002: read:users, update:users, delete:users, ' +
          'read:clients, read:client_keys and 1 more',
      },
    },
    {
      case: 'Management API scopes widened by a PATCH (audience and client in the response)',
      details: request(
        'patch',
        '/api/v2/client-grants/cgr_abc123',
        { scope: ['read:users', 'create:client_grants'] },
        { id: 'cgr_abc123', client_id: 'Worker000000000000000002', audience: MGMT },
      ),
      expected: {
        scope: 'client:Worker000000000000000002',
        what: 'Management API scopes granted to Worker000000000000000002: read:users, create:client_grants',
      },
    },
    {
      case: 'a tenant member invited as owner',
      details: request('post', '/api/v2/tenants/invitations', {
        owners: ['mallory@gmail.example'],
        roles: ['owner'],
      }),
      expected: { scope: 'members:added', what: 'tenant member invited: mallory@gmail.example as owner' },
    },
    {
      case: 'a tenant member removed',
      details: request('delete', '/api/v2/tenants/members/auth0|42'),
      description: 'Delete tenant member',
      expected: { scope: 'members:removed', what: 'tenant member removed' },
    },
    {
      case: 'the post-login flow emptied',
      details: request('patch', '/api/v2/actions/triggers/post-login/bindings', { bindings: [] }),
      expected: {
        scope: 'setting:post-login-flow',
        what: 'post-login Actions flow emptied (every Action removed)',
      },
    },
    {
      case: 'the post-login flow rebound',
      details: request('patch', '/api/v2/actions/triggers/post-login/bindings', {
        bindings: [{ ref: { type: 'action_id', value: 'a1' }, display_name: 'Country-based Access' }],
      }),
      expected: {
        scope: 'setting:post-login-flow',
        what: 'post-login Actions flow changed (1 bound: Country-based Access)',
      },
    },
  ])('$case', ({ details, description, expected }) => {
    expect(securityChangeOf(details, description ?? null)).toEqual(expected);
  });

  it.each([
    {
      case: 'turning brute-force protection on',
      details: request('patch', '/api/v2/attack-protection/brute-force-protection', {
        enabled: true,
        shields: ['block', 'user_notification'],
      }),
    },
    {
      case: 'an allowlist emptied',
      details: request('patch', '/api/v2/attack-protection/brute-force-protection', { allowlist: [] }),
    },
    {
      case: 'tightening brute-force protection (fewer attempts)',
      details: request('patch', '/api/v2/attack-protection/brute-force-protection', { max_attempts: 5 }),
    },
    {
      case: 'bot detection set to always challenge',
      details: request('patch', '/api/v2/attack-protection/bot-detection', {
        challenge_password_policy: 'always',
      }),
    },
    {
      case: 'MFA required always',
      details: request('put', '/api/v2/guardian/policies', ['all-applications']),
    },
    {
      case: 'an MFA factor turned on',
      details: request('put', '/api/v2/guardian/factors/webauthn-platform', { enabled: true }),
    },
    {
      case: 'a client PATCH of callbacks only',
      details: request('patch', '/api/v2/clients/WebApp0000000000000001', {
        callbacks: ['https://app.acme.example/callback'],
        allowed_logout_urls: ['https://app.acme.example'],
      }),
    },
    {
      case: 'grant types without password or implicit',
      details: request('patch', '/api/v2/clients/WebApp0000000000000001', {
        grant_types: ['authorization_code', 'refresh_token'],
        cross_origin_authentication: false,
      }),
    },
    {
      case: 'scopes granted on another API',
      details: request('post', '/api/v2/client-grants', {
        client_id: 'Worker000000000000000002',
        audience: 'https://billing.acme.example/',
        scope: ['write:invoices'],
      }),
    },
    {
      case: 'a grant PATCH whose audience is not logged',
      details: request('patch', '/api/v2/client-grants/cgr_abc123', { scope: ['read:users'] }),
    },
    {
      case: 'a user profile edit',
      details: request('patch', '/api/v2/users/auth0|user7', { user_metadata: { plan: 'pro' } }),
    },
    {
      case: 'an invitation declined',
      details: request('patch', '/api/v2/tenants/invitations/inv_1', { state: 'declined' }),
    },
    { case: 'a read', details: request('get', '/api/v2/attack-protection/brute-force-protection') },
    { case: 'no request logged', details: { response: { statusCode: 200 } } },
    { case: 'details of the wrong type', details: 'enabled: false' },
  ])('none for $case', ({ details }) => {
    expect(securityChangeOf(details, 'Update settings')).toBeUndefined();
  });

  it('bounds what it repeats from the body and keeps odd IDs out of scopes', () => {
    const long = request('post', '/api/v2/tenants/invitations', {
      owners: ['x'.repeat(500)],
      roles: ['owner'],
    });
    expect(securityChangeOf(long, null)?.what.length).toBeLessThan(120);
    const odd = request('patch', '/api/v2/clients/abc def<script>', { grant_types: ['password'] });
    expect(securityChangeOf(odd, null)).toBeUndefined();
  });
});

describe('weakeningSeverity', () => {
  it.each([
    ['setting:brute-force-protection', 'high'],
    ['setting:suspicious-ip-throttling', 'high'],
    ['setting:breached-password-detection', 'high'],
    ['setting:bot-detection', 'high'],
    ['setting:mfa-policy', 'high'],
    ['setting:mfa-factor-sms', 'medium'],
    ['setting:brute-force-protection/allowlist', 'medium'],
    ['client:Spa00000000000000000001', 'medium'],
    ['setting:post-login-flow', 'medium'],
    ['members:added', 'medium'],
    ['members:removed', 'low'],
  ])('%s is %s', (scope, severity) => {
    expect(weakeningSeverity(scope)).toBe(severity);
  });
});

describe('actorOf', () => {
  it('names the person from details.request.auth.user: email, else name, else ID; a string as it is', () => {
    expect(actorOf(request('patch', '/api/v2/clients/x'))).toBe('dana@acme.example');
    const named = { request: { auth: { user: { name: 'Dana Admin', user_id: 'auth0|1' } } } };
    expect(actorOf(named)).toBe('Dana Admin');
    expect(actorOf({ request: { auth: { user: 'ops@acme.example' } } })).toBe('ops@acme.example');
  });

  it('is nobody for a machine-to-machine call or malformed details', () => {
    expect(actorOf({ request: { auth: { strategy: 'jwt', credentials: { jti: 'x' } } } })).toBeUndefined();
    expect(actorOf({ request: { auth: { user: { email: 42 } } } })).toBeUndefined();
    expect(actorOf(null)).toBeUndefined();
  });
});

describe('secretExposureOf', () => {
  const read = (path: string, user = true) => ({
    ...request('get', path),
    ...(user
      ? {}
      : { request: { method: 'get', path, auth: { strategy: 'jwt', credentials: { jti: 'x' } } } }),
    accessedSecrets: ['client_secret'],
    response: { statusCode: 200, body: { client_id: 'Worker000000000000000001', name: 'billing-worker' } },
  });

  it('is a person reading a client secret, scoped to that client', () => {
    const details = read('/api/v2/clients/Worker000000000000000001');
    expect(secretExposureOf('mgmt_api_read', { clientId: 'DashAdmin01', clientName: null, details })).toEqual(
      {
        scope: 'client:Worker000000000000000001',
        what: 'client_secret of billing-worker (Worker000000000000000001) read',
      },
    );
  });

  it('is the API Explorer getting a Management API token', () => {
    expect(
      secretExposureOf('seccft', {
        clientId: 'Explorer01',
        clientName: 'API Explorer Application',
        details: {},
      }),
    ).toEqual({
      scope: 'client:Explorer01/api-explorer',
      what: 'Management API token issued to the API Explorer',
    });
  });

  it('is nothing for a machine read, a read without secrets, or another client’s token', () => {
    const machine = read('/api/v2/clients/Worker000000000000000001', false);
    expect(
      secretExposureOf('mgmt_api_read', { clientId: 'Deploy01', clientName: 'deploy', details: machine }),
    ).toBeUndefined();
    const none = { ...read('/api/v2/clients/Worker000000000000000001'), accessedSecrets: [] };
    expect(
      secretExposureOf('mgmt_api_read', { clientId: 'D', clientName: null, details: none }),
    ).toBeUndefined();
    expect(
      secretExposureOf('seccft', { clientId: 'W1', clientName: 'billing-worker', details: {} }),
    ).toBeUndefined();
  });
});

describe('client changes that are secret changes', () => {
  const summary = (body: unknown, path = '/api/v2/clients/Worker000000000000000001') =>
    changeSummary(request('patch', path, body)) ?? null;

  it('lists the body keys, credential keys first', () => {
    expect(summary({ callbacks: [], client_secret: '[REDACTED]' })).toBe(
      'PATCH /api/v2/clients/Worker000000000000000001 (client_secret, callbacks)',
    );
  });

  it.each([
    { case: 'the secret', reason: summary({ client_secret: '[REDACTED]' }), expected: true },
    {
      case: 'its authentication methods',
      reason: summary({ client_authentication_methods: { private_key_jwt: { credentials: [] } } }),
      expected: true,
    },
    {
      case: 'its keys',
      reason: 'POST /api/v2/clients/Worker000000000000000001/credentials (name, pem)',
      expected: true,
    },
    {
      case: 'a rotation',
      reason: 'POST /api/v2/clients/Worker000000000000000001/rotate-secret',
      expected: true,
    },
    { case: 'only callbacks', reason: summary({ callbacks: ['https://x.example/cb'] }), expected: false },
    { case: 'grant types', reason: summary({ grant_types: ['client_credentials'] }), expected: false },
  ])('changing $case is a secret change: $expected', ({ reason, expected }) => {
    expect(isCredentialChange('Update a client', reason)).toBe(expected);
  });

  it('falls back on Auth0’s wording when no request is logged', () => {
    expect(isCredentialChange('Rotate a client secret (Zx81billing)', null)).toBe(true);
    expect(isCredentialChange('Update a client (Zx81billing)', null)).toBe(false);
  });
});

describe('classifyLog reads security at ingest (stored events keep no details)', () => {
  const classify = (fields: Record<string, unknown>) => {
    const parsed = parseLogEntry({ log_id: 'l1', date: '2026-03-10T12:00:00Z', ...fields });
    if (!parsed.ok) throw new Error(parsed.problem);
    return classifyLog(parsed.entry, { botClientId: 'botClient0001' });
  };

  it('makes a weakening sapi its own signal, scoped to what it weakened, with the person as user', () => {
    const c = classify({
      type: 'sapi',
      client_id: 'xZjM1MjUxDashboard01',
      client_name: '',
      details: request('patch', '/api/v2/attack-protection/suspicious-ip-throttling', { enabled: false }),
    });
    expect(c).toMatchObject({
      signal: 'security_change',
      scope: 'setting:suspicious-ip-throttling',
      reason: 'suspicious IP throttling turned off',
      own: false,
      entry: { userName: 'dana@acme.example', clientId: 'xZjM1MjUxDashboard01' },
    });
  });

  it('keeps any other sapi a tenant change with the request and body keys as reason', () => {
    const c = classify({
      type: 'sapi',
      client_id: 'xZjM1MjUxDashboard01',
      details: request('patch', '/api/v2/clients/WebApp0000000000000001', { callbacks: [] }),
    });
    expect(c).toMatchObject({
      signal: 'tenant_change',
      scope: 'client:xZjM1MjUxDashboard01',
      reason: 'PATCH /api/v2/clients/WebApp0000000000000001 (callbacks)',
      entry: { userName: 'dana@acme.example' },
    });
  });

  it('never reads the bot’s own calls as weakening or exposure', () => {
    const own = classify({
      type: 'sapi',
      client_id: 'botClient0001',
      details: request('patch', '/api/v2/attack-protection/brute-force-protection', { enabled: false }),
    });
    expect(own).toMatchObject({ signal: 'tenant_change', own: true });
    const read = classify({
      type: 'mgmt_api_read',
      client_id: 'botClient0001',
      details: { ...request('get', '/api/v2/clients/W1'), accessedSecrets: ['client_secret'] },
    });
    expect(read).toMatchObject({ signal: 'secrets_read', own: true });
  });

  it('keeps an explicit user_name rather than replacing it', () => {
    const c = classify({
      type: 'sapi',
      user_name: 'named@acme.example',
      details: request('patch', '/api/v2/users/auth0|1', { blocked: true }),
    });
    expect(c.entry.userName).toBe('named@acme.example');
  });
});
