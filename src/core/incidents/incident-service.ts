import type { AuditLog } from '../audit/ports.js';
import type { Decision, Evidence, Suspect } from '../detection/model.js';
import {
  causeOf,
  causeOfCard,
  leadOf,
  partsOf,
  partsSummary,
  samePart,
  withoutPart,
  withPart,
  type Part,
} from '../detection/grouping.js';
import type { Incident, IncidentStore, Severity } from './model.js';
import { severityAfterDetection } from './manual-severity.js';
import { evidenceOf, evidenceRecord, keepOnset, suspectNews } from './evidence-codec.js';
import type { UnitOfWork } from '../logs/ports.js';
import type { Outbox, OutboxChat } from '../outbox/ports.js';
import type { IncidentChat, IncidentRenderer, ThreadLine } from './ports.js';
import type { QuietState } from './quiet.js';
import type { IncidentSummary } from './summary.js';

export interface IncidentServiceDeps {
  readonly incidents: IncidentStore;
  readonly audit: AuditLog;
  /** Cards are updated in place through it. */
  readonly chat: IncidentChat;
  /**
   * Cards are posted through it with the incident's key, so a re-post (Slack was down, or the
   * app died before it stored the card's ts) first looks for the card it may already have posted.
   */
  readonly cards: OutboxChat;
  /** Thread lines: written with the change that caused them, delivered with retries. */
  readonly outbox: Outbox;
  readonly unitOfWork: UnitOfWork;
  readonly render: IncidentRenderer;
  readonly channel: string;
  readonly newId: () => string;
  readonly now: () => Date;
  /** Called after any change, e.g. to refresh the open-incident gauge. */
  readonly onChange?: () => void;
  readonly onError?: (what: string, error: unknown) => void;
  /** A new incident was opened (e.g. to write its runbook); called after its card is posted. */
  readonly onOpened?: (incident: Incident) => void;
  /** Snoozes and maintenance windows: shown on the card; a severity rise ends a snooze. */
  readonly quiet?: Pick<QuietState, 'stateOf' | 'wakeOnRise'>;
  /** The summary a resolved incident's thread gets (src/core/incidents/summary.ts); none without it. */
  readonly summarize?: (incident: Incident) => IncidentSummary;
}

export interface IncidentService {
  /** Applies detector decisions: open a card, update it in place, or auto-resolve it. */
  apply(decisions: readonly Decision[]): Promise<void>;
  /** Re-renders the card of an incident from what is stored (after a click, a step, a reminder). */
  refreshCard(incidentId: string): Promise<void>;
  /**
   * Queues one line for the incident's thread and delivers it (no-op when the card was never
   * posted). Callers with a state change use CardOps.enqueueThread inside its transaction instead.
   */
  postThread(incident: Incident, line: ThreadLine): Promise<void>;
  /** Posts the cards of open incidents whose first post failed (Slack was down). */
  repostMissingCards(): Promise<void>;
  /**
   * Runs `fn` after everything queued before it, so card updates never overtake each other. `fn`
   * gets the card operations unqueued: calling the queued ones from inside would wait on itself.
   */
  serialize<T>(fn: (cards: CardOps) => Promise<T>): Promise<T>;
}

interface CardOps {
  /** One SQLite transaction: a state change and the lines it queues commit together or not at all. */
  transaction<T>(fn: () => T): T;
  /** Synchronous: call it inside the transaction of the change the line reports. */
  enqueueThread(incident: Incident, line: ThreadLine): void;
  /** Synchronous: queues the resolve summary inside the resolve's transaction (once per incident). */
  enqueueSummary(incident: Incident): void;
  /** Delivers queued lines (what fails stays queued for the delivery job). */
  deliver(): Promise<void>;
  postThread(incident: Incident, line: ThreadLine): Promise<void>;
  refreshCard(incidentId: string): Promise<void>;
}

/** A line's dedupe key: one line of a kind per incident and moment (and suspect). */
const lineKey = (incidentId: string, line: ThreadLine, at: string): string =>
  line.kind === 'summary'
    ? // One summary per incident, whenever and however often the resolve is retried.
      `thread:${incidentId}:summary`
    : `thread:${incidentId}:${line.kind}:${at}${line.kind === 'new_suspect' ? `:${line.suspect.at}:${line.suspect.what}` : ''}${line.kind === 'jwks_hooks' ? `:${line.summary.slice(0, 200)}` : ''}${line.kind === 'snoozed' ? `:${line.until}` : ''}${personLineKey(line)}`;

/** Lines people cause: two in one instant (two notes, a take-over back and forth) are both shown. */
const personLineKey = (line: ThreadLine): string => {
  if (line.kind === 'note') return `:${line.eventId}`;
  if (line.kind === 'took_over') return `:${line.by}:${line.from ?? ''}`;
  if (line.kind === 'severity_set') return `:${line.by}:${line.to}`;
  return '';
};

/**
 * One open incident per (signal, scope), one card per incident; decisions that are parts of one
 * cause share one card (core/detection/grouping.ts). New evidence updates the card in
 * place; the thread gets a line only when something material changed (severity up, a new suspect,
 * a correlation), so a spike that goes on for an hour is one card and a handful of lines.
 */
export const createIncidentService = (deps: IncidentServiceDeps): IncidentService => {
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const at = () => deps.now().toISOString();
  const report = (what: string, error: unknown) => deps.onError?.(what, error);

  const enqueueThread = (incident: Incident, line: ThreadLine) => {
    if (!incident.slackTs || !incident.slackChannel) return;
    const now = deps.now();
    deps.outbox.enqueue(
      {
        key: lineKey(incident.id, line, now.toISOString()).slice(0, 500),
        channel: incident.slackChannel,
        threadTs: incident.slackTs,
        message: deps.render.thread(line, incident, now),
      },
      now.toISOString(),
    );
  };

  const enqueueSummary = (incident: Incident) => {
    if (deps.summarize) enqueueThread(incident, { kind: 'summary', summary: deps.summarize(incident) });
  };

  const postThread = async (incident: Incident, line: ThreadLine) => {
    enqueueThread(incident, line);
    await deps.outbox.deliver();
  };

  const renderCard = (incident: Incident) => {
    const evidence = evidenceOf(incident.evidence, incident.openedAt);
    const summary = partsSummary(evidence.summary, partsOf(incident));
    return deps.render.card(
      incident,
      summary === undefined ? evidence : { ...evidence, summary },
      deps.incidents.steps(incident.id),
      deps.now(),
      deps.quiet?.stateOf(incident),
    );
  };

  /**
   * The open card a decision belongs to (core/detection/grouping.ts): the card on its own (signal,
   * scope), the card it joined as a part, or — for an open or update — the card of its cause.
   */
  const cardOf = (d: Decision): Incident | undefined => {
    const own = deps.incidents.findOpen(d.signal, d.scope);
    if (own) return own;
    const open = deps.incidents.listOpen();
    const joined = open.find((i) => partsOf(i).some((p) => samePart(p, d.signal, d.scope)));
    if (joined || d.kind === 'recover') return joined;
    const cause = causeOf(d.signal, d.scope, d.evidence);
    if (cause === undefined) return undefined;
    return open.find((i) => causeOfCard(i, evidenceOf(i.evidence, i.openedAt)) === cause);
  };

  // The incident row without a card ts is the card's outbox entry: repostMissingCards delivers it.
  const postCard = async (incident: Incident, again: boolean) => {
    const entry = { key: `card:${incident.id}`, channel: deps.channel, message: renderCard(incident) };
    try {
      const found = again ? await deps.cards.findPosted(entry, incident.openedAt) : undefined;
      const posted = found === undefined ? await deps.cards.post(entry) : { ok: true as const, ts: found };
      if (!posted.ok) {
        report('post card', new Error(posted.reason));
        return;
      }
      const stored = deps.incidents.update(incident.id, {
        at: at(),
        slackChannel: deps.channel,
        slackTs: posted.ts,
      });
      // A card found from before a crash shows what was true then: bring it up to date.
      if (found !== undefined && stored.ok) await refresh(stored.incident);
    } catch (error) {
      report('post card', error);
    }
  };

  const refresh = async (incident: Incident) => {
    if (!incident.slackTs || !incident.slackChannel) return;
    try {
      await deps.chat.update(incident.slackChannel, incident.slackTs, renderCard(incident));
    } catch (error) {
      report('update card', error);
    }
  };

  const open = async (d: Extract<Decision, { kind: 'open' | 'update' }>) => {
    const result = deps.incidents.open({
      id: deps.newId(),
      signal: d.signal,
      scope: d.scope,
      severity: d.severity,
      title: d.title,
      at: at(),
      evidence: evidenceRecord(d.evidence),
    });
    if (!result.created) return update(result.incident, d);
    deps.audit.append({
      at: at(),
      actor: 'system',
      action: 'incident.open',
      outcome: 'success',
      incidentId: result.incident.id,
      summary: `${d.severity}: ${d.title}`.slice(0, 500),
      detail: { signal: d.signal, scope: d.scope },
    });
    await postCard(result.incident, false);
    deps.onOpened?.(result.incident);
  };

  const update = async (incident: Incident, d: Extract<Decision, { kind: 'open' | 'update' }>) => {
    const before = evidenceOf(incident.evidence, incident.openedAt);
    const { severity, detectedSeverity } = severityAfterDetection(incident, d.severity);
    // A card with parts (grouping.ts) is titled after its worst active part and shows that part's
    // evidence; a less severe part only updates its own line in the card's list.
    const stored = partsOf(incident, before);
    const grouped = stored.length > 1 || !samePart(incident, d.signal, d.scope);
    const part: Part = {
      signal: d.signal,
      scope: d.scope,
      severity: d.severity,
      title: d.title,
      active: true,
      cause: causeOf(d.signal, d.scope, d.evidence),
    };
    const parts = grouped ? withPart(stored, part) : stored;
    const lead = leadOf(parts);
    const leads = !grouped || (lead !== undefined && samePart(lead, d.signal, d.scope));
    const title = grouped ? (lead?.title ?? incident.title) : d.title;
    // The onset stays the first failure of the episode (evidence-codec.ts), not this evaluation's.
    const after = leads ? keepOnset(before, d.evidence) : before;
    const { news, record } = suspectNews(incident.evidence, before, after);
    const changed = deps.unitOfWork.transaction(() => {
      const r = deps.incidents.update(incident.id, {
        at: at(),
        severity,
        detectedSeverity,
        title,
        evidence: grouped ? { ...record, parts } : record,
      });
      if (r.ok) {
        for (const line of materialChanges(incident, severity, before, after, title, news))
          enqueueThread(r.incident, line);
        const woke = deps.quiet?.wakeOnRise(r.incident, incident.severity, severity);
        if (woke) {
          deps.audit.append({
            at: at(),
            actor: 'system',
            action: 'incident.wake',
            outcome: 'success',
            incidentId: incident.id,
            summary: `severity rose ${incident.severity} → ${severity}: snooze by ${woke.by} ended`,
            detail: { until: woke.until, from: incident.severity, to: severity },
          });
          enqueueThread(r.incident, {
            kind: 'woke_on_severity',
            from: incident.severity,
            to: severity,
            snoozedBy: woke.by,
          });
        }
      }
      return r;
    });
    if (!changed.ok) return;
    await refresh(changed.incident);
    await deps.outbox.deliver();
  };

  /** A part of a card recovered while others are still active: the card says so and stays open. */
  const recoverPart = async (incident: Incident, parts: readonly Part[]) => {
    const lead = leadOf(parts);
    const r = deps.incidents.update(incident.id, {
      at: at(),
      ...(lead === undefined ? {} : { title: lead.title }),
      evidence: { ...incident.evidence, parts },
    });
    if (r.ok) await refresh(r.incident);
  };

  const recover = async (d: Extract<Decision, { kind: 'recover' }>) => {
    const incident = cardOf(d);
    if (!incident) return;
    const parts = partsOf(incident);
    if (parts.length > 1) {
      const was = parts.find((p) => samePart(p, d.signal, d.scope));
      const left = withoutPart(parts, d.signal, d.scope);
      if (left.some((p) => p.active)) {
        if (was?.active === true) await recoverPart(incident, left);
        return;
      }
    }
    const resolved = deps.unitOfWork.transaction(() => {
      const r = deps.incidents.resolve(incident.id, 'system', at(), 'auto');
      if (!r.ok) return r;
      deps.audit.append({
        at: at(),
        actor: 'system',
        action: 'incident.resolve',
        outcome: 'success',
        incidentId: incident.id,
        summary: `auto-resolved: ${d.reason}`.slice(0, 500),
      });
      enqueueThread(r.incident, { kind: 'auto_resolved', reason: d.reason });
      enqueueSummary(r.incident);
      return r;
    });
    if (!resolved.ok) return;
    await deps.outbox.deliver();
    await refresh(resolved.incident);
  };

  const refreshById = async (incidentId: string) => {
    const incident = deps.incidents.get(incidentId);
    if (incident) await refresh(incident);
    deps.onChange?.();
  };
  const cards: CardOps = {
    transaction: (fn) => deps.unitOfWork.transaction(fn),
    enqueueThread,
    enqueueSummary,
    deliver: () => deps.outbox.deliver(),
    postThread,
    refreshCard: refreshById,
  };

  const applyOne = async (d: Decision) => {
    if (d.kind === 'recover') return recover(d);
    const existing = cardOf(d);
    return existing ? update(existing, d) : open(d);
  };

  return {
    apply: (decisions) =>
      enqueue(async () => {
        for (const d of decisions) {
          try {
            await applyOne(d);
          } catch (error) {
            report(`apply ${d.kind} ${d.signal}`, error);
          }
        }
        if (decisions.length > 0) deps.onChange?.();
      }),
    refreshCard: (incidentId) => enqueue(() => refreshById(incidentId)),
    postThread: (incident, line) => enqueue(() => postThread(incident, line)),
    repostMissingCards: () =>
      enqueue(async () => {
        for (const incident of deps.incidents.listOpen())
          if (!incident.slackTs) await postCard(incident, true);
      }),
    serialize: (fn) => enqueue(() => fn(cards)),
  };
};

const materialChanges = (
  incident: Incident,
  severity: Severity,
  before: Evidence,
  after: Evidence,
  title: string,
  news: readonly Suspect[],
): ThreadLine[] => {
  const lines: ThreadLine[] = [];
  if (severity !== incident.severity)
    lines.push({ kind: 'severity_changed', from: incident.severity, to: severity, title });
  for (const suspect of news) lines.push({ kind: 'new_suspect', suspect });
  if (after.correlation && !before.correlation)
    lines.push({ kind: 'correlated', detail: after.correlation.detail });
  return lines;
};
