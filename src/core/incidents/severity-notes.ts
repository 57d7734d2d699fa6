import type { AuditLog } from '../audit/ports.js';
import type { IncidentService } from './incident-service.js';
import type { Incident, IncidentStore, Severity } from './model.js';
import { noteText } from './note-text.js';
import type { OperatorDirectory } from './ports.js';

export interface SeverityNotesDeps {
  readonly incidents: IncidentStore;
  readonly audit: AuditLog;
  readonly operators: OperatorDirectory;
  readonly service: IncidentService;
  readonly now: () => Date;
}

export type NoteSource = 'modal' | 'command' | 'thread';

export type SeverityNotesResult =
  | { readonly ok: true; readonly incident: Incident }
  | { readonly ok: false; readonly reason: 'not_found' | 'empty' }
  | { readonly ok: false; readonly reason: 'denied'; readonly why: string }
  | {
      readonly ok: false;
      readonly reason: 'already_resolved' | 'unchanged' | 'duplicate';
      readonly incident: Incident;
    };

const REASON_MAX = 300;
const DENIED = 'Only operators can change the severity. Add a note instead, or ask an operator.';

/**
 * Severity by hand (operators only, checked on the click and again on the submission) and notes
 * (anyone). Each change, its audit row, its timeline row and its thread line commit together.
 * The audit log keeps a note's length, not its text: the timeline and the thread hold the text.
 */
export const createSeverityNotes = (deps: SeverityNotesDeps) => {
  const denySeverity = (incidentId: string, user: string, at: string): SeverityNotesResult => {
    deps.audit.append({
      at,
      actor: user,
      action: 'incident.severity',
      outcome: 'denied',
      incidentId,
      summary: 'not an operator',
    });
    return { ok: false, reason: 'denied', why: DENIED };
  };

  return {
    /** Before the modal opens: a non-operator is refused (and audited) on the click itself. */
    async mayChangeSeverity(incidentId: string, user: string): Promise<SeverityNotesResult | undefined> {
      if (await deps.operators.isOperator(user)) return undefined;
      return denySeverity(incidentId, user, deps.now().toISOString());
    },

    async setSeverity(
      incidentId: string,
      user: string,
      severity: Severity,
      reason?: string,
    ): Promise<SeverityNotesResult> {
      const at = deps.now().toISOString();
      if (!(await deps.operators.isOperator(user))) return denySeverity(incidentId, user, at);
      const why = noteText(reason ?? '', REASON_MAX);
      return deps.service.serialize(async (cards) => {
        const r = cards.transaction(() => {
          const changed = deps.incidents.setSeverity(incidentId, severity, user, at, why || undefined);
          deps.audit.append({
            at,
            actor: user,
            action: 'incident.severity',
            outcome: changed.ok ? 'success' : changed.reason === 'unchanged' ? 'duplicate' : 'denied',
            incidentId,
            summary: changed.ok ? `${changed.from} → ${severity}` : changed.reason,
            ...(changed.ok ? { detail: { from: changed.from, to: severity, reasonChars: why.length } } : {}),
          });
          if (changed.ok)
            cards.enqueueThread(changed.incident, {
              kind: 'severity_set',
              by: user,
              from: changed.from,
              to: severity,
              reason: why || undefined,
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

    /** `key`: what makes a retried delivery of the same note a duplicate (a modal's view ID). */
    async addNote(
      incidentId: string,
      user: string,
      raw: string,
      source: NoteSource,
      key?: string,
    ): Promise<SeverityNotesResult> {
      const at = deps.now().toISOString();
      const text = noteText(raw);
      const audit = (outcome: 'success' | 'denied' | 'duplicate', summary: string, chars = text.length) =>
        deps.audit.append({
          at,
          actor: user,
          action: 'incident.note',
          outcome,
          incidentId,
          summary,
          detail: { source, chars },
        });
      return deps.service.serialize(async (cards) => {
        const r = cards.transaction((): SeverityNotesResult => {
          const incident = deps.incidents.get(incidentId);
          if (!incident) {
            audit('denied', 'not_found');
            return { ok: false, reason: 'not_found' };
          }
          if (text === '') {
            audit('denied', 'empty note');
            return { ok: false, reason: 'empty' };
          }
          const seen =
            key !== undefined &&
            deps.incidents.timeline(incidentId).some((e) => e.kind === 'note' && e.detail.key === key);
          if (seen) {
            audit('duplicate', 'note already added');
            return { ok: false, reason: 'duplicate', incident };
          }
          const event = deps.incidents.appendEvent(incidentId, {
            at,
            kind: 'note',
            actor: user,
            detail: { text, source, ...(key === undefined ? {} : { key }) },
          });
          audit('success', `note (${text.length} characters)`);
          if (event) cards.enqueueThread(incident, { kind: 'note', by: user, text, eventId: event.id });
          return { ok: true, incident };
        });
        if (r.ok) await cards.deliver();
        return r;
      });
    },
  };
};

export type SeverityNotes = ReturnType<typeof createSeverityNotes>;
