import type { AuditLog } from '../audit/ports.js';
import type { Incident, IncidentStore } from './model.js';
import type { IncidentService } from './incident-service.js';
import { onCallTarget } from './paging.js';
import type { QuietState } from './quiet.js';

export interface RemindersDeps {
  readonly incidents: IncidentStore;
  readonly service: IncidentService;
  readonly audit: AuditLog;
  readonly escalationGroup: string | undefined;
  /** SLACK_OPERATORS: mentioned by name in reminders when there is no escalation group. */
  readonly operators?: readonly string[];
  /** Re-notify an unacknowledged incident every this many minutes. */
  readonly remindEveryMinutes: number;
  /** From this age on, the incident is escalated once (to the escalation group, when configured). */
  readonly escalateAfterMinutes: number;
  /** Remind the owner of an acknowledged high incident every this many minutes; off when absent. */
  readonly ownerRemindEveryMinutes?: number;
  readonly now: () => Date;
  /**
   * Snoozed or in a maintenance window: the reminder is recorded in the timeline (so the count
   * stays in step and waking does not fire the missed ones at once) but posts nothing and
   * escalates nobody.
   */
  readonly quiet?: Pick<QuietState, 'isQuiet'>;
}

const minutesSince = (now: Date, iso: string) => Math.floor((now.getTime() - Date.parse(iso)) / 60_000);

/**
 * Reminders for unacknowledged medium and high incidents, mentioning the on-call group (else each
 * operator), and gentler ones for the owner of an acknowledged incident that is still high
 * (docs/on-call.md). How many were sent is read from the incident's timeline, so a restart
 * neither repeats nor skips one.
 */
export const createReminders = (deps: RemindersDeps) => {
  const target = onCallTarget(deps.escalationGroup, deps.operators ?? []);

  const remindUnacknowledged = async (incident: Incident, now: Date): Promise<boolean> => {
    const minutes = minutesSince(now, incident.openedAt);
    const already = deps.incidents
      .timeline(incident.id)
      .filter((e) => e.kind === 'reminder' && e.detail.owner !== true).length;
    if (minutes < (already + 1) * deps.remindEveryMinutes) return false;
    if (deps.quiet?.isQuiet(incident) === true) {
      deps.incidents.appendEvent(incident.id, {
        at: now.toISOString(),
        kind: 'reminder',
        actor: 'system',
        detail: { minutes, escalate: false, quiet: true },
      });
      return false;
    }
    const escalate = minutes >= deps.escalateAfterMinutes && deps.escalationGroup !== undefined;
    const at = now.toISOString();
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
          group: target?.kind === 'group' ? target.id : undefined,
          ...(target?.kind === 'operators' ? { operators: target.ids } : {}),
        });
        return current?.ok === true;
      });
      await cards.deliver();
      if (escalated) await cards.refreshCard(incident.id);
    });
    return true;
  };

  const remindOwner = async (incident: Incident, every: number, now: Date): Promise<boolean> => {
    if (incident.owner === null || incident.acknowledgedAt === null) return false;
    const minutes = minutesSince(now, incident.acknowledgedAt);
    const already = deps.incidents
      .timeline(incident.id)
      .filter((e) => e.kind === 'reminder' && e.detail.owner === true).length;
    if (minutes < (already + 1) * every) return false;
    if (deps.quiet?.isQuiet(incident) === true) {
      deps.incidents.appendEvent(incident.id, {
        at: now.toISOString(),
        kind: 'reminder',
        actor: 'system',
        detail: { minutes, owner: true, quiet: true },
      });
      return false;
    }
    const owner = incident.owner;
    const at = now.toISOString();
    await deps.service.serialize(async (cards) => {
      cards.transaction(() => {
        deps.incidents.appendEvent(incident.id, {
          at,
          kind: 'reminder',
          actor: 'system',
          detail: { minutes, owner: true },
        });
        cards.enqueueThread(incident, { kind: 'owner_reminder', owner, minutes });
      });
      await cards.deliver();
    });
    return true;
  };

  return {
    async run(): Promise<number> {
      let sent = 0;
      const now = deps.now();
      for (const incident of deps.incidents.listOpen()) {
        const urgent = incident.severity === 'high' || incident.severity === 'medium';
        let reminded = false;
        if (incident.state === 'open' && urgent) reminded = await remindUnacknowledged(incident, now);
        else if (
          incident.state === 'acknowledged' &&
          incident.severity === 'high' &&
          deps.ownerRemindEveryMinutes !== undefined
        )
          reminded = await remindOwner(incident, deps.ownerRemindEveryMinutes, now);
        if (reminded) sent += 1;
      }
      return sent;
    },
  };
};
