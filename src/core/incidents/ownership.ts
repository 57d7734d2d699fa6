import type { AuditLog } from '../audit/ports.js';
import type { IncidentService } from './incident-service.js';
import type { Incident, IncidentStore } from './model.js';
import { noteText } from './note-text.js';
import { isUserId, onCallTarget, parseGroup, type PageTarget } from './paging.js';

export interface OwnershipDeps {
  readonly incidents: IncidentStore;
  readonly audit: AuditLog;
  readonly service: IncidentService;
  /** SLACK_ESCALATION_GROUP: paged when an escalation names nobody. */
  readonly escalationGroup: string | undefined;
  /** SLACK_OPERATORS: paged by name when there is no group. */
  readonly operators: readonly string[];
  readonly now: () => Date;
}

export type OwnershipResult =
  | { readonly ok: true; readonly incident: Incident }
  | { readonly ok: false; readonly reason: 'not_found' }
  | { readonly ok: false; readonly reason: 'invalid'; readonly why: string }
  | {
      readonly ok: false;
      readonly reason:
        | 'already_resolved'
        | 'not_acknowledged'
        | 'already_owner'
        | 'already_escalated'
        | 'already_acknowledged';
      readonly incident: Incident;
    };

/** What the escalation modal names; all optional (nobody named pages the on-call group). */
export interface EscalationRequest {
  readonly user?: string | undefined;
  readonly group?: string | undefined;
  readonly note?: string | undefined;
}

const ESCALATION_NOTE_MAX = 500;

/**
 * Taking over an incident and escalating it to someone. Both are open to anyone in the channel, as
 * Acknowledge and Escalate are; every attempt is audited, accepted, refused or duplicate, and the
 * change, its audit row and its thread line commit together.
 */
export const createOwnership = (deps: OwnershipDeps) => {
  const targetOf = (request: EscalationRequest): PageTarget | string | undefined => {
    const user = request.user?.trim() ?? '';
    const group = request.group?.trim() ?? '';
    if (user !== '' && group !== '') return 'Name a person or a group, not both.';
    if (user !== '') return isUserId(user) ? { kind: 'user', id: user } : 'That is not a Slack user.';
    if (group !== '') {
      const id = parseGroup(group);
      return id === undefined
        ? 'Give the group as its ID (S…) or paste its mention (<!subteam^S…>).'
        : { kind: 'group', id };
    }
    return onCallTarget(deps.escalationGroup, deps.operators);
  };

  return {
    /** Why the modal's answer names nobody valid (shown on the form); undefined when it is fine. */
    checkTarget(request: EscalationRequest): string | undefined {
      const target = targetOf(request);
      return typeof target === 'string' ? target : undefined;
    },

    async takeOver(incidentId: string, user: string): Promise<OwnershipResult> {
      const at = deps.now().toISOString();
      return deps.service.serialize(async (cards) => {
        const r = cards.transaction(() => {
          const changed = deps.incidents.takeOver(incidentId, user, at);
          deps.audit.append({
            at,
            actor: user,
            action: 'incident.takeover',
            outcome: changed.ok ? 'success' : changed.reason === 'already_owner' ? 'duplicate' : 'denied',
            incidentId,
            summary: changed.ok ? `took over from ${changed.previous ?? 'nobody'}` : changed.reason,
          });
          if (changed.ok)
            cards.enqueueThread(changed.incident, { kind: 'took_over', by: user, from: changed.previous });
          return changed;
        });
        if (r.ok) {
          await cards.deliver();
          await cards.refreshCard(incidentId);
        }
        return r;
      });
    },

    async escalate(incidentId: string, user: string, request: EscalationRequest): Promise<OwnershipResult> {
      const at = deps.now().toISOString();
      const audit = (outcome: 'success' | 'denied' | 'duplicate', summary: string, detail = {}) =>
        deps.audit.append({
          at,
          actor: user,
          action: 'incident.escalate',
          outcome,
          incidentId,
          summary,
          detail,
        });
      const target = targetOf(request);
      if (typeof target === 'string') {
        audit('denied', `invalid target: ${target}`);
        return { ok: false, reason: 'invalid', why: target };
      }
      const note = noteText(request.note ?? '', ESCALATION_NOTE_MAX);
      return deps.service.serialize(async (cards) => {
        const r = cards.transaction(() => {
          const changed = deps.incidents.escalate(incidentId, user, at);
          if (!changed.ok) {
            audit(changed.reason === 'not_found' ? 'denied' : 'duplicate', changed.reason);
            return changed;
          }
          audit('success', `escalate by ${user}`, { target: target ?? null, noteChars: note.length });
          if (note !== '')
            deps.incidents.appendEvent(incidentId, {
              at,
              kind: 'note',
              actor: user,
              detail: { text: note, source: 'escalation' },
            });
          cards.enqueueThread(changed.incident, {
            kind: 'paged',
            by: user,
            target,
            note: note === '' ? undefined : note,
          });
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

export type Ownership = ReturnType<typeof createOwnership>;
