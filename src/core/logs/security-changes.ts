import {
  clientLabel,
  fields,
  ident,
  listed,
  requestOf,
  strings,
  text,
  type ApiRequest,
  type Fields,
} from './management-request.js';

/**
 * What a Management API call did to the tenant's security, read from the request Auth0 logs with it
 * (`details.request.{method,path,body}` of a `sapi` or `mgmt_api_read` entry, the response body
 * where the request alone does not say). Stored events keep no `details`, so this runs once, at
 * classification, and what it finds is kept as the event's scope and reason. The rules and their
 * severities are in docs/detections.md (Security); the paths and bodies are the Management API v2's.
 */

export type ChangeSeverity = 'high' | 'medium' | 'low';

export interface SecurityChange {
  /** What the incident is about: `setting:<name>`, `client:<id>` or `members:added|removed`. */
  readonly scope: string;
  /** What changed, for people: "brute-force protection turned off". */
  readonly what: string;
}

// --- Attack protection and bot detection ------------------------------------------------------

const PROTECTIONS: ReadonlyArray<{
  readonly setting: string;
  readonly name: string;
  readonly description: RegExp;
}> = [
  { setting: 'brute-force-protection', name: 'brute-force protection', description: /brute.?force/i },
  {
    setting: 'suspicious-ip-throttling',
    name: 'suspicious IP throttling',
    description: /suspicious ip throttling/i,
  },
  {
    setting: 'breached-password-detection',
    name: 'breached password detection',
    description: /breached password/i,
  },
];

const stopsBlocking = (shields: unknown): boolean =>
  Array.isArray(shields) && !strings(shields).includes('block');

/**
 * `enabled: false`, or a `shields` list that no longer blocks (notify or nothing only), at login or
 * at sign-up (`stage.pre-user-registration`).
 */
const protectionOff = (body: Fields): string | undefined => {
  if (body.enabled === false) return 'turned off';
  if (stopsBlocking(body.shields)) return 'set to stop blocking';
  const signup = fields(fields(body.stage)?.['pre-user-registration']);
  return stopsBlocking(signup?.shields) ? 'set to stop blocking at sign-up' : undefined;
};

const attackProtection = (r: ApiRequest, description: string): SecurityChange | undefined => {
  const body = fields(r.body);
  if (body === undefined || (r.method !== 'PATCH' && r.method !== 'PUT')) return undefined;
  const protection = PROTECTIONS.find(
    (p) => r.path === `/api/v2/attack-protection/${p.setting}` || p.description.test(description),
  );
  if (protection === undefined) return undefined;
  const off = protectionOff(body);
  if (off !== undefined) return { scope: `setting:${protection.setting}`, what: `${protection.name} ${off}` };
  // An allowlisted address is never blocked: an attacker's own range there is a quiet bypass.
  const allowed = strings(body.allowlist);
  return allowed.length === 0
    ? undefined
    : {
        scope: `setting:${protection.setting}/allowlist`,
        what: `${protection.name} allowlist set to ${listed(allowed)}`,
      };
};

const BOT_POLICIES: ReadonlyArray<readonly [key: string, flow: string]> = [
  ['policy', 'password logins'],
  ['challenge_password_policy', 'password logins'],
  ['passwordless_policy', 'passwordless logins'],
  ['challenge_passwordless_policy', 'passwordless logins'],
  ['password_reset_policy', 'password resets'],
  ['challenge_password_reset_policy', 'password resets'],
];

const botDetection = (r: ApiRequest, description: string): SecurityChange | undefined => {
  const isBot =
    r.path === '/api/v2/attack-protection/bot-detection' || /captcha|bot detection/i.test(description);
  const body = fields(r.body);
  if (!isBot || body === undefined) return undefined;
  const flows = [
    ...new Set(
      BOT_POLICIES.filter(([key]) => body[key] === 'off' || body[key] === 'never').map(([, f]) => f),
    ),
  ];
  if (body.enabled === false) return { scope: 'setting:bot-detection', what: 'bot detection turned off' };
  if (body.monitoring_mode_enabled === true) {
    return { scope: 'setting:bot-detection', what: 'bot detection set to monitor only (no challenges)' };
  }
  if (flows.length === 0) return undefined;
  return { scope: 'setting:bot-detection', what: `bot detection turned off for ${listed(flows)}` };
};

// --- MFA ----------------------------------------------------------------------------------------

const mfa = (r: ApiRequest): SecurityChange | undefined => {
  if (r.path === '/api/v2/guardian/policies' && Array.isArray(r.body) && r.body.length === 0) {
    return { scope: 'setting:mfa-policy', what: 'MFA policy set to Never' };
  }
  const factor = /^\/api\/v2\/guardian\/factors\/([a-z0-9-]+)$/.exec(r.path)?.[1];
  if (factor !== undefined && fields(r.body)?.enabled === false) {
    return { scope: `setting:mfa-factor-${factor}`, what: `MFA factor ${factor} turned off` };
  }
  return undefined;
};

// --- Applications and their grants --------------------------------------------------------------

const RISKY_GRANTS: ReadonlyArray<readonly [grant: string, name: string]> = [
  ['password', 'password grant'],
  ['http://auth0.com/oauth/grant-type/password-realm', 'password grant'],
  ['implicit', 'implicit grant'],
];

const application = (r: ApiRequest): SecurityChange | undefined => {
  const body = fields(r.body);
  if (body === undefined) return undefined;
  const fromPath = /^\/api\/v2\/clients\/([^/]+)$/.exec(r.path)?.[1];
  const created = r.path === '/api/v2/clients' && r.method === 'POST';
  const id = ident(fromPath ?? (created ? text(fields(r.response)?.client_id, 128) : undefined));
  if (id === undefined || (fromPath !== undefined && r.method !== 'PATCH')) return undefined;
  const grants = strings(body.grant_types);
  const changes = [
    ...new Set(RISKY_GRANTS.filter(([g]) => grants.includes(g)).map(([, n]) => `${n} enabled`)),
  ];
  if (body.cross_origin_authentication === true || body.cross_origin_auth === true) {
    changes.push('cross-origin authentication enabled');
  }
  if (changes.length === 0) return undefined;
  const on = created ? `new application ${clientLabel(id, r.response)}` : clientLabel(id, r.response);
  return { scope: `client:${id}`, what: `${listed(changes)} on ${on}` };
};

/** Management API grants: the audience is `https://<tenant domain>/api/v2/`. */
const isManagementAudience = (audience: string | undefined): boolean =>
  audience !== undefined && /^https:\/\/[^/]+\/api\/v2\/?$/.test(audience);

const managementGrant = (r: ApiRequest): SecurityChange | undefined => {
  const body = fields(r.body);
  const response = fields(r.response);
  const isGrant =
    (r.path === '/api/v2/client-grants' && r.method === 'POST') ||
    (/^\/api\/v2\/client-grants\/[^/]+$/.test(r.path) && r.method === 'PATCH');
  if (!isGrant || body === undefined) return undefined;
  // A PATCH carries only the scopes: the audience and client are in the response.
  const audience = text(body.audience, 300) ?? text(response?.audience, 300);
  const clientId = ident(text(body.client_id, 128) ?? text(response?.client_id, 128));
  const scopes = strings(body.scope);
  if (!isManagementAudience(audience) || clientId === undefined || scopes.length === 0) return undefined;
  return {
    scope: `client:${clientId}`,
    what: `Management API scopes granted to ${clientId}: ${listed(scopes, 5)}`,
  };
};

// --- Who administers the tenant; what runs after login ------------------------------------------

const members = (r: ApiRequest, description: string): SecurityChange | undefined => {
  const body = fields(r.body);
  if (r.path === '/api/v2/tenants/invitations' && r.method === 'POST') {
    const invited = strings(body?.owners);
    const roles = strings(body?.roles);
    const as = roles.length > 0 ? ` as ${listed(roles)}` : '';
    return {
      scope: 'members:added',
      what: `tenant member invited${invited.length > 0 ? `: ${listed(invited)}` : ''}${as}`,
    };
  }
  if (/^\/api\/v2\/tenants\/invitations\/[^/]+$/.test(r.path) && body?.state === 'accepted') {
    const who = text(fields(body.user)?.email, 120);
    return { scope: 'members:added', what: `tenant invitation accepted${who ? ` by ${who}` : ''}` };
  }
  const removed =
    (r.method === 'DELETE' && /^\/api\/v2\/tenants\/(members|owners)(\/|$)/.test(r.path)) ||
    /delete tenant member/i.test(description);
  return removed ? { scope: 'members:removed', what: 'tenant member removed' } : undefined;
};

const postLoginFlow = (r: ApiRequest): SecurityChange | undefined => {
  if (r.path !== '/api/v2/actions/triggers/post-login/bindings' || r.method !== 'PATCH') return undefined;
  const bindings = fields(r.body)?.bindings;
  if (!Array.isArray(bindings)) return undefined;
  if (bindings.length === 0) {
    return {
      scope: 'setting:post-login-flow',
      what: 'post-login Actions flow emptied (every Action removed)',
    };
  }
  const names = bindings.map((b) => text(fields(b)?.display_name, 60)).filter((n) => n !== undefined);
  const shown = names.length > 0 ? `: ${listed(names)}` : '';
  return {
    scope: 'setting:post-login-flow',
    what: `post-login Actions flow changed (${bindings.length} bound${shown})`,
  };
};

/**
 * The weakening a successful Management API write (`sapi`) made, if any. Turning a protection on,
 * tightening it, or a change to anything else (a user's profile, callbacks) is none.
 */
export const securityChangeOf = (
  details: unknown,
  description: string | null,
): SecurityChange | undefined => {
  const r = requestOf(details);
  if (r === undefined || r.method === 'GET') return undefined;
  const d = description ?? '';
  return (
    attackProtection(r, d) ??
    botDetection(r, d) ??
    mfa(r) ??
    application(r) ??
    managementGrant(r) ??
    members(r, d) ??
    postLoginFlow(r)
  );
};

const HIGH_SETTINGS: ReadonlySet<string> = new Set([
  'setting:brute-force-protection',
  'setting:suspicious-ip-throttling',
  'setting:breached-password-detection',
  'setting:bot-detection',
  'setting:mfa-policy',
]);

/**
 * How bad one weakening of `scope` is: a protection turned off (attack protection, bot detection,
 * MFA set to Never) is high; access widened (an application's grants, cross-origin authentication,
 * Management API scopes, an MFA factor off, an attack-protection allowlist, the post-login flow, a new
 * member) is medium; a member removed is low.
 */
export const weakeningSeverity = (scope: string): ChangeSeverity => {
  if (HIGH_SETTINGS.has(scope)) return 'high';
  return scope === 'members:removed' ? 'low' : 'medium';
};
