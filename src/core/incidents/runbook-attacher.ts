import type { ActionCatalog } from '../actions/action.js';
import { actionSpecs } from '../actions/catalog.js';
import type { Incident, IncidentStore, NewIncidentStep } from './model.js';
import { runbookIncidentOf, type Runbook, type RunbookRequest } from '../runbooks/model.js';
import type { Evidence } from '../detection/model.js';
import { evidenceOf } from './evidence-codec.js';
import type { IncidentService } from './incident-service.js';

/** What the attacher needs of the runbook chain (core/runbook-chain.ts). */
interface RunbookSource {
  write(request: RunbookRequest, ctx: { incident: Incident; evidence: Evidence }): Promise<Runbook>;
}

export interface RunbookAttacherDeps {
  readonly incidents: IncidentStore;
  readonly chain: RunbookSource;
  readonly catalog: ActionCatalog;
  readonly service: IncidentService;
  /** The Auth0 tenant's domain (AUTH0_DOMAIN), named in runbook steps. */
  readonly tenantDomain: string;
  readonly now: () => Date;
  readonly onAttached?: (incident: Incident, runbook: Runbook) => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * Writes an incident's runbook after its card is posted (an LLM may take seconds; the card does not
 * wait), stores the steps and re-renders the card. Steps carry the catalog's own destructive flag:
 * a writer cannot make a destructive action skip its confirmation.
 */
export const createRunbookAttacher = (deps: RunbookAttacherDeps) => ({
  async attach(incidentId: string): Promise<Runbook | undefined> {
    const incident = deps.incidents.get(incidentId);
    if (!incident || deps.incidents.steps(incidentId).length > 0) return undefined;
    const evidence = evidenceOf(incident.evidence, incident.openedAt);
    const request: RunbookRequest = {
      incident: runbookIncidentOf(incident),
      evidence,
      actions: actionSpecs(deps.catalog),
      tenant: { domain: deps.tenantDomain },
    };
    try {
      const runbook = await deps.chain.write(request, { incident, evidence });
      const steps: NewIncidentStep[] = runbook.steps.map((step, i) =>
        step.kind === 'guidance'
          ? { stepId: `s${i + 1}`, kind: 'guidance', title: step.title, body: step.body }
          : {
              stepId: `s${i + 1}`,
              kind: 'action',
              title: step.title,
              body: step.body,
              action: step.action,
              params: step.params,
              destructive: deps.catalog.get(step.action)?.destructive ?? true,
            },
      );
      await deps.service.serialize(async (cards) => {
        const at = deps.now().toISOString();
        // setSteps writes the timeline row; it refuses once any step has started.
        const set = deps.incidents.setSteps(incidentId, steps, at);
        if (!set.ok) return;
        deps.incidents.update(incidentId, { at, runbookProvider: runbook.provider });
        await cards.refreshCard(incidentId);
      });
      deps.onAttached?.(incident, runbook);
      return runbook;
    } catch (error) {
      deps.onError?.(error);
      return undefined;
    }
  },
});
