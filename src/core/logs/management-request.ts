/**
 * Reading the Management API request Auth0 logs with `sapi` and `mgmt_api_read` entries
 * (`details.request.{method,path,body,auth}`, `details.response.body`): untrusted JSON, so every
 * value is type-checked and bounded here before anything else sees it.
 */

export type Fields = Readonly<Record<string, unknown>>;

export const fields = (value: unknown): Fields | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;

export const text = (value: unknown, max = 80): string | undefined =>
  typeof value === 'string' && value !== '' ? value.slice(0, max) : undefined;

export const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** A bounded, readable list: `a, b, c and 4 more`. */
export const listed = (items: readonly string[], max = 4): string => {
  const shown = items.slice(0, max).map((i) => i.slice(0, 60));
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
};

/** Only plain identifiers become part of a scope (an ID from a path is attacker-reachable text). */
export const ident = (value: string | undefined): string | undefined =>
  value !== undefined && /^[A-Za-z0-9_.|@:-]{1,128}$/.test(value) ? value : undefined;

export interface ApiRequest {
  readonly method: string;
  /** Without the query string. */
  readonly path: string;
  readonly body: unknown;
  readonly response: unknown;
}

export const requestOf = (details: unknown): ApiRequest | undefined => {
  const d = fields(details);
  const request = fields(d?.request);
  const path = text(request?.path, 300);
  if (request === undefined || path === undefined) return undefined;
  return {
    method: (text(request.method) ?? '').toUpperCase(),
    path: path.split('?')[0] ?? path,
    body: request.body,
    response: fields(d?.response)?.body,
  };
};

/**
 * The person behind a Management API call: `details.request.auth.user` (email, else name, else ID;
 * Auth0 may also give it as a plain string). Undefined for machine-to-machine calls.
 */
export const actorOf = (details: unknown): string | undefined => {
  const auth = fields(fields(fields(details)?.request)?.auth);
  const user = auth?.user;
  if (typeof user === 'string') return text(user, 120);
  const u = fields(user);
  return text(u?.email, 120) ?? text(u?.name, 120) ?? text(u?.user_id, 120);
};

/** `acme-spa (Spa0001)` from the response, else the ID. */
export const clientLabel = (id: string, response: unknown): string => {
  const name = text(fields(response)?.name, 60);
  return name ? `${name} (${id})` : id;
};

const CREDENTIAL_KEYS: readonly string[] = [
  'client_secret',
  'client_authentication_methods',
  'signed_request_object',
];

/**
 * The readable summary of a write stored as its reason: `PATCH /api/v2/clients/abc (callbacks,
 * allowed_origins)`. Credential keys come first so a cut never hides them.
 */
export const changeSummary = (details: unknown): string | undefined => {
  const r = requestOf(details);
  if (r === undefined) return undefined;
  const body = fields(r.body);
  const keys = body === undefined ? [] : Object.keys(body).filter((k) => /^[A-Za-z0-9_]{1,64}$/.test(k));
  const ordered = [
    ...keys.filter((k) => CREDENTIAL_KEYS.includes(k)),
    ...keys.filter((k) => !CREDENTIAL_KEYS.includes(k)),
  ];
  const line = `${r.method} ${r.path}`.trim();
  return (ordered.length > 0 ? `${line} (${listed(ordered, 6)})` : line).slice(0, 200);
};

/**
 * Whether a stored change (its description and reason) changed an application's credentials: the
 * secret, its authentication methods or keys (`/credentials`), a secret rotation. A PATCH of only
 * callbacks, origins or grant types is a change to the client, not a secret change.
 */
export const isCredentialChange = (description: string | null, reason: string | null): boolean => {
  const summary = reason ?? '';
  if (/\/api\/v2\/clients\//.test(summary)) {
    return /\/credentials|\/rotate-secret|client_secret|client_authentication_methods|signed_request_object/.test(
      summary,
    );
  }
  // No request logged (or not a client path): Auth0's own wording, e.g. "Rotate a client secret".
  return /secret|credential/i.test(`${description ?? ''} ${summary}`);
};
