/** /api/v2/clients: list, get, PATCH (custom secret, credential attachment) and rotate-secret. */
import { auditSecretRead, auditWrite } from './audit.js';
import { clientView } from './client-views.js';
import { missingPatchScope, withoutUnreadableFields } from './field-scopes.js';
import { generateSecret, type ClientRecord, type Result } from './clients.js';
import { apiError, isRecord, json } from './http.js';
import { projectFields } from './log-query.js';
import type { RequestContext, Route } from './router.js';
import { tenantName, type Tenant } from './tenant.js';
import type { Reply } from './types.js';

const notFound = (): Reply => apiError(404, 'The client does not exist', 'inexistent_client');

function secretsIn(views: unknown[]): string[] {
  return views.some((view) => isRecord(view) && typeof view.client_secret === 'string')
    ? ['client_secret']
    : [];
}

function listClients(tenant: Tenant, query: URLSearchParams, scopes: readonly string[]): Reply {
  const appTypes = query
    .get('app_type')
    ?.split(',')
    .filter((type) => type !== '');
  const page = Number(query.get('page') ?? '0');
  const perPage = Math.min(Number(query.get('per_page') ?? '50'), 100);
  const include = query.get('include_fields') !== 'false';
  const all = tenant.clients
    .list()
    .filter((client) => appTypes === undefined || appTypes.includes(client.appType))
    .map((client) =>
      projectFields(
        withoutUnreadableFields(clientView(tenantName(tenant.domain), client), scopes),
        query.get('fields'),
        include,
      ),
    );
  const clients = all.slice(page * perPage, (page + 1) * perPage);
  if (query.get('include_totals') !== 'true') return json(clients);
  return json({ start: page * perPage, limit: perPage, length: clients.length, total: all.length, clients });
}

function credentialIdsFrom(methods: unknown): Result<string[] | null> {
  if (methods === null) return { ok: true, value: null };
  const credentials =
    isRecord(methods) && isRecord(methods.private_key_jwt) ? methods.private_key_jwt.credentials : undefined;
  if (!Array.isArray(credentials)) {
    return {
      ok: false,
      status: 400,
      message: 'client_authentication_methods.private_key_jwt.credentials must be an array',
    };
  }
  const ids = credentials.map((item) => (isRecord(item) && typeof item.id === 'string' ? item.id : ''));
  if (ids.includes(''))
    return { ok: false, status: 400, message: 'Each credential must be given as {"id": "..."}' };
  return { ok: true, value: ids };
}

/** Validates everything first so a rejected PATCH changes nothing. */
function applyPatch(tenant: Tenant, client: ClientRecord, body: Record<string, unknown>): Result {
  const {
    client_secret: secret,
    client_authentication_methods: methods,
    token_endpoint_auth_method: method,
    ...rest
  } = body;
  if (secret !== undefined && (typeof secret !== 'string' || secret === '')) {
    return { ok: false, status: 400, message: 'client_secret must be a non-empty string' };
  }
  const ids = methods === undefined ? undefined : credentialIdsFrom(methods);
  if (ids !== undefined && !ids.ok) return ids;
  if (ids !== undefined && ids.value !== null) {
    const attached = tenant.clients.attachCredentials(client, ids.value);
    if (!attached.ok) return attached;
  } else if (ids !== undefined || method === 'client_secret_post' || method === 'client_secret_basic') {
    client.activeCredentialIds = null;
    client.tokenEndpointAuthMethod =
      method === 'client_secret_basic' ? 'client_secret_basic' : 'client_secret_post';
    client.secret ??= generateSecret();
  }
  if (typeof secret === 'string') tenant.clients.setSecret(client, secret);
  if (typeof rest.name === 'string') client.name = rest.name;
  if (Array.isArray(rest.grant_types))
    client.grants = rest.grant_types.filter((g): g is string => typeof g === 'string');
  const { name: _name, grant_types: _grants, ...extra } = rest;
  Object.assign(client.extra, extra);
  return { ok: true, value: undefined };
}

type Handler = (tenant: Tenant, ctx: RequestContext) => Reply;

const viewOf = (tenant: Tenant, client: ClientRecord) => clientView(tenantName(tenant.domain), client);

const listHandler: Handler = (tenant, ctx) => {
  const reply = listClients(tenant, ctx.query, ctx.caller?.scopes ?? []);
  const views = isRecord(reply.body) ? reply.body.clients : reply.body;
  return auditSecretRead(tenant, ctx, reply, secretsIn(Array.isArray(views) ? views : []));
};

const getHandler: Handler = (tenant, ctx) => {
  const client = tenant.clients.get(ctx.params.id ?? '');
  if (client === undefined) return notFound();
  const include = ctx.query.get('include_fields') !== 'false';
  const view = withoutUnreadableFields(viewOf(tenant, client), ctx.caller?.scopes ?? []);
  const body = projectFields(view, ctx.query.get('fields'), include);
  return auditSecretRead(tenant, ctx, json(body), secretsIn([body]));
};

const patchHandler: Handler = (tenant, ctx) => {
  const client = tenant.clients.get(ctx.params.id ?? '');
  if (client === undefined) return notFound();
  const missing = missingPatchScope(ctx.body, ctx.caller?.scopes ?? []);
  if (missing !== undefined) {
    const message = `Insufficient scope, expected all of: update:clients,${missing.scope} to update ${missing.field}`;
    return apiError(403, message, 'insufficient_scope');
  }
  const applied: Result = isRecord(ctx.body)
    ? applyPatch(tenant, client, ctx.body)
    : { ok: false, status: 400, message: 'expected an object' };
  if (!applied.ok)
    return apiError(applied.status, `Payload validation error: ${applied.message}`, 'invalid_body');
  return auditWrite(tenant, ctx, 'Update a client', json(viewOf(tenant, client)));
};

const rotateSecretHandler: Handler = (tenant, ctx) => {
  const client = tenant.clients.get(ctx.params.id ?? '');
  if (client === undefined) return notFound();
  tenant.clients.setSecret(client, generateSecret());
  return auditWrite(tenant, ctx, 'Rotate a client secret', json(viewOf(tenant, client)), ['client_secret']);
};

export function clientRoutes(tenant: Tenant): Route[] {
  const route = (method: string, pattern: string, scope: string, handler: Handler): Route => ({
    method,
    pattern,
    scope,
    handler: (ctx) => handler(tenant, ctx),
  });
  return [
    route('GET', '/api/v2/clients', 'read:clients', listHandler),
    route('GET', '/api/v2/clients/:id', 'read:clients', getHandler),
    route('PATCH', '/api/v2/clients/:id', 'update:clients', patchHandler),
    route('POST', '/api/v2/clients/:id/rotate-secret', 'update:client_keys', rotateSecretHandler),
  ];
}
