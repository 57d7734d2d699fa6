/**
 * Secrets that reach a person: a client secret read through the Management API, or the API
 * Explorer's all-scopes Management API token (docs/detections.md, Security).
 */
import {
  actorOf,
  clientLabel,
  fields,
  ident,
  listed,
  requestOf,
  strings,
  text,
} from './management-request.js';
import type { ChangeSeverity } from './security-changes.js';

/** The Dashboard's own application behind the Management API Explorer's all-scopes token. */
const API_EXPLORER = 'API Explorer Application';

export interface SecretExposure {
  /** `client:<id>` whose secret was read, or `client:<id>/api-explorer`. */
  readonly scope: string;
  readonly what: string;
}

/**
 * A person reading a client secret (`mgmt_api_read` with `accessedSecrets` and a person in
 * `details.request.auth.user`), or the API Explorer application getting a Management API token
 * (`seccft`). Machine reads (a deploy pipeline) are not exposure to a person: undefined.
 */
export const secretExposureOf = (
  type: string,
  entry: { readonly clientId: string | null; readonly clientName: string | null; readonly details: unknown },
): SecretExposure | undefined => {
  if (type === 'seccft') {
    if (entry.clientName !== API_EXPLORER) return undefined;
    const id = ident(entry.clientId ?? undefined) ?? 'unknown';
    return { scope: `client:${id}/api-explorer`, what: 'Management API token issued to the API Explorer' };
  }
  if (type !== 'mgmt_api_read' || actorOf(entry.details) === undefined) return undefined;
  const d = fields(entry.details);
  const secrets = strings(d?.accessedSecrets);
  if (secrets.length === 0) return undefined;
  const r = requestOf(entry.details);
  const fromPath = r && /^\/api\/v2\/clients\/([^/]+)$/.exec(r.path)?.[1];
  const response = r?.response;
  const id = ident(fromPath ?? text(fields(response)?.client_id, 128));
  const of = id === undefined ? 'the applications listed' : clientLabel(id, response);
  return { scope: id === undefined ? 'tenant' : `client:${id}`, what: `${listed(secrets)} of ${of} read` };
};

/** A person with the API Explorer's token holds every Management API scope: medium; a read is low. */
export const exposureSeverity = (scope: string): ChangeSeverity =>
  scope.endsWith('/api-explorer') ? 'medium' : 'low';
