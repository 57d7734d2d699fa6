import type { LogStore } from '../logs/ports.js';
import { evidenceOf } from './evidence-codec.js';
import type { Incident, IncidentStore } from './model.js';
import { failureSignalsOf } from './recheck.js';

/**
 * What an incident's thread is told when it ends (docs/on-call.md, "Summary and postmortem"):
 * when it started, when the card opened, who acknowledged it, which steps ran and how they went,
 * the cause, and how long each part took. Computed once, inside the resolve transaction, so the
 * line queued in the outbox says what was true at that moment.
 */
export interface IncidentSummary {
  /** The first failure of the run that opened the card; the card's opening when not known. */
  readonly onset: string;
  readonly onsetFromSignal: boolean;
  readonly openedAt: string;
  readonly acknowledged: { readonly by: string; readonly at: string } | null;
  readonly resolvedAt: string;
  readonly resolvedBy: string | null;
  readonly resolution: 'manual' | 'auto';
  readonly steps: readonly SummaryStep[];
  readonly cause: SummaryCause;
  /** Onset to resolution. */
  readonly durationMs: number;
  /** Opened to acknowledged, when it was. */
  readonly mttaMs: number | null;
  /** Opened to resolved. */
  readonly mttrMs: number;
}

export interface SummaryStep {
  readonly title: string;
  readonly outcome: 'succeeded' | 'failed';
  readonly at: string;
  readonly by: string;
  /** The step's own result line (bounded), e.g. "Auth0 issued a token". */
  readonly result: string;
}

export type SummaryCause =
  | { readonly kind: 'named'; readonly text: string }
  | {
      readonly kind: 'suspects';
      readonly suspects: readonly { readonly at: string; readonly who: string; readonly what: string }[];
    }
  | { readonly kind: 'unknown' };

const MINUTE_MS = 60_000;
/** How far back from the card's opening the onset is looked for. */
const ONSET_LOOKBACK_MINUTES = 60;
/** At most this many steps and suspects are listed (the rest are counted). */
const MAX_STEPS = 10;
const MAX_SUSPECTS = 3;

export interface SummaryDeps {
  readonly incidents: Pick<IncidentStore, 'timeline' | 'steps'>;
  readonly logs: Pick<LogStore, 'counts' | 'recent'>;
}

const minuteKey = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/**
 * The onset: walking back minute by minute from the card's opening, the start of the unbroken run
 * of minutes whose failures (not the bot's own) are above twice the baseline (any failure when
 * there is no baseline); then the first such event of that minute. Undefined for signals that are
 * not counted from logs (watchers, health).
 */
const onsetOf = (deps: SummaryDeps, incident: Incident): string | undefined => {
  const signals = failureSignalsOf(incident.signal);
  if (signals === undefined) return undefined;
  const opened = Date.parse(incident.openedAt);
  const evidence = evidenceOf(incident.evidence, incident.openedAt);
  const floor = evidence.baseline === undefined ? 0 : evidence.baseline * 2;
  const scope = incident.scope === 'tenant' ? {} : { scope: incident.scope };
  const perMinute = new Map<string, number>();
  for (const c of deps.logs.counts({
    signals,
    fromMinute: minuteKey(opened - ONSET_LOOKBACK_MINUTES * MINUTE_MS),
    toMinute: minuteKey(opened),
    ...scope,
  }))
    perMinute.set(c.minute, (perMinute.get(c.minute) ?? 0) + c.count - c.ownCount);
  let first: string | undefined;
  for (let m = 0; m <= ONSET_LOOKBACK_MINUTES; m += 1) {
    const key = minuteKey(opened - m * MINUTE_MS);
    if ((perMinute.get(key) ?? 0) <= floor) {
      if (m === 0) continue; // the opening minute may have only just begun
      break;
    }
    first = key;
  }
  if (first === undefined) return undefined;
  const since = `${first}:00.000Z`;
  const events = deps.logs.recent({ signals, ...scope, since, limit: 1000 }).filter((e) => !e.own);
  const oldest = events.at(-1);
  return oldest !== undefined && oldest.date < `${first}:60` ? oldest.date : since;
};

const causeOf = (incident: Incident): SummaryCause => {
  const evidence = evidenceOf(incident.evidence, incident.openedAt);
  if (evidence.correlation) return { kind: 'named', text: evidence.correlation.detail };
  const ordered = [...evidence.suspects].sort((a, b) => Number(a.expected) - Number(b.expected));
  if (ordered.length > 0)
    return {
      kind: 'suspects',
      suspects: ordered.slice(0, MAX_SUSPECTS).map(({ at, who, what }) => ({ at, who, what })),
    };
  return { kind: 'unknown' };
};

const stepsOf = (deps: SummaryDeps, incident: Incident): SummaryStep[] => {
  const titles = new Map(deps.incidents.steps(incident.id).map((s) => [s.stepId, s.title]));
  return deps.incidents
    .timeline(incident.id)
    .filter((e) => e.kind === 'step_succeeded' || e.kind === 'step_failed')
    .slice(-MAX_STEPS)
    .map((e) => {
      const stepId = typeof e.detail.stepId === 'string' ? e.detail.stepId : '';
      const result = typeof e.detail.summary === 'string' ? e.detail.summary.slice(0, 200) : '';
      return {
        title: titles.get(stepId) ?? stepId,
        outcome: e.kind === 'step_succeeded' ? ('succeeded' as const) : ('failed' as const),
        at: e.at,
        by: e.actor,
        result,
      };
    });
};

/** The summary of a resolved incident (call it with the incident as the resolve returned it). */
export const createIncidentSummary =
  (deps: SummaryDeps) =>
  (incident: Incident): IncidentSummary => {
    const resolvedAt = incident.resolvedAt ?? incident.updatedAt;
    const signalOnset = onsetOf(deps, incident);
    const onset =
      signalOnset !== undefined && signalOnset < incident.openedAt ? signalOnset : incident.openedAt;
    const opened = Date.parse(incident.openedAt);
    return {
      onset,
      onsetFromSignal: onset !== incident.openedAt,
      openedAt: incident.openedAt,
      acknowledged:
        incident.acknowledgedAt !== null && incident.acknowledgedBy !== null
          ? { by: incident.acknowledgedBy, at: incident.acknowledgedAt }
          : null,
      resolvedAt,
      resolvedBy: incident.resolvedBy,
      resolution: incident.resolution ?? 'manual',
      steps: stepsOf(deps, incident),
      cause: causeOf(incident),
      durationMs: Date.parse(resolvedAt) - Date.parse(onset),
      mttaMs: incident.acknowledgedAt === null ? null : Date.parse(incident.acknowledgedAt) - opened,
      mttrMs: Date.parse(resolvedAt) - opened,
    };
  };
