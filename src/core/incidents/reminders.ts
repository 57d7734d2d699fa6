import type { AuditLog } from '../audit/ports.js';
import type { IncidentStore } from './model.js';
import type { IncidentService } from './incident-service.js';
import type { QuietState } from './quiet.js';

export interface RemindersDeps {
  readonly incidents: IncidentStore;
  readonly service: IncidentService;
  readonly audit: AuditLog;
  readonly escalationGroup: string | undefined;
  /** Re-notify an unacknowledged incident every this many minutes. */
  readonly remindEveryMinutes: number;
  /** From this age on, reminders mention the escalation group and the incident is escalated once. */
  readonly escalateAfterMinutes: number;
  readonly now: () => Date;
  /**
   * Snoozed or in a maintenance window: the reminder is recorded in the timeline (so the count
   * stays in step and waking does not fire the missed ones at once) but posts nothing and
   * escalates nobody.
   */
  readonly quiet?: Pick<QuietState, 'isQuiet'>;
}

/**
 * Reminders for unacknowledged medium and high incidents. How many were sent is read from the
 * incident's timeline, so a restart neither repeats nor skips one.
 */
export const createReminders = (deps: RemindersDeps) => ({
  async run(): Promise<number> {
    let sent = 0;
    const now = deps.now();
    for (const incident of deps.incidents.listOpen()) {
      if (incident.state !== 'open' || (incident.severity !== 'high' && incident.severity !== 'medium'))
        continue;
      const minutes = Math.floor((now.getTime() - Date.parse(incident.openedAt)) / 60_000);
      const already = deps.incidents.timeline(incident.id).filter((e) => e.kind === 'reminder').length;
      if (minutes < (already + 1) * deps.remindEveryMinutes) continue;
      const at = now.toISOString();
      if (deps.quiet?.isQuiet(incident) === true) {
        deps.incidents.appendEvent(incident.id, {
          at,
          kind: 'reminder',
          actor: 'system',
          detail: { minutes, escalate: false, quiet: true },
        });
        continue;
      }
      const escalate = minutes >= deps.escalateAfterMinutes && deps.escalationGroup !== undefined;
      // The reminder's timeline row (what the count above reads), the escalation and the line
      // commit together: a crash between them neither repeats nor loses the reminder.
      await deps.service.serialize(async (cards) => {
        const escalated = cards.transaction(() => {
          deps.incidents.appendEvent(incident.id, {
            at,
            kind: 'reminder',
            actor: 'system',
            detail: { minutes, escalate },
          });
          const current =
            escalate && incident.escalatedAt === null
              ? deps.incidents.escalate(incident.id, 'system', at)
              : undefined;
          if (current?.ok) {
            deps.audit.append({
              at,
              actor: 'system',
              action: 'incident.escalate',
              outcome: 'success',
              incidentId: incident.id,
              summary: `unacknowledged after ${minutes} min`,
            });
          }
          cards.enqueueThread(incident, {
            kind: 'reminder',
            minutes,
            group: escalate ? deps.escalationGroup : undefined,
          });
          return current?.ok === true;
        });
        await cards.deliver();
        if (escalated) await cards.refreshCard(incident.id);
      });
      sent += 1;
    }
    return sent;
  },
});
