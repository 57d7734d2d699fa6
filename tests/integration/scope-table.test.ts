import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES, FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { SCOPE_TABLE, allScopes, scopesFor, type ManagementCall } from '../../src/core/doctor/scopes.js';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const publicPem = () =>
  createPublicKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)
    .export({ type: 'spki', format: 'pem' })
    .toString();

/** Adapter operations that are not Management API calls: the token endpoint and the public JWKS. */
const NOT_MANAGEMENT = new Set(['oauth.token.verify', 'jwks.fetch']);

const operationsInAdapters = (): Set<string> => {
  const dir = new URL('../../src/auth0/', import.meta.url);
  const found = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(new URL(file, dir), 'utf8');
    for (const m of text.matchAll(
      /'((?:logs|keys|customDomains|clients|anomaly|oauth|jwks)\.[A-Za-z.]+(?:\([a-z_]+\))?)'/g,
    ))
      if (m[1]) found.add(m[1]);
  }
  return found;
};

const tableOperations = new Set(SCOPE_TABLE.flatMap((f) => f.calls.map((c) => c.operation)));

describe('the scope table', () => {
  it('names every Management API call the adapters make, and nothing they do not make', () => {
    const used = [...operationsInAdapters()].filter((op) => !NOT_MANAGEMENT.has(op));
    expect(used.length).toBeGreaterThan(10);
    expect([...used].sort()).toEqual([...tableOperations].sort());
  });

  it('says update:client_keys for every PATCH of client_secret', () => {
    const patches = SCOPE_TABLE.flatMap((f) => f.calls).filter((c) => c.field === 'client_secret');
    expect(patches.length).toBeGreaterThan(0);
    for (const call of patches)
      expect(call.scopes).toEqual(expect.arrayContaining(['update:clients', 'update:client_keys']));
  });

  it('is what the README tells people to grant, no more and no less', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('## Create the Auth0 application');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const listed = new Set(
      [...section.matchAll(/`((?:read|create|update|delete):[a-z_]+)`/g)].map((m) => m[1]),
    );
    expect([...listed].sort()).toEqual(allScopes().sort());
    // And feature by feature, as the table says.
    for (const feature of SCOPE_TABLE) {
      const scopes = scopesFor(feature)
        .map((s) => `\`${s}\``)
        .join(', ');
      expect(section).toMatch(new RegExp(`\\| ${escape(feature.name)} +\\| ${escape(scopes)} +\\|`));
    }
  });
});

/**
 * The fake models Auth0's documented rules on its own (packages/fakes/auth0/field-scopes.ts and
 * each route's scope); here it is held to the app's table: with exactly a call's scopes the call
 * works, and without any one of them Auth0 refuses it (403) or leaves the field out.
 */
describe('the fake Auth0 enforces the scope table', () => {
  let auth0: FakeAuth0;
  let n = 0;
  beforeAll(async () => {
    auth0 = await FakeAuth0.start({
      logRateLimits: false,
      rateLimits: {
        management: { burst: 10_000, perMinute: 100_000 },
        logs: { burst: 10_000, perMinute: 100_000 },
      },
    });
  });
  afterAll(() => auth0.stop());

  /** A fresh private_key_jwt client with one active credential, and a detached spare if asked. */
  const jwtClient = (withSpare: boolean) => {
    n += 1;
    const spare = `cred_spare_${n}`;
    const client = auth0.addClient({
      clientId: `jwtTarget${String(n).padStart(4, '0')}`,
      name: `target ${n}`,
      credentials: [
        { id: `cred_active_${n}`, pem: publicPem() },
        ...(withSpare ? [{ id: spare, pem: publicPem(), active: false }] : []),
      ],
    });
    return { id: client.clientId, spare };
  };

  const send = async (call: ManagementCall, scopes: readonly string[]) => {
    n += 1;
    const caller = auth0.addClient({
      clientId: `caller${String(n).padStart(6, '0')}`,
      name: 'caller',
      scopes: [...scopes],
    });
    const token = auth0.issueToken(caller.clientId);
    const secretClient = auth0.addClient({ clientId: `secretTarget${n}`, name: 'secret target' }).clientId;
    const { id: target, spare } = jwtClient(true);
    const request = (method: string, path: string, body?: unknown) =>
      fetch(`${auth0.baseUrl}/api/v2${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const requests: Record<string, () => Promise<Response>> = {
      'logs.checkpoint': () => request('GET', '/logs?take=10'),
      'logs.search': () => request('GET', '/logs?q=type:s&per_page=1&include_totals=true'),
      'keys.signing.list': () => request('GET', '/keys/signing'),
      'customDomains.list': () => request('GET', '/custom-domains'),
      'clients.list': () =>
        request(
          'GET',
          '/clients?app_type=non_interactive&fields=client_id,client_authentication_methods&include_fields=true&per_page=100',
        ),
      'clients.credentials.list': () => request('GET', `/clients/${target}/credentials`),
      'clients.get(exists)': () => request('GET', `/clients/${target}?fields=client_id&include_fields=true`),
      'clients.get': () => request('GET', `/clients/${target}`),
      'clients.update(client_secret)': () =>
        request('PATCH', `/clients/${secretClient}`, {
          client_secret: 'a-new-secret-value-0123456789abcdefghij',
        }),
      'keys.signing.revoke': () => request('PUT', '/keys/signing/no-such-kid/revoke'),
      'anomaly.blocks.checkIp': () => request('GET', '/anomaly/blocks/ips/203.0.113.9'),
      'anomaly.blocks.unblockIp': () => request('DELETE', '/anomaly/blocks/ips/203.0.113.9'),
      'clients.credentials.create': () =>
        request('POST', `/clients/${jwtClient(false).id}/credentials`, {
          credential_type: 'public_key',
          name: 'next',
          pem: publicPem(),
          alg: 'RS256',
        }),
      'clients.update(private_key_jwt)': () =>
        request('PATCH', `/clients/${target}`, {
          client_authentication_methods: { private_key_jwt: { credentials: [{ id: spare }] } },
        }),
      'clients.credentials.delete': () => request('DELETE', `/clients/${target}/credentials/${spare}`),
    };
    const make = requests[call.operation];
    if (!make) throw new Error(`no sample request for ${call.operation}`);
    const res = await make();
    const text = await res.text();
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    const fieldSeen = call.field === undefined || JSON.stringify(body).includes(`"${call.field}"`);
    return { status: res.status, body, fieldSeen };
  };

  const calls = SCOPE_TABLE.flatMap((f) => f.calls).filter(
    (c, i, all) => all.findIndex((o) => o.operation === c.operation) === i,
  );

  it.each(calls.map((c) => [c.operation, c] as const))(
    '%s works with exactly its scopes',
    async (_op, call) => {
      const r = await send(call, call.scopes);
      // 404 for a kid or IP that is not there is an answer past the scope check.
      expect([200, 201, 204, 404], JSON.stringify(r.body)).toContain(r.status);
      expect(r.fieldSeen).toBe(true);
    },
  );

  it.each(calls.flatMap((c) => c.scopes.map((s) => [c.operation, s, c] as const)))(
    '%s fails without %s',
    async (_op, scope, call) => {
      const r = await send(
        call,
        call.scopes.filter((s) => s !== scope),
      );
      if (r.status === 403) expect(JSON.stringify(r.body)).toContain('insufficient_scope');
      else {
        // Auth0 leaves out a field the caller may not read instead of refusing the request.
        expect(call.method).toBe('GET');
        expect(r.status).toBe(200);
        expect(r.fieldSeen).toBe(false);
      }
    },
  );

  it('grants a new client every scope the table names by default', () => {
    expect(ALL_SCOPES).toEqual(expect.arrayContaining(allScopes()));
  });
});
