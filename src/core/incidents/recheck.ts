import { SIGNAL_GROUPS } from '../detection/groups.js';
import type { LogSignal } from '../logs/classification.js';
import type { LogStore, StoredLogEvent } from '../logs/ports.js';
import { plural } from '../status/model.js';
import type { Incident, IncidentStore } from './model.js';

/**
 * "Is it still happening?" answered by counting, not by the detection window. Right after a fix
 * the detection window still holds the failures from before it, so the question is answered by
 * comparing the failures since the last step that succeeded (or the last tenant change, whichever
 * is newer) with the same signal's failures in the window before it — and the answer says which
 * events it counted. Without a step or change since the incident opened, the last window is
 * compared with the one before it. The bot's own traffic is never counted.
 */

const MINUTE_MS = 60_000;
/** `recent` returns at most this many per query: counts at the cap are said to be "at least". */
const COUNT_CAP = 1000;
/** A step that only looks (this one) is not a fix: the comparison is anchored on what changed things. */
const LOOK_ONLY_ACTIONS: ReadonlySet<string> = new Set(['recheck_signal', 'list_signing_keys']);

export interface RecheckDeps {
  readonly logs: Pick<LogStore, 'recent'>;
  readonly incidents: Pick<IncidentStore, 'get' | 'timeline' | 'steps'>;
  readonly now: () => Date;
  /** Detection's window: the span compared when nothing changed, and the "before" span after a change. */
  readonly windowMinutes: number;
}

/** What the comparison was anchored on. */
export interface RecheckMarker {
  readonly at: string;
  /** "step 2 (Roll back the client secret)" or "the tenant change PATCH /api/v2/clients/abc". */
  readonly what: string;
}

export interface RecheckCount {
  readonly incident: Incident;
  /** Undefined: nothing ran or changed since the incident opened; the last window was counted. */
  readonly marker: RecheckMarker | undefined;
  /** The failures since the marker (or in the last window), and over how long. */
  readonly after: { readonly count: number; readonly ms: number; readonly capped: boolean };
  /** The failures in the span before it. */
  readonly before: { readonly count: number; readonly ms: number; readonly capped: boolean };
  readonly verdict: 'stopped' | 'falling' | 'still' | 'quiet';
  /** The log signals and scope counted, for the answer to say so. */
  readonly counted: { readonly signals: readonly LogSignal[]; readonly scope: string };
}

export type RecheckResult =
  | { readonly kind: 'gone' }
  | { readonly kind: 'not_counted'; readonly incident: Incident }
  | ({ readonly kind: 'counted' } & RecheckCount);

/** The log signals an incident's failures are counted from; undefined for watcher and health signals. */
export const failureSignalsOf = (signal: string): readonly LogSignal[] | undefined =>
  SIGNAL_GROUPS.find((g) => g.signal === signal)?.failures;

/** User-profile edits never change whether a client or a connection fails. */
const isRelevantChange = (e: StoredLogEvent): boolean => !/\/api\/v2\/users\b/.test(e.reason ?? '');

const lastMarker = (deps: RecheckDeps, incident: Incident): RecheckMarker | undefined => {
  const steps = deps.incidents.steps(incident.id);
  const stepRun = deps.incidents
    .timeline(incident.id)
    .filter((e) => e.kind === 'step_succeeded')
    .map((e) => {
      const stepId = typeof e.detail.stepId === 'string' ? e.detail.stepId : undefined;
      const index = steps.findIndex((s) => s.stepId === stepId);
      return { at: e.at, step: steps[index], number: index + 1 };
    })
    .filter((r) => r.step !== undefined && !LOOK_ONLY_ACTIONS.has(r.step.action ?? ''))
    .at(-1);
  const change = deps.logs
    .recent({ signal: 'tenant_change', since: incident.openedAt, limit: 50 })
    .find(isRelevantChange);
  const fromStep =
    stepRun?.step === undefined
      ? undefined
      : { at: stepRun.at, what: `step ${stepRun.number} (${stepRun.step.title})` };
  const fromChange =
    change === undefined
      ? undefined
      : {
          at: change.date,
          what: `the ${change.own ? "bot's own " : ''}tenant change ${change.reason ?? change.type}`,
        };
  if (fromStep === undefined) return fromChange;
  if (fromChange === undefined) return fromStep;
  return Date.parse(fromChange.at) > Date.parse(fromStep.at) ? fromChange : fromStep;
};

const verdictOf = (after: RecheckCount['after'], before: RecheckCount['before']): RecheckCount['verdict'] => {
  if (after.count === 0) return before.count === 0 ? 'quiet' : 'stopped';
  const rateAfter = after.count / Math.max(after.ms, MINUTE_MS);
  const rateBefore = before.count / Math.max(before.ms, MINUTE_MS);
  return rateAfter * 2 <= rateBefore ? 'falling' : 'still';
};

/** Counts the incident's failures around its last step or change; no evaluation, no side effects. */
export const createRecheck =
  (deps: RecheckDeps) =>
  (incidentId: string): RecheckResult => {
    const incident = deps.incidents.get(incidentId);
    if (!incident) return { kind: 'gone' };
    const signals = failureSignalsOf(incident.signal);
    if (signals === undefined) return { kind: 'not_counted', incident };
    const now = deps.now().getTime();
    const windowMs = deps.windowMinutes * MINUTE_MS;
    const marker = lastMarker(deps, incident);
    const split = marker === undefined ? now - windowMs : Math.min(Date.parse(marker.at), now);
    const beforeMs = marker === undefined ? windowMs : Math.max(windowMs, now - split);
    const from = split - beforeMs;
    const events = deps.logs
      .recent({
        signals,
        ...(incident.scope === 'tenant' ? {} : { scope: incident.scope }),
        since: new Date(from).toISOString(),
        limit: COUNT_CAP,
      })
      .filter((e) => !e.own);
    const capped = events.length >= COUNT_CAP;
    const afterCount = events.filter((e) => Date.parse(e.date) >= split).length;
    const after = { count: afterCount, ms: now - split, capped };
    const before = { count: events.length - afterCount, ms: beforeMs, capped };
    return {
      kind: 'counted',
      incident,
      marker,
      after,
      before,
      verdict: verdictOf(after, before),
      counted: { signals, scope: incident.scope },
    };
  };

const span = (ms: number): string => {
  const minutes = Math.round(ms / MINUTE_MS);
  if (minutes >= 1) return `${minutes} min`;
  return `${Math.max(1, Math.round(ms / 1000))} s`;
};

const failures = (n: number, capped: boolean): string =>
  `${capped ? 'at least ' : ''}${plural(n, 'failure')}`;

const VERDICTS: Readonly<Record<RecheckCount['verdict'], string>> = {
  stopped: 'It has stopped.',
  falling: 'It is still happening, but less.',
  still: 'It is still happening.',
  quiet: 'Nothing is failing.',
};

/** The answer, in words; it names what it counted so a reader can tell a fix from a lull. */
export const recheckText = (result: RecheckResult): string => {
  if (result.kind === 'gone') return 'The incident no longer exists.';
  const { incident } = result;
  if (result.kind === 'not_counted') {
    return incident.state === 'resolved'
      ? 'Checked again: the signal is quiet and the incident is resolved.'
      : `Checked again: still ${incident.severity} — ${incident.title}.`;
  }
  const { marker, after, before, counted } = result;
  const what = `${counted.signals.join(' / ').replaceAll('_', ' ')} events${counted.scope === 'tenant' ? '' : ` for ${counted.scope}`}, not counting the bot's own`;
  const comparison =
    marker === undefined
      ? `No step ran and nothing changed since it opened, so I counted the last ${span(after.ms)}: ${failures(after.count, after.capped)}, against ${failures(before.count, before.capped)} in the ${span(before.ms)} before.`
      : `Since ${marker.what} ${span(after.ms)} ago: ${failures(after.count, after.capped)}, against ${failures(before.count, before.capped)} in the ${span(before.ms)} before it.`;
  const state =
    incident.state === 'resolved'
      ? ' The incident is resolved.'
      : result.verdict === 'stopped' || result.verdict === 'quiet'
        ? ' The card resolves itself once the signal stays quiet.'
        : '';
  return `${VERDICTS[result.verdict]} ${comparison} Counted: ${what}.${state}`;
};
