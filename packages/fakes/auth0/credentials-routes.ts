/** /api/v2/clients/{id}/credentials: private_key_jwt public keys. */
import { auditWrite } from './audit.js';
import { credentialView } from './client-views.js';
import { CREDENTIAL_ALGS, isCredentialAlg, type ClientRecord } from './clients.js';
import { toMillis } from './clock.js';
import { apiError, isRecord, json } from './http.js';
import type { RequestContext, Route } from './router.js';
import type { Tenant } from './tenant.js';
import type { CredentialSpec, Reply } from './types.js';

type ClientHandler = (tenant: Tenant, ctx: RequestContext, client: ClientRecord) => Reply;

const invalid = (message: string): Reply =>
  apiError(400, `Payload validation error: ${message}`, 'invalid_body');
const credentialNotFound = (): Reply =>
  apiError(404, 'The credential does not exist', 'inexistent_credential');

function findCredential(client: ClientRecord, id: string | undefined) {
  return client.credentials.find((credential) => credential.id === id);
}

function parseCreate(body: unknown): CredentialSpec | string {
  if (!isRecord(body)) return 'expected an object';
  if (body.credential_type !== 'public_key')
    return 'credential_type must be "public_key" (the fake supports only private_key_jwt keys)';
  if (typeof body.pem !== 'string') return 'pem is required';
  const spec: CredentialSpec = { pem: body.pem };
  if (typeof body.name === 'string') spec.name = body.name;
  if (body.alg !== undefined) {
    if (!isCredentialAlg(body.alg)) return `alg must be one of ${CREDENTIAL_ALGS.join(', ')}`;
    spec.alg = body.alg;
  }
  if (typeof body.expires_at === 'string') {
    if (Number.isNaN(Date.parse(body.expires_at))) return 'expires_at must be an ISO 8601 date';
    spec.expiresAt = body.expires_at;
  }
  return spec;
}

const listCredentials: ClientHandler = (_tenant, _ctx, client) =>
  json(client.credentials.map(credentialView));

const getCredential: ClientHandler = (_tenant, ctx, client) => {
  const credential = findCredential(client, ctx.params.credentialId);
  return credential === undefined ? credentialNotFound() : json(credentialView(credential));
};

const createCredential: ClientHandler = (tenant, ctx, client) => {
  const spec = parseCreate(ctx.body);
  if (typeof spec === 'string') return invalid(spec);
  const added = tenant.clients.addCredential(client, spec);
  if (!added.ok) return apiError(added.status, added.message);
  return auditWrite(tenant, ctx, 'Create a client credential', json(credentialView(added.value), 201));
};

/** Only expires_at can change on an existing credential. */
const updateCredential: ClientHandler = (tenant, ctx, client) => {
  const credential = findCredential(client, ctx.params.credentialId);
  if (credential === undefined) return credentialNotFound();
  if (!isRecord(ctx.body)) return invalid('expected an object');
  const other = Object.keys(ctx.body).find((key) => key !== 'expires_at');
  if (other !== undefined) return invalid(`"${other}" cannot be updated; only expires_at can`);
  const expires = ctx.body.expires_at;
  if (expires === null) {
    delete credential.expires_at;
  } else if (typeof expires === 'string' && !Number.isNaN(Date.parse(expires))) {
    credential.expires_at = new Date(toMillis(expires)).toISOString();
  } else {
    return invalid('expires_at must be an ISO 8601 date or null');
  }
  credential.updated_at = new Date(tenant.now()).toISOString();
  return auditWrite(tenant, ctx, 'Update a client credential', json(credentialView(credential)));
};

const deleteCredential: ClientHandler = (tenant, ctx, client) => {
  const deleted = tenant.clients.deleteCredential(client, ctx.params.credentialId ?? '');
  if (!deleted.ok) return apiError(deleted.status, deleted.message);
  return auditWrite(tenant, ctx, 'Delete a client credential', { status: 204 });
};

export function credentialRoutes(tenant: Tenant): Route[] {
  const base = '/api/v2/clients/:id/credentials';
  const route = (method: string, pattern: string, scope: string, handler: ClientHandler): Route => ({
    method,
    pattern,
    scope,
    handler: (ctx) => {
      const client = tenant.clients.get(ctx.params.id ?? '');
      if (client === undefined) return apiError(404, 'The client does not exist', 'inexistent_client');
      return handler(tenant, ctx, client);
    },
  });
  return [
    route('GET', base, 'read:client_credentials', listCredentials),
    route('GET', `${base}/:credentialId`, 'read:client_credentials', getCredential),
    route('POST', base, 'create:client_credentials', createCredential),
    route('PATCH', `${base}/:credentialId`, 'update:client_credentials', updateCredential),
    route('DELETE', `${base}/:credentialId`, 'delete:client_credentials', deleteCredential),
  ];
}
