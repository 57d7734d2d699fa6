/** Builders of single generated log entries, shaped per tests/fixtures/auth0-log-schemas.json. */
import type { SeededRandom } from './random.js';
import {
  DASHBOARD_APP,
  M2M_USER_AGENTS,
  randomIp,
  type Actor,
  type App,
  type Connection,
} from './traffic-catalog.js';
import type { LogEntryInput } from './types.js';

export interface EventContext {
  domain: string;
  random: SeededRandom;
}

export type LoginFailure = 'f' | 'fp' | 'fu';
export type ActionsErrorClass = 'platform_error' | 'action_timeout' | 'action_error' | 'rate_limited';

function actorFields(actor: Actor, connection: Connection = actor.connection): Partial<LogEntryInput> {
  return {
    ip: actor.ip,
    user_agent: actor.userAgent,
    isMobile: actor.isMobile,
    connection: connection.name,
    connection_id: connection.id,
    strategy: connection.strategy,
    strategy_type: connection.strategy_type,
  };
}

export function loginSuccess(ctx: EventContext, date: number, actor: Actor, app: App): LogEntryInput {
  const elapsed = ctx.random.int(300, 4000);
  return {
    type: 's',
    date,
    client_id: app.clientId,
    client_name: app.name,
    hostname: ctx.domain,
    user_id: actor.userId,
    user_name: actor.userName,
    ...actorFields(actor),
    details: {
      prompts: [],
      initiatedAt: date - elapsed,
      completedAt: date,
      elapsedTime: elapsed,
      session_id: ctx.random.alphanumeric(32),
    },
  };
}

const FAILURE_MESSAGES: Record<LoginFailure, string> = {
  f: 'Connection error: the identity provider did not respond in time',
  fp: 'Wrong email or password.',
  fu: 'Wrong email or password.',
};

export function loginFailure(
  ctx: EventContext,
  date: number,
  kind: LoginFailure,
  actor: Actor,
  app: App,
  connection: Connection = actor.connection,
): LogEntryInput {
  const error =
    kind === 'f'
      ? { message: FAILURE_MESSAGES.f, oauthError: 'access_denied', type: 'request-error' }
      : { message: FAILURE_MESSAGES[kind] };
  return {
    type: kind,
    date,
    description: FAILURE_MESSAGES[kind],
    client_id: app.clientId,
    client_name: app.name,
    hostname: ctx.domain,
    // An unknown user has no user_id; Auth0 still logs the name that was typed.
    user_id: kind === 'fu' ? '' : actor.userId,
    user_name: actor.userName,
    ...actorFields(actor, connection),
    details: { error },
  };
}

export function m2mToken(ctx: EventContext, date: number, client: App, ip: string): LogEntryInput {
  return {
    type: 'seccft',
    date,
    client_id: client.clientId,
    client_name: client.name,
    ip,
    client_ip: ip,
    user_id: '',
    hostname: ctx.domain,
    audience: `https://${ctx.domain}/api/v2/`,
    scope: 'read:logs read:clients',
    user_agent: ctx.random.pick(M2M_USER_AGENTS),
    details: { access_token_jti: ctx.random.hex(32), actions: { executions: [] } },
  };
}

export function m2mFailure(
  ctx: EventContext,
  date: number,
  client: App,
  ip: string,
  reason: string,
): LogEntryInput {
  return {
    type: 'feccft',
    date,
    description: 'Unauthorized',
    client_id: client.clientId,
    client_name: client.name,
    ip,
    client_ip: ip,
    user_id: '',
    hostname: ctx.domain,
    audience: `https://${ctx.domain}/api/v2/`,
    user_agent: ctx.random.pick(M2M_USER_AGENTS),
    details: { client_authentoication_error: reason },
  };
}

export function codeExchangeFailure(ctx: EventContext, date: number, app: App, actor: Actor): LogEntryInput {
  return {
    type: 'feacft',
    date,
    description: 'Unauthorized',
    client_id: app.clientId,
    client_name: app.name,
    ip: actor.ip,
    client_ip: randomIp(ctx.random),
    user_agent: actor.userAgent,
    hostname: ctx.domain,
    user_id: '',
    details: { code: '*************' + ctx.random.alphanumeric(4), requested_client_id: app.clientId },
  };
}

/** A Dashboard write by a tenant admin (`sapi`), or a secret-returning read (`mgmt_api_read`). */
export function adminOperation(
  ctx: EventContext,
  date: number,
  op: {
    type: 'sapi' | 'mgmt_api_read';
    method: string;
    path: string;
    description?: string;
    responseBody?: unknown;
    /** A machine caller (a deploy pipeline's client) instead of the Dashboard admin. */
    machine?: { readonly clientId: string; readonly name: string };
  },
): LogEntryInput {
  const ip = randomIp(ctx.random);
  const machine = op.machine;
  const request = {
    method: op.method.toLowerCase(),
    path: op.path,
    query: {},
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
    body: {},
    channel: 'https://manage.auth0.com/',
    ip,
    auth:
      machine === undefined
        ? {
            user: {
              user_id: 'google-oauth2|104729384756102938475',
              name: 'Tenant Admin',
              email: 'admin@example.com',
            },
            strategy: 'jwt',
            credentials: { jti: ctx.random.hex(32) },
          }
        : // A client-credentials caller has no user.
          {
            user: '',
            strategy: 'jwt',
            credentials: { jti: ctx.random.hex(32), client_id: machine.clientId },
          },
  };
  const details: Record<string, unknown> = {
    request,
    response: { statusCode: 200, body: op.responseBody ?? {} },
  };
  if (op.type === 'mgmt_api_read') details.accessedSecrets = ['client_secret'];
  const entry: LogEntryInput = {
    type: op.type,
    date,
    client_id: machine?.clientId ?? DASHBOARD_APP.clientId,
    client_name: machine?.name ?? DASHBOARD_APP.name,
    ip,
    user_id: machine === undefined ? 'google-oauth2|104729384756102938475' : '',
    user_agent: request.userAgent,
    details,
  };
  if (op.description !== undefined) entry.description = op.description;
  return entry;
}

export function rateLimitEntry(
  ctx: EventContext,
  date: number,
  warning: boolean,
  path: string,
  client: App,
): LogEntryInput {
  const limit = { bucket: 'management-api:management', global: true, size: 10 };
  return {
    type: warning ? 'api_limit_warning' : 'api_limit',
    date,
    description: warning
      ? `You are about to reach the limit of allowed calls to '${path}'`
      : `You passed the limit of allowed calls to '${path}'`,
    client_id: client.clientId,
    client_name: client.name,
    hostname: ctx.domain,
    user_id: '',
    user_name: '',
    details: { limit: warning ? { ...limit, usage: 8 } : limit, request: { method: 'GET', path } },
  };
}

export type AttackCode = 'limit_wc' | 'limit_sul' | 'limit_mu';

const ATTACK_DESCRIPTIONS: Record<AttackCode, string> = {
  limit_wc: 'Blocked Account',
  limit_sul: 'Blocked user',
  limit_mu: 'Blocked IP Address',
};

export function attackEntry(
  ctx: EventContext,
  date: number,
  code: AttackCode,
  ip: string,
  actor: Actor,
  app: App,
): LogEntryInput {
  const entry: LogEntryInput = {
    type: code,
    date,
    description: ATTACK_DESCRIPTIONS[code],
    client_id: app.clientId,
    client_name: app.name,
    hostname: ctx.domain,
    ip,
    user_agent: actor.userAgent,
    connection: actor.connection.name,
    // limit_mu blocks the IP for every user, so no single user is named.
    user_id: code === 'limit_mu' ? '' : actor.userId,
    user_name: code === 'limit_mu' ? '' : actor.userName,
  };
  if (code === 'limit_mu') entry.details = { flow: 'login' };
  return entry;
}

const ACTION_ERRORS: Record<ActionsErrorClass, { name: string; message: string }> = {
  platform_error: { name: 'PlatformError', message: 'An internal error occurred while executing the action' },
  action_timeout: { name: 'TimeoutError', message: 'Script execution time exceeded' },
  action_error: { name: 'TypeError', message: "Cannot read properties of undefined (reading 'roles')" },
  rate_limited: { name: 'RateLimitError', message: 'Too many requests to the Actions runtime' },
};

export function actionFailure(
  ctx: EventContext,
  date: number,
  opts: { errorClass: ActionsErrorClass; actionName: string; actor: Actor; app: App },
): LogEntryInput {
  const error = ACTION_ERRORS[opts.errorClass];
  return {
    type: 'actions_execution_failed',
    date,
    client_id: opts.app.clientId,
    client_name: opts.app.name,
    hostname: ctx.domain,
    user_id: opts.actor.userId,
    user_name: opts.actor.userName,
    ...actorFields(opts.actor),
    details: {
      action_id: `act_${ctx.random.hex(16)}`,
      action_name: opts.actionName,
      binding_id: `bnd_${ctx.random.hex(16)}`,
      error_class: opts.errorClass,
      execution_id: ctx.random.hex(32),
      trigger_id: 'post-login',
      version_id: `ver_${ctx.random.hex(16)}`,
      action_error: {
        code: opts.errorClass,
        name: error.name,
        message: error.message,
        stack: `${error.name}: ${error.message}\n    at exports.onExecutePostLogin (/data/io/action.js:12:34)`,
      },
    },
  };
}
