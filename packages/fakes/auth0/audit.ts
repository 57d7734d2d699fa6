/** `sapi` for every Management API write and `mgmt_api_read` for reads that return secrets. */
import { isRecord } from './http.js';
import type { RequestContext } from './router.js';
import type { Tenant } from './tenant.js';
import type { LogEntry, Reply } from './types.js';

const SECRET_FIELDS = new Set(['client_secret', 'signing_key', 'private_key']);

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, SECRET_FIELDS.has(key) ? '*****' : redact(inner)]),
  );
}

function requestDetails(ctx: RequestContext): Record<string, unknown> {
  const userAgent = ctx.headers['user-agent'] ?? '';
  return {
    method: ctx.method.toLowerCase(),
    path: ctx.path,
    query: Object.fromEntries(ctx.query),
    userAgent,
    body: redact(ctx.body ?? {}),
    channel: 'api',
    ip: ctx.ip,
    auth: {
      // A client-credentials caller has no user; the schema allows a string here.
      user: '',
      strategy: 'jwt',
      credentials: { jti: ctx.caller?.jti ?? '', scopes: ctx.caller?.scopes ?? [] },
    },
  };
}

function baseFields(ctx: RequestContext): Partial<LogEntry> {
  return {
    client_id: ctx.caller?.clientId ?? null,
    client_name: ctx.caller?.clientName ?? '',
    ip: ctx.ip,
    user_agent: ctx.headers['user-agent'] ?? '',
    user_id: '',
  };
}

/** Logs a successful write, tagged with the caller's client so a watcher can recognise its own. */
export function auditWrite(
  tenant: Tenant,
  ctx: RequestContext,
  description: string,
  reply: Reply,
  accessedSecrets?: string[],
): Reply {
  const details: Record<string, unknown> = {
    request: requestDetails(ctx),
    response: { statusCode: reply.status, body: redact(reply.body ?? {}) },
  };
  if (accessedSecrets !== undefined) details.accessedSecrets = accessedSecrets;
  tenant.logs.append([{ type: 'sapi', description, ...baseFields(ctx), details }]);
  return reply;
}

/** Logs a GET whose response held secrets (Auth0 logs those reads as `mgmt_api_read`). */
export function auditSecretRead(
  tenant: Tenant,
  ctx: RequestContext,
  reply: Reply,
  accessedSecrets: string[],
): Reply {
  if (accessedSecrets.length === 0) return reply;
  const details = {
    request: requestDetails(ctx),
    response: { statusCode: reply.status, body: redact(reply.body ?? {}) },
    accessedSecrets,
  };
  tenant.logs.append([{ type: 'mgmt_api_read', ...baseFields(ctx), user_name: '', details }]);
  return reply;
}
