import type { LogQuery } from '../detection/model.js';

/**
 * Links into the Auth0 Dashboard's log search for an incident. The Dashboard's pages for a tenant
 * live under `https://manage.auth0.com/dashboard/<region>/<tenant>/`; the log search takes the
 * Lucene subset Auth0 documents for logs (docs/on-call.md, "The incident card"): `field:"value"`
 * terms joined with AND/OR, values in double quotes for exact matches.
 */

export interface DashboardTenant {
  /** `us`, `eu`, `au`, `jp`, … */
  readonly region: string;
  readonly tenant: string;
}

const DASHBOARD = 'https://manage.auth0.com/dashboard';

/**
 * The tenant and region of a canonical tenant domain: `acme.eu.auth0.com` → eu/acme, and the
 * oldest tenants' `acme.auth0.com` → us/acme. A custom domain (login.acme.com) names neither, so
 * there is no link: the bot's AUTH0_DOMAIN must be the canonical domain for the Management API
 * anyway.
 */
export const dashboardTenantOf = (domain: string): DashboardTenant | undefined => {
  const m = /^([a-z0-9][a-z0-9-]{0,62})(?:\.([a-z]{2}(?:-[0-9]{1,2})?))?\.auth0\.com$/.exec(
    domain.trim().toLowerCase(),
  );
  if (m?.[1] === undefined) return undefined;
  return { region: m[2] ?? 'us', tenant: m[1] };
};

/** A Lucene phrase: backslashes and double quotes escaped, so a value cannot end the phrase. */
const phrase = (value: string): string => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** `type:"f" OR type:"fp"`, parenthesised when there are several. */
const anyOf = (field: string, values: readonly string[]): string | undefined => {
  if (values.length === 0) return undefined;
  const terms = values.map((v) => `${field}:${phrase(v)}`);
  return terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`;
};

/** `(type:"feccft") AND client_id:"abc"`: every part the incident has, ANDed. */
export const logSearchQuery = (query: LogQuery): string =>
  [
    anyOf('type', query.types),
    anyOf('client_id', query.clientId === undefined ? [] : [query.clientId]),
    anyOf('connection', query.connection === undefined ? [] : [query.connection]),
    anyOf('ip', query.ip === undefined ? [] : [query.ip]),
  ]
    .filter((part) => part !== undefined)
    .join(' AND ');

/** Slack's limit on a button's url: a longer link would make Slack refuse the whole card. */
const MAX_URL = 3000;

/**
 * The Dashboard's log search for the query; the plain logs page when the query is empty or would
 * make the link too long for Slack.
 */
export const auth0LogsUrl = (tenant: DashboardTenant, query: LogQuery | undefined): string => {
  const base = `${DASHBOARD}/${encodeURIComponent(tenant.region)}/${encodeURIComponent(tenant.tenant)}/logs`;
  const q = query === undefined ? '' : logSearchQuery(query);
  const url = `${base}?q=${encodeURIComponent(q)}`;
  return q === '' || url.length > MAX_URL ? base : url;
};
