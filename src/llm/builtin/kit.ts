import { isIP } from 'node:net';
import { toJsonSchema } from '../../core/runbooks/json-schema.js';
import type { ActionName, ActionSpec, ProposedStep, RunbookRequest } from '../../core/runbooks/model.js';

/**
 * What a built-in runbook may use: facts read from the incident scope and evidence, each validated
 * against a strict pattern before it is used (log fields are attacker-controlled, so free text from
 * the evidence is never copied into a step), and helpers that build steps.
 */
export interface Facts {
  readonly signal: string;
  /** From a `client:<id>` scope (also `client:<id>/credential:<cid>`). */
  readonly clientId?: string;
  /** `evidence.singleSourceIp`, else an `ip:<ip>` scope. */
  readonly ip?: string;
  /** From a `domain:<name>` scope; `renewal` for `domain:<name>/renewal`. */
  readonly domain?: string;
  readonly renewal: boolean;
  /** From a `connection:<name>` scope. */
  readonly connection?: string;
  /** From a `key:<kid>` scope: the JWKS does not publish the current key. */
  readonly kid?: string;
  /** From a `setting:<name>` scope: the tenant setting a change weakened (`brute-force-protection`). */
  readonly setting?: string;
  /** A `setting:<name>/allowlist` scope: addresses were exempted from that protection. */
  readonly allowlist?: boolean;
  /** From a `members:<added|removed>` scope: who administers the tenant changed. */
  readonly members?: 'added' | 'removed';
  /** From an `api:<management|authentication>` scope: which Auth0 API a rate limit is about. */
  readonly api?: 'management' | 'authentication';
  /** A `client:<id>/api-explorer` scope: the Management API Explorer's token was issued. */
  readonly apiExplorer?: boolean;
  /** From a `user:<user_id>` scope (MFA abuse), e.g. `auth0|64f0c2`. */
  readonly userId?: string;
  /** The incident follows this kind of change (detection's correlation). */
  readonly correlation?: { readonly kind: 'signing_key_rotation' | 'secret_change'; readonly at?: string };
  readonly hasSuspects: boolean;
  readonly incidentId: string;
  /** The tenant's own domain (AUTH0_DOMAIN), e.g. `acme.eu.auth0.com`. */
  readonly tenantDomain?: string;
  /** The scope client's name, from the evidence's top clients (`name (id)`), when it is plain text. */
  readonly clientName?: string;
  /** The date the certificate must renew by, from the watcher's summary. */
  readonly renewsBefore?: string;
}

const IDENT = /^[A-Za-z0-9_-]{1,128}$/;
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const USER_ID = /^[A-Za-z0-9_.-]{1,64}\|[A-Za-z0-9_.@+-]{1,128}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** A client name safe to repeat in a step: letters, digits and plain punctuation, no markup. */
const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._\-()'&+:@/]{0,63}$/u;
const ISO_IN_TEXT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?Z/;

const ident = (value: string | undefined): string | undefined =>
  value !== undefined && IDENT.test(value) ? value : undefined;
const ip = (value: string | undefined): string | undefined =>
  value !== undefined && isIP(value) !== 0 ? value : undefined;

const userIdOf = (value: string | undefined): string | undefined =>
  value !== undefined && USER_ID.test(value) ? value : undefined;

const scoped = (scope: string, kind: string): string | undefined => {
  const prefix = `${kind}:`;
  if (!scope.startsWith(prefix)) return undefined;
  return scope.slice(prefix.length).split('/')[0];
};

/** `billing-worker` from a top-clients entry `billing-worker (Zx81billing)` for that client ID. */
const clientNameOf = (clientId: string | undefined, request: RunbookRequest): string | undefined => {
  if (clientId === undefined) return undefined;
  const suffix = ` (${clientId})`;
  const entry = request.evidence.topClients?.find((c) => c.value.endsWith(suffix));
  const name = entry?.value.slice(0, -suffix.length);
  return name !== undefined && NAME.test(name) ? name : undefined;
};

/** A UTC date as the watchers write it in a summary (`9 Mar 2025, 00:00 UTC`). */
const UTC_IN_TEXT =
  /\b(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}), (\d{2}):(\d{2}) UTC\b/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The first date in the text (ISO, or the watchers' UTC text) as an ISO timestamp. */
const dateIn = (text: string | undefined): string | undefined => {
  if (text === undefined) return undefined;
  const iso = ISO_IN_TEXT.exec(text)?.[0];
  if (iso !== undefined) return Number.isNaN(Date.parse(iso)) ? undefined : iso;
  const m = UTC_IN_TEXT.exec(text);
  if (m === null) return undefined;
  const [, day, month, year, hh, mm] = m.map(String);
  const ms = Date.UTC(Number(year), MONTHS.indexOf(month ?? ''), Number(day), Number(hh), Number(mm));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

const oneOf = <T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined =>
  allowed.find((a) => a === value);

const factsOf = (request: RunbookRequest): Facts => {
  const { incident, evidence } = request;
  const domain = scoped(incident.scope, 'domain');
  const correlation = evidence.correlation;
  const clientId = ident(scoped(incident.scope, 'client'));
  const tenantDomain = request.tenant.domain;
  return {
    setting: ident(scoped(incident.scope, 'setting')),
    allowlist: incident.scope.startsWith('setting:') && incident.scope.endsWith('/allowlist'),
    members: oneOf(scoped(incident.scope, 'members'), ['added', 'removed'] as const),
    api: oneOf(scoped(incident.scope, 'api'), ['management', 'authentication'] as const),
    apiExplorer: incident.scope.startsWith('client:') && incident.scope.endsWith('/api-explorer'),
    signal: incident.signal,
    clientId,
    ip: ip(evidence.singleSourceIp) ?? ip(scoped(incident.scope, 'ip')),
    domain: domain !== undefined && HOSTNAME.test(domain) ? domain : undefined,
    renewal: incident.scope.endsWith('/renewal'),
    connection: ident(scoped(incident.scope, 'connection')),
    kid: ident(scoped(incident.scope, 'key')),
    userId: userIdOf(scoped(incident.scope, 'user')),
    correlation:
      correlation === undefined
        ? undefined
        : { kind: correlation.kind, at: ISO_TIME.test(correlation.at) ? correlation.at : undefined },
    hasSuspects: evidence.suspects.some((s) => !s.expected),
    incidentId: incident.id,
    tenantDomain: HOSTNAME.test(tenantDomain) ? tenantDomain : undefined,
    clientName: clientNameOf(clientId, request),
    renewsBefore: dateIn(evidence.summary),
  };
};

/** Parameter names the built-in runbooks know how to fill, and from which fact. */
const FILLERS: Readonly<Record<string, (facts: Facts) => string | undefined>> = {
  clientId: (f) => f.clientId,
  client_id: (f) => f.clientId,
  ip: (f) => f.ip,
  kid: (f) => f.kid,
  incidentId: (f) => f.incidentId,
};

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * An action's parameters filled from the facts by the names its schema declares; undefined
 * when a required one has no fact (the step is then left out rather than proposed half-filled).
 */
export const paramsFor = (spec: ActionSpec, facts: Facts): Record<string, string> | undefined => {
  const schema = toJsonSchema(spec.params);
  const properties = schema.properties;
  const names = typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
  const params: Record<string, string> = {};
  for (const name of names) {
    const value = FILLERS[name]?.(facts);
    if (value !== undefined) params[name] = value;
  }
  const missing = stringList(schema.required).some((name) => params[name] === undefined);
  return missing ? undefined : params;
};

export type Step = ProposedStep | undefined;

export interface Kit {
  readonly facts: Facts;
  guide(title: string, body: string): ProposedStep;
  /** The action if the catalog offers it and its parameters can be filled; else nothing. */
  act(action: ActionName, title: string, body: string): Step;
  /** `billing-worker (abc123)`, `client abc123`, or a description when the scope names no client. */
  readonly client: string;
  /** The tenant's domain, or a description of where to find it. */
  readonly domain: string;
  /** Whether the catalog offers `action` with its parameters filled: a step may then refer to it. */
  offers(action: ActionName): boolean;
}

export const kitFor = (request: RunbookRequest): Kit => {
  const facts = factsOf(request);
  const paramsOf = (action: ActionName) => {
    const spec = request.actions.find((a) => a.name === action);
    return spec && paramsFor(spec, facts);
  };
  const client =
    facts.clientId === undefined
      ? 'the application on this card'
      : facts.clientName === undefined
        ? `client ${facts.clientId}`
        : `${facts.clientName} (${facts.clientId})`;
  return {
    facts,
    client,
    domain: facts.tenantDomain ?? "your tenant's Auth0 domain",
    offers: (action) => paramsOf(action) !== undefined,
    guide: (title, body) => ({ kind: 'guidance', title, body }),
    act: (action, title, body) => {
      const params = paramsOf(action);
      return params && { kind: 'action', title, body, action, params };
    },
  };
};

/** Every runbook ends by asking detection again, so the engineer sees whether it worked. */
export const recheck = (kit: Kit): Step =>
  kit.act(
    'recheck_signal',
    'Check whether it is still happening',
    'Runs detection for this incident now and says whether the signal is still above its threshold. ' +
      'Use it after each fix; the incident also resolves by itself once it stays quiet.',
  );
