import { describe, expect, it } from 'vitest';
import { classifyLog, parseLogEntry } from '../../../../src/core/logs/classification.js';
import { BOT, brief, createWorld } from './world.js';

/** `api_limit` as Auth0 logs it: `details.limit.{bucket,global,size}` and the request. */
const limit = (path: string, global: boolean, ip = '198.51.100.23', method = 'POST') => ({
  ip,
  client_id: 'WebApp0000000000000001',
  client_name: 'acme-web',
  hostname: 'acme.eu.auth0.com',
  description: `You passed the limit of allowed calls to '${path}'`,
  details: { limit: { bucket: 'per_ip_and_endpoint', global, size: 30 }, request: { method, path } },
});

const classified = (fields: Record<string, unknown>) => {
  const parsed = parseLogEntry({ log_id: 'l1', date: '2026-03-10T12:00:00Z', type: 'api_limit', ...fields });
  if (!parsed.ok) throw new Error(parsed.problem);
  return classifyLog(parsed.entry, { botClientId: BOT });
};

describe('api_limit is split by bucket', () => {
  it.each([
    {
      case: 'a per-IP limit on /oauth/token',
      fields: limit('/oauth/token', false),
      scope: 'ip:198.51.100.23',
      reason: 'POST /oauth/token (per-IP limit)',
    },
    {
      case: 'the tenant-wide Authentication API limit',
      fields: limit('/authorize', true, '198.51.100.23', 'GET'),
      scope: 'api:authentication',
      reason: 'GET /authorize (global limit)',
    },
    {
      case: 'a Management API limit',
      fields: limit('/api/v2/users', true, '34.120.10.5', 'GET'),
      scope: 'api:management',
      reason: 'GET /api/v2/users (global limit)',
    },
    {
      case: 'a Management API limit known from its description and bucket only',
      fields: {
        description: "You passed the limit of allowed calls to '/api/v2/logs'",
        details: { limit: { bucket: 'management-api:management', global: true, size: 10 } },
      },
      scope: 'api:management',
      reason: '/api/v2/logs (global limit)',
    },
    {
      case: 'an entry that says neither',
      fields: { description: 'Rate limit exceeded' },
      scope: 'tenant',
      reason: 'Rate limit exceeded',
    },
  ])('$case → $scope', ({ fields, scope, reason }) => {
    expect(classified(fields)).toMatchObject({ signal: 'rate_limit', scope, reason });
  });
});

describe('rate-limit incidents per bucket', () => {
  it('opens a per-IP card that names the IP and the path, not a tenant-wide one', () => {
    const world = createWorld();
    world.normal(60);
    world.add('api_limit', 0, 2, limit('/oauth/token', false));
    expect(brief(world.detector().evaluate([]))).toEqual([
      {
        kind: 'open',
        signal: 'rate_limit',
        scope: 'ip:198.51.100.23',
        severity: 'medium',
        title: 'Authentication API per-IP rate limit hit by 198.51.100.23 on /oauth/token (2 times in 5 min)',
      },
    ]);
  });

  it('keeps the Management API, the Authentication API and each IP apart', () => {
    const world = createWorld();
    for (const m of [0, 1, 2])
      world.add('api_limit', m, 1, limit('/api/v2/users', true, '34.120.10.5', 'GET'));
    world.add('api_limit', 0, 1, limit('/co/authenticate', true));
    world.add('api_limit', 0, 1, limit('/oauth/token', false, '198.51.100.9'));
    const decisions = brief(world.detector().evaluate([]));
    expect(decisions.map((d) => (d.kind === 'recover' ? d.scope : [d.scope, d.severity, d.title]))).toEqual(
      expect.arrayContaining([
        [
          'api:management',
          'high',
          'Management API rate limit hit on /api/v2/users in 3 of the last 5 minutes',
        ],
        [
          'api:authentication',
          'medium',
          'Authentication API tenant-wide rate limit hit on /co/authenticate (1 time in 5 min)',
        ],
        [
          'ip:198.51.100.9',
          'medium',
          'Authentication API per-IP rate limit hit by 198.51.100.9 on /oauth/token (1 time in 5 min)',
        ],
      ]),
    );
    expect(decisions).toHaveLength(3);
  });

  it('counts warnings in the bucket they belong to', () => {
    const world = createWorld();
    world.add('api_limit_warning', 1, 2, limit('/api/v2/users', true, '34.120.10.5', 'GET'));
    world.add('api_limit_warning', 1, 3, limit('/oauth/token', false));
    world.add('api_limit', 0, 1, limit('/oauth/token', false));
    const [decision] = world.detector().evaluate([]);
    expect(decision?.kind !== 'recover' && decision?.evidence.summary).toBe(
      'api_limit in 1 of the last 5 minutes; 3 api_limit_warning in 5 min',
    );
  });
});
