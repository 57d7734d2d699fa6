import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { AuditLog } from '../core/audit/ports.js';
import type { Incident } from '../core/incidents/model.js';
import type {
  IncidentActionResult,
  IncidentActions,
  IncidentAction,
} from '../core/incidents/incident-actions.js';
import type { IncidentChat } from '../core/incidents/ports.js';
import type { IncidentStore } from '../core/incidents/model.js';
import { runbookModal } from './blocks/runbook-modal.js';
import type { Listeners } from './listener-table.js';

// Incident IDs are 1–64 characters without ':' (see core/incident.ts); anything else is forged.
const INCIDENT_ACTION = /^incident:(ack|escalate|resolve|runbook):([A-Za-z0-9_-]{1,64})$/;

export interface IncidentListenerDeps {
  readonly actions: IncidentActions;
  readonly chat: IncidentChat;
  readonly audit: AuditLog;
  /** Read-only: the *Full runbook* button shows an incident's steps whole. */
  readonly incidents: Pick<IncidentStore, 'get' | 'steps'>;
  /** *Escalate* opens it to name a person or group (incident-owner-listeners.ts submits it). */
  readonly escalationModal: (incident: Incident) => ModalView;
  readonly now: () => Date;
  readonly onError: (error: unknown) => void;
}

const who = (user: string | null) => (user === null || user === 'system' ? 'auth0-oncall' : `<@${user}>`);
const when = (iso: string | null) =>
  iso ? `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} {time}|${iso}>` : 'earlier';

const explain = (result: Exclude<IncidentActionResult, { ok: true }>): string => {
  switch (result.reason) {
    case 'denied':
      return `:no_entry: ${result.why}`;
    case 'not_found':
      return ':grey_question: This incident no longer exists.';
    default:
      return already(result.reason, result.incident);
  }
};

const already = (
  reason: 'already_acknowledged' | 'already_escalated' | 'already_resolved',
  i: Incident,
): string => {
  if (reason === 'already_acknowledged')
    return `Already acknowledged by ${who(i.acknowledgedBy)} ${when(i.acknowledgedAt)}.`;
  if (reason === 'already_escalated')
    return `Already escalated by ${who(i.escalatedBy)} ${when(i.escalatedAt)}.`;
  return i.resolution === 'auto'
    ? `Already auto-resolved ${when(i.resolvedAt)}.`
    : `Already resolved by ${who(i.resolvedBy)} ${when(i.resolvedAt)}.`;
};

/**
 * Acknowledge / Escalate / Resolve buttons. Thin: ack within Slack's 3 s first, then the use case,
 * which checks authorization on the click; refusals are explained to the clicker alone.
 */
export const registerIncidentListeners = (app: Listeners, deps: IncidentListenerDeps): void => {
  app.action<BlockAction<ButtonAction>>(/^incident:/, async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const channel = body.channel?.id;
    const tell = async (text: string) => {
      if (channel) await deps.chat.ephemeral(channel, user, { text }).catch(deps.onError);
    };
    const match = INCIDENT_ACTION.exec(action.action_id);
    if (!match?.[1] || !match[2]) {
      deps.audit.append({
        at: deps.now().toISOString(),
        actor: user,
        action: 'incident.click',
        outcome: 'denied',
        summary: 'malformed action_id',
        detail: { actionId: action.action_id.slice(0, 300) },
      });
      await tell(':no_entry: That button is not valid.');
      return;
    }
    if (match[1] === 'runbook') {
      // Reading, not acting: anyone in the channel may, and nothing is changed or audited.
      const incident = deps.incidents.get(match[2]);
      if (!incident) {
        await tell(':grey_question: This incident no longer exists.');
        return;
      }
      const view = runbookModal(incident, deps.incidents.steps(incident.id));
      await client.views.open({ trigger_id: body.trigger_id, view }).catch(deps.onError);
      return;
    }
    if (match[1] === 'escalate') {
      // Nothing changes until the modal is submitted; a stale card is told at once.
      const incident = deps.incidents.get(match[2]);
      if (!incident) await tell(':grey_question: This incident no longer exists.');
      else if (incident.state === 'resolved') await tell(already('already_resolved', incident));
      else if (incident.escalatedAt !== null) await tell(already('already_escalated', incident));
      else
        await client.views
          .open({ trigger_id: body.trigger_id, view: deps.escalationModal(incident) })
          .catch(deps.onError);
      return;
    }
    const result = await deps.actions.run(match[1] as IncidentAction, match[2], user);
    if (!result.ok) await tell(explain(result));
  });
};
