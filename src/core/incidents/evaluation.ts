import type { Decision } from '../detection/model.js';
import { holdRecoveriesWhileStale } from '../detection/freshness.js';
import { openParts } from '../detection/grouping.js';
import type { Detector } from '../detection/detector.js';
import type { HealthEvent } from '../events/health-events.js';
import type { WatcherEvent } from '../watchers/model.js';
import type { IncidentService } from './incident-service.js';
import type { IncidentStore } from './model.js';
import { recheckText, type RecheckResult } from './recheck.js';

export interface IncidentEvaluationDeps {
  readonly detector: Detector;
  readonly incidents: Pick<IncidentStore, 'listOpen' | 'steps' | 'get'>;
  readonly service: Pick<IncidentService, 'apply' | 'repostMissingCards'>;
  /** Whether log polling is current (core/detection/freshness.ts). */
  readonly logsFresh: () => boolean;
  /** Asks for a runbook for an incident that has none; repeated requests for one incident are harmless. */
  readonly requestRunbook: (incidentId: string) => void;
  readonly onApplyError: (error: unknown) => void;
  /** Counts the incident's failures since its last step or change (recheck.ts). */
  readonly count: (incidentId: string) => RecheckResult;
}

export interface IncidentEvaluation {
  /** Detection over the log counts → incidents; then cards and runbooks a restart or an outage left missing. */
  readonly evaluate: () => Promise<void>;
  /** The "check again" step: evaluates now, then compares the failures since the last step or change with those before. */
  readonly recheck: (incidentId: string) => Promise<string>;
  readonly onWatcherEvents: (events: readonly WatcherEvent[]) => Promise<void>;
  readonly onHealthEvent: (event: HealthEvent) => Promise<void>;
  /** Decisions another detector drew (Event Streams), applied like the detector's own. */
  readonly onDecisions: (decisions: readonly Decision[]) => Promise<void>;
}

/** The detection → incident use case, run after every batch of logs, on a timer, and by watchers and breakers. */
export const createIncidentEvaluation = (deps: IncidentEvaluationDeps): IncidentEvaluation => {
  // A failed apply is reported and the next evaluation tries again: decisions are recomputed, not queued.
  const apply = (decisions: readonly Decision[]) => deps.service.apply(decisions).catch(deps.onApplyError);

  const evaluate = async () => {
    // Parts joined to a card (grouping.ts) are judged, updated and recovered as if open on their own.
    const decisions = deps.detector.evaluate(openParts(deps.incidents.listOpen()));
    await apply(holdRecoveriesWhileStale(decisions, deps.logsFresh()));
    await deps.service.repostMissingCards();
    // A runbook interrupted by a restart (or a writer outage) is written on a later pass.
    for (const incident of deps.incidents.listOpen()) {
      if (deps.incidents.steps(incident.id).length === 0) deps.requestRunbook(incident.id);
    }
  };

  return {
    evaluate,
    recheck: async (incidentId) => {
      await evaluate();
      return recheckText(deps.count(incidentId));
    },
    onWatcherEvents: (events) => apply(deps.detector.onWatcherEvents(events)),
    onHealthEvent: (event) => apply(deps.detector.onHealthEvent(event)),
    onDecisions: (decisions) => apply(decisions),
  };
};

/**
 * One runbook being written per incident at a time: the attacher is asked after the card is
 * posted and again by every evaluation while the incident has no steps.
 */
export const runbookRequests = (
  attach: (incidentId: string) => Promise<unknown>,
  spawn: (name: string, work: () => Promise<unknown>) => void,
): ((incidentId: string) => void) => {
  const attaching = new Set<string>();
  return (incidentId) => {
    if (attaching.has(incidentId)) return;
    attaching.add(incidentId);
    spawn('runbook.attach', () => attach(incidentId).finally(() => attaching.delete(incidentId)));
  };
};
