import { z } from 'zod';
import type { AuditLog } from '../audit/ports.js';
import type { Tenant } from '../tenant/ports.js';
import type { AgentToolSpec } from './ports.js';
import { FACT_TOPICS, type IncidentContext, type IncidentFacts } from './incident-facts.js';

/**
 * The agent's read-only tools. There is deliberately no tool that runs, confirms or retries a
 * step: whatever a model or a log line asks for, these three are all it can call. Inputs are
 * parsed with zod, and the Lucene query is built only from values that passed it.
 */
export interface AgentTools {
  /** The tenant adapter, so log searches share its rate-limit budget and policy. */
  readonly tenant: Pick<Tenant, 'searchLogs' | 'listSigningKeys'>;
  readonly audit: Pick<AuditLog, 'forIncident'>;
  /** The common questions answered from data (incident-facts.ts); without it, no `incident_facts` tool. */
  readonly facts?: IncidentFacts;
}

const READ_ONLY_TOOL_NAMES = ['recent_logs', 'signing_keys', 'incident_audit', 'incident_facts'] as const;
type ReadOnlyToolName = (typeof READ_ONLY_TOOL_NAMES)[number];

/** Entries and characters per string a tool hands back: results are data, not a dump. */
const MAX_LOG_ENTRIES = 20;
const MAX_TOOL_STRING = 160;
const MAX_AUDIT_ENTRIES = 20;

// Auth0 client IDs and connection names: letters, digits, `_` and `-` only, so a validated value
// can never close the quoted Lucene term it is put in.
const identifier = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

const recentLogsInput = z
  .object({
    clientId: identifier.optional(),
    ip: z.union([z.ipv4(), z.ipv6()]).optional(),
    connection: identifier.optional(),
    minutes: z.number().int().min(1).max(60).default(15),
  })
  .strict()
  .refine((v) => v.clientId !== undefined || v.ip !== undefined || v.connection !== undefined, {
    message: 'give clientId, ip or connection',
  });
const noInput = z.object({}).strict();
const factsInput = z
  .object({
    topic: z.enum(FACT_TOPICS),
    step: z.number().int().min(1).max(99).optional(),
    minutes: z.number().int().min(1).max(60).optional(),
  })
  .strict();

export const AGENT_TOOL_SPECS: readonly AgentToolSpec[] = [
  {
    name: 'recent_logs',
    description:
      'Recent Auth0 tenant log events (newest first, at most 20) for one client ID, IP or connection, within the last N minutes (max 60).',
    inputSchema: {
      type: 'object',
      properties: {
        clientId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
        ip: { type: 'string' },
        connection: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
        minutes: { type: 'integer', minimum: 1, maximum: 60 },
      },
      additionalProperties: false,
    },
  },
  {
    name: 'signing_keys',
    description: "The tenant's token signing keys: current, next, previous, revoked.",
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  },
  {
    name: 'incident_facts',
    description:
      "Facts about this incident from the bot's own records: `ownership` (who acknowledged, escalated, ran steps), `still_happening` (failures since the last step or change against the window before), `changes` (tenant changes and steps in the last N minutes), `failing` (which clients, IPs, users fail in this incident's scope), `step` (what step N did).",
    inputSchema: {
      type: 'object',
      properties: {
        topic: { type: 'string', enum: [...FACT_TOPICS] },
        step: { type: 'integer', minimum: 1, maximum: 99 },
        minutes: { type: 'integer', minimum: 1, maximum: 60 },
      },
      required: ['topic'],
      additionalProperties: false,
    },
  },
  {
    name: 'incident_audit',
    description: "This incident's audit trail: clicks, step runs and their outcomes.",
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  },
];

const clip = (value: unknown): string | undefined => {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value);
  return text.length <= MAX_TOOL_STRING ? text : `${text.slice(0, MAX_TOOL_STRING - 1)}…`;
};

const LOG_FIELDS = [
  'date',
  'type',
  'description',
  'client_id',
  'client_name',
  'ip',
  'connection',
  'user_name',
  'user_agent',
] as const;

/** The few fields worth showing, each clipped; the adapter fences them before a model sees them. */
const logSummary = (entry: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (typeof entry !== 'object' || entry === null) return out;
  for (const field of LOG_FIELDS) {
    const value = clip((entry as Record<string, unknown>)[field]);
    if (value !== undefined) out[field] = value;
  }
  return out;
};

export type ToolOutcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

export interface ToolContext {
  readonly incidentId: string;
  /** The incident the question is about: tools answer within its scope. */
  readonly context: IncidentContext;
  readonly now: () => Date;
  readonly signal: AbortSignal;
}

/**
 * The values a log search may name: the incident's own scope and what its evidence lists. A model
 * asked (or told by a log line) to look at another client gets an error, not that client's logs.
 */
const outsideScope = (
  ctx: IncidentContext,
  asked: { clientId?: string | undefined; ip?: string | undefined; connection?: string | undefined },
): string | undefined => {
  const { incident, evidence } = ctx;
  const listed = (items: readonly { value: string }[] | undefined) => (items ?? []).map((i) => i.value);
  const allowed = {
    clientId: [incident.scope.replace(/^client:/, ''), ...listed(evidence.topClients)],
    ip: [
      incident.scope.replace(/^ip:/, ''),
      ...listed(evidence.topIps),
      ...(evidence.singleSourceIp ? [evidence.singleSourceIp] : []),
    ],
    connection: [incident.scope.replace(/^connection:/, ''), ...listed(evidence.topConnections)],
  };
  for (const key of ['clientId', 'ip', 'connection'] as const) {
    const value = asked[key];
    if (value !== undefined && !allowed[key].includes(value)) return `${key} ${value}`;
  }
  return undefined;
};

const isReadOnlyTool = (name: string): name is ReadOnlyToolName =>
  (READ_ONLY_TOOL_NAMES as readonly string[]).includes(name);

/** Runs one call; an unknown tool or an invalid input is an error result, never an exception. */
export const runTool = async (
  tools: AgentTools,
  name: string,
  input: unknown,
  ctx: ToolContext,
): Promise<ToolOutcome> => {
  if (!isReadOnlyTool(name)) return { ok: false, error: 'unknown tool: only read-only tools exist' };
  if (name !== 'recent_logs' && name !== 'incident_facts' && !noInput.safeParse(input ?? {}).success) {
    return { ok: false, error: 'invalid input: this tool takes none' };
  }
  switch (name) {
    case 'recent_logs': {
      const parsed = recentLogsInput.safeParse(input ?? {});
      if (!parsed.success) return { ok: false, error: 'invalid input: clientId, ip or connection required' };
      const { clientId, ip, connection, minutes } = parsed.data;
      const outside = outsideScope(ctx.context, { clientId, ip, connection });
      if (outside !== undefined)
        return {
          ok: false,
          error: `${outside} is not part of this incident: ask about its own clients, IPs or connections`,
        };
      const since = new Date(ctx.now().getTime() - minutes * 60_000).toISOString();
      const terms = [
        clientId === undefined ? undefined : `client_id:"${clientId}"`,
        ip === undefined ? undefined : `ip:"${ip}"`,
        connection === undefined ? undefined : `connection:"${connection}"`,
        `date:[${since} TO *]`,
      ].filter((t): t is string => t !== undefined);
      const entries = await tools.tenant.searchLogs(
        { q: terms.join(' AND '), sort: 'date:-1', perPage: MAX_LOG_ENTRIES },
        ctx.signal,
      );
      return {
        ok: true,
        value: { minutes, count: entries.length, entries: entries.slice(0, MAX_LOG_ENTRIES).map(logSummary) },
      };
    }
    case 'signing_keys': {
      const keys = await tools.tenant.listSigningKeys(ctx.signal);
      return { ok: true, value: { keys: keys.slice(0, 10) } };
    }
    case 'incident_facts': {
      const parsed = factsInput.safeParse(input ?? {});
      if (!parsed.success)
        return { ok: false, error: `invalid input: topic is one of ${FACT_TOPICS.join(', ')}` };
      if (tools.facts === undefined) return { ok: false, error: 'no facts available' };
      const { topic, step, minutes } = parsed.data;
      return {
        ok: true,
        value: {
          topic,
          facts: tools.facts.answer(ctx.context, {
            topic,
            ...(step === undefined ? {} : { step }),
            ...(minutes === undefined ? {} : { minutes }),
          }),
        },
      };
    }
    case 'incident_audit': {
      const entries = tools.audit.forIncident(ctx.incidentId).slice(-MAX_AUDIT_ENTRIES);
      return {
        ok: true,
        value: {
          entries: entries.map((e) => ({
            at: e.at,
            actor: e.actor,
            action: e.action,
            outcome: e.outcome,
            summary: clip(e.summary),
            stepId: e.stepId,
          })),
        },
      };
    }
  }
};
