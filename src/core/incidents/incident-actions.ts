import type { AuditLog } from '../audit/ports.js';
import type { Incident, IncidentStore } from './model.js';
import type { IncidentService } from './incident-service.js';
import type { OperatorDirectory, ThreadLine } from './ports.js';

export type IncidentAction = 'ack' | 'escalate' | 'resolve';

export type IncidentActionResult =
  | { readonly ok: true; readonly incident: Incident }
  | { readonly ok: false; readonly reason: 'not_found' }
  | { readonly ok: false; readonly reason: 'denied'; readonly why: string }
  | {
      readonly ok: false;
      readonly reason: 'already_acknowledged' | 'already_escalated' | 'already_resolved';
      readonly incident: Incident;
    };

export interface IncidentActionsDeps {
  readonly incidents: IncidentStore;
  readonly audit: AuditLog;
  readonly operators: OperatorDirectory;
  readonly service: IncidentService;
  readonly escalationGroup: string | undefined;
  readonly now: () => Date;
}

const auditAction = {
  ack: 'incident.ack',
  escalate: 'incident.escalate',
  resolve: 'incident.resolve',
} as const;

/**
 * Acknowledge and Escalate are open to anyone in the channel; Resolve is for operators, checked
 * on the click itself. Every click is audited, including denied and duplicate ones.
 */
export const createIncidentActions = (deps: IncidentActionsDeps) => {
  const transition = (action: IncidentAction, id: string, user: string, at: string) => {
    if (action === 'ack') return deps.incidents.acknowledge(id, user, at);
    if (action === 'escalate') return deps.incidents.escalate(id, user, at);
    return deps.incidents.resolve(id, user, at, 'manual');
  };
  const lineFor = (action: IncidentAction, user: string): ThreadLine =>
    action === 'ack'
      ? { kind: 'acknowledged', by: user }
      : action === 'escalate'
        ? { kind: 'escalated', by: user, group: deps.escalationGroup }
        : { kind: 'resolved', by: user };

  return {
    async run(action: IncidentAction, incidentId: string, user: string): Promise<IncidentActionResult> {
      const at = deps.now().toISOString();
      const audit = (outcome: 'success' | 'denied' | 'duplicate', summary: string) =>
        deps.audit.append({ at, actor: user, action: auditAction[action], outcome, incidentId, summary });
      if (action === 'resolve' && !(await deps.operators.isOperator(user))) {
        audit('denied', 'not an operator');
        return {
          ok: false,
          reason: 'denied',
          why: 'Only operators can resolve an incident. Acknowledge or escalate it instead.',
        };
      }
      // Audited as soon as the transition is decided, before Slack is asked to show it: a slow or
      // failing post never delays or loses the record.
      // The transition, its audit row and its thread line commit together (the outbox delivers it).
      return deps.service.serialize(async (cards) => {
        const r = cards.transaction(() => {
          const changed = transition(action, incidentId, user, at);
          audit(
            changed.ok ? 'success' : changed.reason === 'not_found' ? 'denied' : 'duplicate',
            changed.ok ? `${action} by ${user}` : changed.reason,
          );
          if (changed.ok) cards.enqueueThread(changed.incident, lineFor(action, user));
          if (changed.ok && action === 'resolve') cards.enqueueSummary(changed.incident);
          return changed;
        });
        if (r.ok) {
          await cards.deliver();
          await cards.refreshCard(incidentId);
        }
        return r;
      });
    },
  };
};

export type IncidentActions = ReturnType<typeof createIncidentActions>;
