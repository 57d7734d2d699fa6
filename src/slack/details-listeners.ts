import type { BlockAction } from '@slack/bolt';
import type { AuditLog } from '../core/audit/ports.js';
import { evidenceOf } from '../core/incidents/evidence-codec.js';
import type { IncidentStore } from '../core/incidents/model.js';
import type { IncidentChat } from '../core/incidents/ports.js';
import { auth0LogsUrl, logSearchQuery, type DashboardTenant } from '../core/tenant/dashboard-link.js';
import { detailsModal } from './blocks/details-modal.js';
import type { Listeners } from './listener-table.js';

// Incident IDs are 1–64 characters without ':' (see core/incident.ts); anything else is forged.
const DETAILS = /^incident-details:([A-Za-z0-9_-]{1,64})$/;
const LINK = /^incident-link:([A-Za-z0-9_-]{1,64})$/;

export interface DetailsListenerDeps {
  /** Read-only: the modal shows an incident's evidence and steps. */
  readonly incidents: Pick<IncidentStore, 'get' | 'steps'>;
  readonly chat: IncidentChat;
  readonly audit: AuditLog;
  /** The tenant in the Auth0 Dashboard, when its domain names one (dashboard-link.ts). */
  readonly dashboard: DashboardTenant | undefined;
  readonly now: () => Date;
  readonly onError: (error: unknown) => void;
}

/**
 * The card's *Details* button (a modal with the whole evidence and runbook) and its *Open in
 * Auth0 logs* link, whose click Slack sends too and must be acknowledged. Both only read: a valid
 * click changes nothing and is not audited; a malformed or forged one is refused and audited.
 */
export const registerDetailsListeners = (app: Listeners, deps: DetailsListenerDeps): void => {
  const refuse = async (body: BlockAction, actionId: string) => {
    deps.audit.append({
      at: deps.now().toISOString(),
      actor: body.user.id,
      action: 'incident.details',
      outcome: 'denied',
      summary: 'malformed action_id',
      detail: { actionId: actionId.slice(0, 300) },
    });
    const channel = body.channel?.id;
    if (channel)
      await deps.chat
        .ephemeral(channel, body.user.id, { text: ':no_entry: That button is not valid.' })
        .catch(deps.onError);
  };

  app.action(/^incident-link:/, async ({ ack, body, action }) => {
    await ack();
    if (!LINK.test(action.action_id)) await refuse(body, action.action_id);
  });

  app.action(/^incident-details:/, async ({ ack, body, action, client }) => {
    await ack();
    const id = DETAILS.exec(action.action_id)?.[1];
    if (id === undefined) {
      await refuse(body, action.action_id);
      return;
    }
    const incident = deps.incidents.get(id);
    if (!incident) {
      const channel = body.channel?.id;
      if (channel)
        await deps.chat
          .ephemeral(channel, body.user.id, { text: ':grey_question: This incident no longer exists.' })
          .catch(deps.onError);
      return;
    }
    const evidence = evidenceOf(incident.evidence, incident.openedAt);
    const logs =
      deps.dashboard === undefined
        ? undefined
        : {
            url: auth0LogsUrl(deps.dashboard, evidence.logQuery),
            query: evidence.logQuery === undefined ? '' : logSearchQuery(evidence.logQuery),
          };
    const view = detailsModal({ incident, evidence, steps: deps.incidents.steps(incident.id), logs });
    await client.views.open({ trigger_id: body.trigger_id, view }).catch(deps.onError);
  });
};
