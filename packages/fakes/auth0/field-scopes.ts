/**
 * Scopes Auth0 asks for per field, on top of the endpoint's own (see the notes of "Get a client",
 * "Get clients" and "Update a client" in the Management API reference). The fake models Auth0,
 * not the app: it keeps its own rules, and the app's scope table is tested against them.
 */
import { isRecord } from './http.js';

/** PATCH /api/v2/clients/{id}: a body field → the extra scope it needs. */
const PATCH_CLIENT_FIELDS: Readonly<Record<string, string>> = {
  client_secret: 'update:client_keys',
  signing_key: 'update:client_keys',
  client_authentication_methods: 'update:client_credentials',
};

/** Returned by GET /clients and GET /clients/{id} only with one of these scopes. */
const KEY_FIELDS = ['client_secret', 'client_authentication_methods', 'encryption_key', 'signing_key'];
const KEY_READ_SCOPES = ['read:client_keys', 'read:client_credentials'];

/** The first scope the PATCH body needs and the caller lacks, with the field that needs it. */
export function missingPatchScope(
  body: unknown,
  scopes: readonly string[],
): { field: string; scope: string } | undefined {
  if (!isRecord(body)) return undefined;
  for (const [field, scope] of Object.entries(PATCH_CLIENT_FIELDS)) {
    if (body[field] !== undefined && !scopes.includes(scope)) return { field, scope };
  }
  return undefined;
}

/** A client view without the fields the caller may not read (Auth0 omits them; it does not refuse). */
export function withoutUnreadableFields(
  view: Record<string, unknown>,
  scopes: readonly string[],
): Record<string, unknown> {
  if (KEY_READ_SCOPES.some((s) => scopes.includes(s))) return view;
  return Object.fromEntries(Object.entries(view).filter(([field]) => !KEY_FIELDS.includes(field)));
}
