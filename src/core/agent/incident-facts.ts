import type { Evidence } from '../detection/model.js';
import type { Incident, IncidentEvent, IncidentStep } from '../incidents/model.js';
import { failureSignalsOf, recheckText, type RecheckResult } from '../incidents/recheck.js';
import type { LogStore, StoredLogEvent } from '../logs/ports.js';
import { plural } from '../status/model.js';

/**
 * The common questions about an incident, answered from data: who acknowledged or owns it, is it
 * still happening, what changed lately, which clients / IPs / users are failing, what step N did.
 * The same facts answer a person when no model is configured and a model through the
 * `incident_facts` tool. Everything stays within the incident: its scope, its steps, its timeline;
 * the one tenant-wide answer is "what changed", because any change may be the cause.
 */

export const FACT_TOPICS = ['ownership', 'still_happening', 'changes', 'failing', 'step'] as const;
type FactTopic = (typeof FACT_TOPICS)[number];

export interface FactRequest {
  readonly topic: FactTopic;
  /** For `step`: its number on the card, from 1. */
  readonly step?: number;
  /** For `changes` and `failing`: how far back. */
  readonly minutes?: number;
}

/** What is known of the incident when a question is asked. */
export interface IncidentContext {
  readonly incident: Incident;
  readonly evidence: Evidence;
  readonly timeline: readonly IncidentEvent[];
  readonly steps: readonly IncidentStep[];
}

export interface IncidentFactsDeps {
  readonly logs: Pick<LogStore, 'recent'>;
  /** recheck.ts: the failures since the last step or change against the window before. */
  readonly recheck: (incidentId: string) => RecheckResult;
  readonly now: () => Date;
}

export interface IncidentFacts {
  /** Plain mrkdwn lines answering one topic. */
  answer(ctx: IncidentContext, request: FactRequest): string;
}

const MINUTE_MS = 60_000;
const DEFAULT_CHANGE_MINUTES = 60;
const DEFAULT_FAILING_MINUTES = 15;
const MAX_LINES = 8;
const TOP = 5;

/**
 * Log fields are attacker-controlled: no mentions, links or code spans, bounded. `_` and `*` stay:
 * client IDs and reasons (`invalid_client`) hold them, and at worst they set a word in italics.
 */
export const plain = (value: string, max = 120): string => {
  const flat = value
    .replace(/[<>&`|]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
};

/** A Slack user ID from our own records as a mention; the bot's own actions as such. */
const person = (actor: string | null): string => {
  if (actor === null) return 'someone';
  if (actor === 'system') return 'the bot';
  return /^[UW][A-Z0-9]{2,}$/.test(actor) ? `<@${actor}>` : plain(actor, 64);
};

const ago = (at: string, now: Date): string => {
  const minutes = Math.round((now.getTime() - Date.parse(at)) / MINUTE_MS);
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${minutes} min ago`;
  return `${Math.round(minutes / 60)} h ago`;
};

const stepNumber = (steps: readonly IncidentStep[], stepId: unknown): number =>
  steps.findIndex((s) => s.stepId === stepId) + 1;

const ownership = (ctx: IncidentContext, now: Date): string[] => {
  const { incident } = ctx;
  const lines = [
    incident.acknowledgedBy === null
      ? `Nobody has acknowledged it yet (opened ${ago(incident.openedAt, now)}).`
      : incident.owner !== null && incident.owner !== incident.acknowledgedBy
        ? `Acknowledged by ${person(incident.acknowledgedBy)} ${ago(incident.acknowledgedAt ?? incident.updatedAt, now)}; ${person(incident.owner)} took it over and owns it now.`
        : `Acknowledged by ${person(incident.acknowledgedBy)} ${ago(incident.acknowledgedAt ?? incident.updatedAt, now)}: they own it.`,
  ];
  if (incident.escalatedBy !== null)
    lines.push(`Escalated by ${person(incident.escalatedBy)} ${ago(incident.escalatedAt ?? '', now)}.`);
  if (incident.resolvedBy !== null)
    lines.push(`Resolved by ${person(incident.resolvedBy)} ${ago(incident.resolvedAt ?? '', now)}.`);
  const runners = [
    ...new Set(ctx.timeline.filter((e) => e.kind === 'step_started').map((e) => person(e.actor))),
  ];
  if (runners.length > 0) lines.push(`Steps were run by ${runners.join(', ')}.`);
  return lines;
};

const isUserEdit = (e: StoredLogEvent): boolean => /\/api\/v2\/users\b/.test(e.reason ?? '');

const changes = (ctx: IncidentContext, deps: IncidentFactsDeps, now: Date, minutes: number): string[] => {
  const since = new Date(now.getTime() - minutes * MINUTE_MS).toISOString();
  const logged = deps.logs.recent({ signal: 'tenant_change', since, limit: 200 });
  const edits = logged.filter(isUserEdit).length;
  const lines = logged
    .filter((e) => !isUserEdit(e))
    .map((e) => {
      const who = e.own ? 'the bot itself' : plain(e.userName ?? e.clientName ?? e.clientId ?? 'someone', 64);
      return { at: e.date, line: `${plain(e.reason ?? e.type, 160)} by ${who}` };
    });
  const steps = ctx.timeline
    .filter((e) => (e.kind === 'step_succeeded' || e.kind === 'step_failed') && e.at >= since)
    .map((e) => {
      const n = stepNumber(ctx.steps, e.detail.stepId);
      const title = ctx.steps[n - 1]?.title ?? 'a step';
      const verb = e.kind === 'step_succeeded' ? 'ran' : 'failed';
      return { at: e.at, line: `step ${n} (${plain(title, 80)}) ${verb}, pressed by ${person(e.actor)}` };
    });
  const all = [...lines, ...steps].sort((a, b) => b.at.localeCompare(a.at));
  const head =
    all.length === 0
      ? `No tenant changes and no steps in the last ${minutes} min.`
      : `In the last ${minutes} min, ${plural(all.length, 'change')} (newest first):`;
  const out = [head, ...all.slice(0, MAX_LINES).map((c) => `• ${ago(c.at, now)}: ${c.line}`)];
  if (all.length > MAX_LINES) out.push(`• …and ${all.length - MAX_LINES} more`);
  if (edits > 0) out.push(`(${plural(edits, 'user-profile edit')} left out: they never cause this.)`);
  return out;
};

const top = (values: ReadonlyArray<string | null>): string[] => {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null && v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([value, n]) => `${plain(value, 64)} (${n})`);
};

const failing = (ctx: IncidentContext, deps: IncidentFactsDeps, now: Date, minutes: number): string[] => {
  const { incident } = ctx;
  const signals = failureSignalsOf(incident.signal);
  const where = incident.scope === 'tenant' ? '' : ` for ${plain(incident.scope, 80)}`;
  if (signals === undefined) {
    const e = ctx.evidence;
    const from = [
      ['clients', e.topClients],
      ['IPs', e.topIps],
      ['connections', e.topConnections],
    ] as const;
    const lines = from
      .filter(([, items]) => items !== undefined && items.length > 0)
      .map(
        ([label, items]) =>
          `• ${label}: ${(items ?? []).map((i) => `${plain(i.value, 64)} (${i.count})`).join(', ')}`,
      );
    return lines.length > 0
      ? ['From the card’s evidence:', ...lines]
      : ['This incident is not counted from log events, so there is no list of failing clients or IPs.'];
  }
  const since = new Date(now.getTime() - minutes * MINUTE_MS).toISOString();
  const events = deps.logs
    .recent({
      signals,
      ...(incident.scope === 'tenant' ? {} : { scope: incident.scope }),
      since,
      limit: 1000,
    })
    .filter((e) => !e.own);
  if (events.length === 0) return [`No failures${where} in the last ${minutes} min.`];
  const lines = [
    `${plural(events.length, 'failure')}${where} in the last ${minutes} min, not counting the bot's own:`,
  ];
  const add = (label: string, values: string[]) => {
    if (values.length > 0) lines.push(`• ${label}: ${values.join(', ')}`);
  };
  add('clients', top(events.map((e) => e.clientName ?? e.clientId)));
  add('IPs', top(events.map((e) => e.ip)));
  add('users', top(events.map((e) => e.userName)));
  add('connections', top(events.map((e) => e.connection)));
  add('reasons', top(events.map((e) => e.reason ?? e.description)));
  return lines;
};

const stepFacts = (ctx: IncidentContext, now: Date, n: number | undefined): string[] => {
  const step = n === undefined ? undefined : ctx.steps[n - 1];
  if (n === undefined || step === undefined)
    return [
      `The card has ${plural(ctx.steps.length, 'step')}${n === undefined ? '' : `, so there is no step ${n}`}.`,
    ];
  const kind = step.kind === 'action' ? 'an action with a button' : 'guidance to read';
  const lines = [`Step ${n}, "${plain(step.title, 120)}", is ${kind}; it is ${step.state}.`];
  for (const e of ctx.timeline.filter((t) => t.detail.stepId === step.stepId)) {
    const summary = typeof e.detail.summary === 'string' ? `: ${plain(e.detail.summary, 300)}` : '';
    if (e.kind === 'step_started') lines.push(`• ${person(e.actor)} pressed it ${ago(e.at, now)}`);
    if (e.kind === 'step_succeeded') lines.push(`• it succeeded ${ago(e.at, now)}${summary}`);
    if (e.kind === 'step_failed') lines.push(`• it failed ${ago(e.at, now)}${summary}`);
  }
  if (lines.length === 1 && step.kind === 'action') lines.push('Nobody has run it yet.');
  return lines;
};

export const createIncidentFacts = (deps: IncidentFactsDeps): IncidentFacts => ({
  answer(ctx, request) {
    const now = deps.now();
    const minutes = (fallback: number) => Math.min(Math.max(request.minutes ?? fallback, 1), 60);
    switch (request.topic) {
      case 'ownership':
        return ownership(ctx, now).join('\n');
      case 'still_happening':
        return recheckText(deps.recheck(ctx.incident.id));
      case 'changes':
        return changes(ctx, deps, now, minutes(DEFAULT_CHANGE_MINUTES)).join('\n');
      case 'failing':
        return failing(ctx, deps, now, minutes(DEFAULT_FAILING_MINUTES)).join('\n');
      case 'step':
        return stepFacts(ctx, now, request.step).join('\n');
    }
  },
});

const STEP = /\bstep\s*#?\s*(\d{1,2})\b/i;
const ABOUT_STEP = /\b(what|did|do|does|result|outcome|status|happened|who|when|say|said)\b/i;
const OWNERSHIP =
  /\b(who|whom|whose)\b.*\b(ack\w*|own\w*|on it|on this|handling|looking|assigned|working|escalat\w*|resolv\w*)|\bowner\b/i;
const CHANGES = /\b(chang\w*|deploy\w*|modif\w*|edit\w*|touched)\b/i;
const FAILING =
  /\b(which|what|who|whose)\b.*\b(clients?|apps?|applications?|ips?|addresses|users?|connections?|accounts?)\b/i;
const STILL =
  /\b(still|stopped|over|ongoing|better|fixed|recovered|calmed)\b|\bhappening now\b|\bstill happening\b/i;
const LAST =
  /\b(?:last|past)\s+(\d{1,3})\s*(m|min|mins|minutes?|h|hrs?|hours?)\b|\b(?:last|past)\s+(hour)\b/i;

const minutesOf = (question: string): number | undefined => {
  const m = LAST.exec(question);
  if (m === null) return undefined;
  if (m[3] !== undefined) return 60;
  const n = Number(m[1]);
  return m[2]?.toLowerCase().startsWith('h') === true ? n * 60 : n;
};

/** Which of the common questions a person asked, if any; the first that fits wins. */
export const factRequestOf = (question: string): FactRequest | undefined => {
  const minutes = minutesOf(question);
  const within = minutes === undefined ? {} : { minutes };
  const step = STEP.exec(question);
  if (step !== null && ABOUT_STEP.test(question)) return { topic: 'step', step: Number(step[1]) };
  if (OWNERSHIP.test(question)) return { topic: 'ownership' };
  if (CHANGES.test(question)) return { topic: 'changes', ...within };
  if (FAILING.test(question)) return { topic: 'failing', ...within };
  if (STILL.test(question)) return { topic: 'still_happening' };
  if (/\bfailing\b/i.test(question)) return { topic: 'failing', ...within };
  return undefined;
};
