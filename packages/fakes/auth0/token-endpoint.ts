/** POST /oauth/token: the client_credentials grant with a secret or a private_key_jwt assertion. */
import type { IncomingHttpHeaders } from 'node:http';
import { ASSERTION_TYPE, verifyClientAssertion } from './client-assertion.js';
import type { ClientRecord } from './clients.js';
import { isRecord, stringField } from './http.js';
import type { Tenant } from './tenant.js';
import type { LogEntryInput, Reply } from './types.js';

export interface TokenRequest {
  body: unknown;
  headers: IncomingHttpHeaders;
  ip: string;
}

interface Presented {
  clientId: string | undefined;
  secret: string | undefined;
  assertion: string | undefined;
  assertionType: string | undefined;
  audience: string | undefined;
}

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): Reply {
  return { status, body: { error, error_description: description }, headers: { ...NO_STORE, ...headers } };
}

function presented(req: TokenRequest): Presented {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const [basicId, basicSecret] =
    basic === undefined ? [] : Buffer.from(basic, 'base64').toString('utf8').split(':');
  return {
    clientId:
      stringField(req.body, 'client_id') ?? (basicId === undefined ? undefined : decodeURIComponent(basicId)),
    secret:
      stringField(req.body, 'client_secret') ??
      (basicSecret === undefined ? undefined : decodeURIComponent(basicSecret)),
    assertion: stringField(req.body, 'client_assertion'),
    assertionType: stringField(req.body, 'client_assertion_type'),
    audience: stringField(req.body, 'audience'),
  };
}

function logFailure(
  tenant: Tenant,
  req: TokenRequest,
  who: Presented,
  client: ClientRecord | undefined,
  reason: string,
): void {
  const entry: LogEntryInput = {
    type: 'feccft',
    description: reason === 'Client quota exceeded' ? reason : 'Unauthorized',
    // Auth0 logs whatever client_id was sent, even one that does not exist.
    client_id: who.clientId ?? null,
    client_name: client?.name ?? '',
    ip: req.ip,
    client_ip: req.ip,
    user_id: '',
    hostname: tenant.domain,
    audience: who.audience ?? '',
    user_agent: req.headers['user-agent'] ?? '',
    // Auth0's own spelling of the field.
    details: { client_authentoication_error: reason },
  };
  tenant.logs.append([entry]);
}

async function authenticate(
  tenant: Tenant,
  client: ClientRecord,
  who: Presented,
): Promise<string | undefined> {
  if (who.assertion !== undefined && who.secret !== undefined)
    return 'Use one client authentication method only';
  if (who.assertion !== undefined) {
    if (who.assertionType !== ASSERTION_TYPE) return `client_assertion_type must be ${ASSERTION_TYPE}`;
    if (client.activeCredentialIds === null) return 'The client is not configured for private_key_jwt';
    const credentials = tenant.clients.activeCredentials(client);
    if (credentials.length === 0) return 'The client has no active (attached, unexpired) credential';
    const result = await verifyClientAssertion({
      assertion: who.assertion,
      client,
      credentials,
      domain: tenant.domain,
      now: tenant.now(),
      usedJtis: tenant.usedJtis,
    });
    return result.ok ? undefined : result.reason;
  }
  if (who.secret === undefined) return 'Missing client authentication';
  if (client.tokenEndpointAuthMethod === null) return 'The client authenticates with private_key_jwt';
  return tenant.clients.checkSecret(client, who.secret) ? undefined : 'Invalid client_secret';
}

function success(tenant: Tenant, req: TokenRequest, client: ClientRecord, audience: string): Reply {
  const scope = client.scopes.join(' ');
  const issued = tenant.tokens.issue(
    { clientId: client.clientId, clientName: client.name, scopes: client.scopes },
    tenant.tokenLifetimeSeconds,
  );
  tenant.logs.append([
    {
      type: 'seccft',
      client_id: client.clientId,
      client_name: client.name,
      ip: req.ip,
      client_ip: req.ip,
      user_id: '',
      hostname: tenant.domain,
      audience,
      scope,
      user_agent: req.headers['user-agent'] ?? '',
      details: { access_token_jti: issued.jti, actions: { executions: [] } },
    },
  ]);
  return {
    status: 200,
    body: {
      access_token: issued.token,
      token_type: 'Bearer',
      expires_in: tenant.tokenLifetimeSeconds,
      scope,
    },
    headers: NO_STORE,
  };
}

export async function handleTokenRequest(tenant: Tenant, req: TokenRequest): Promise<Reply> {
  if (!isRecord(req.body)) return oauthError(400, 'invalid_request', 'Expected a form or JSON body');
  const grantType = stringField(req.body, 'grant_type');
  if (grantType !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType ?? '(none)'}`);
  }
  const who = presented(req);
  const client = who.clientId === undefined ? undefined : tenant.clients.get(who.clientId);
  const fail = (
    status: number,
    error: string,
    description: string,
    reason: string,
    headers?: Record<string, string>,
  ) => {
    logFailure(tenant, req, who, client, reason);
    return oauthError(status, error, description, headers);
  };
  if (client === undefined) return fail(401, 'access_denied', 'Unauthorized', 'Unknown client');
  const expectedAudience = `https://${tenant.domain}/api/v2/`;
  if (who.audience !== expectedAudience) {
    const description = `Service not found: ${who.audience ?? '(none)'}`;
    return fail(403, 'access_denied', description, description);
  }
  const authError = await authenticate(tenant, client, who);
  if (authError !== undefined) {
    const error = who.assertion === undefined ? 'access_denied' : 'invalid_client';
    return fail(401, error, who.assertion === undefined ? 'Unauthorized' : authError, authError);
  }
  if (!client.grants.includes('client_credentials')) {
    const description = "Grant type 'client_credentials' not allowed for the client.";
    return fail(403, 'unauthorized_client', description, description);
  }
  if (client.scopes.length === 0) {
    const description = `Client is not authorized to access "${expectedAudience}". You need to create a "client-grant" associated to this API.`;
    return fail(403, 'access_denied', description, description);
  }
  const quota = tenant.exhaustedQuotas.get(client.clientId);
  if (quota !== undefined) {
    return fail(429, 'too_many_requests', 'Client quota exceeded', 'Client quota exceeded', {
      'retry-after': String(quota.retryAfterSeconds),
      'auth0-client-quota-limit': quota.header,
    });
  }
  return success(tenant, req, client, expectedAudience);
}
