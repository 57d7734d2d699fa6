import type { AuditLog } from '../audit/ports.js';
import type { Incident, IncidentStore } from './model.js';
import type { IncidentService } from './incident-service.js';
import { snoozeEnd, type SnoozeOption, type SnoozeStore } from './quiet.js';

export type SnoozeResult =
  | { readonly ok: true; readonly incident: Incident; readonly until: string | undefined }
  | { readonly ok: false; readonly reason: 'not_found' }
  | { readonly ok: false; readonly reason: 'already_resolved' | 'not_snoozed'; readonly incident: Incident };

export interface SnoozeActionsDeps {
  readonly incidents: Pick<IncidentStore, 'get' | 'listOpen'>;
  readonly snoozes: SnoozeStore;
  readonly audit: AuditLog;
  readonly service: Pick<IncidentService, 'serialize'>;
  /** SLACK_TIME_ZONE, when configured: the workspace's zone for "tomorrow 09:00". */
  readonly timeZone: string | undefined;
  /** The clicking user's zone (Slack users.info `tz`); undefined when unknown. */
  readonly timeZoneOf: (userId: string) => Promise<string | undefined>;
  readonly now: () => Date;
}

/**
 * Snooze, wake, and the end of snoozes. Anyone in the channel may snooze or wake a card (like
 * Acknowledge): it changes nothing in the tenant, it is audited and shown on the card with who did
 * it, and a rise in severity wakes it. Each change, its audit row and its thread line commit together.
 */
export const createSnoozeActions = (deps: SnoozeActionsDeps) => {
  const zoneFor = async (user: string): Promise<string> => {
    if (deps.timeZone !== undefined) return deps.timeZone;
    try {
      return (await deps.timeZoneOf(user)) ?? 'UTC';
    } catch {
      // users.info failing must not block a snooze: UTC is a stated fallback, not a guess.
      return 'UTC';
    }
  };

  const run = async (option: SnoozeOption, incidentId: string, user: string): Promise<SnoozeResult> => {
    const zone = option === 'tomorrow' ? await zoneFor(user) : 'UTC';
    return deps.service.serialize(async (cards) => {
      const now = deps.now();
      const at = now.toISOString();
      const action = option === 'wake' ? 'incident.wake' : 'incident.snooze';
      const audit = (outcome: 'success' | 'denied' | 'duplicate', summary: string, detail = {}) =>
        deps.audit.append({ at, actor: user, action, outcome, incidentId, summary, detail });
      const result = cards.transaction((): SnoozeResult => {
        const incident = deps.incidents.get(incidentId);
        if (!incident) {
          audit('denied', 'no such incident');
          return { ok: false, reason: 'not_found' };
        }
        if (incident.state === 'resolved') {
          audit('denied', 'already resolved');
          return { ok: false, reason: 'already_resolved', incident };
        }
        if (option === 'wake') {
          const ended = deps.snoozes.clearSnooze(incidentId, at);
          if (!ended) {
            audit('duplicate', 'not snoozed');
            return { ok: false, reason: 'not_snoozed', incident };
          }
          audit('success', `woken by ${user}`, { was: ended.until });
          cards.enqueueThread(incident, { kind: 'snooze_ended', why: 'woken', by: user });
          return { ok: true, incident, until: undefined };
        }
        const until = snoozeEnd(option, now, zone).toISOString();
        deps.snoozes.setSnooze({ incidentId, until, by: user }, at);
        audit('success', `snoozed until ${until}`, { option, until, timeZone: zone });
        cards.enqueueThread(incident, { kind: 'snoozed', by: user, until });
        return { ok: true, incident, until };
      });
      if (result.ok) {
        await cards.deliver();
        await cards.refreshCard(incidentId);
      }
      return result;
    });
  };

  /** The snooze-expiry job: wakes every snooze whose end has come; returns how many. */
  const wakeLapsed = async (): Promise<number> => {
    let woken = 0;
    for (const lapsed of deps.snoozes.lapsedSnoozes(deps.now().toISOString())) {
      const done = await deps.service.serialize(async (cards) => {
        const at = deps.now().toISOString();
        const ended = cards.transaction(() => {
          const incident = deps.incidents.get(lapsed.incidentId);
          const cleared = deps.snoozes.clearSnooze(lapsed.incidentId, at);
          if (!incident || !cleared) return false;
          deps.audit.append({
            at,
            actor: 'system',
            action: 'incident.wake',
            outcome: 'success',
            incidentId: incident.id,
            summary: `snooze by ${cleared.by} ended`,
            detail: { until: cleared.until },
          });
          cards.enqueueThread(incident, { kind: 'snooze_ended', why: 'expired', by: cleared.by });
          return true;
        });
        if (ended) {
          await cards.deliver();
          await cards.refreshCard(lapsed.incidentId);
        }
        return ended;
      });
      if (done) woken += 1;
    }
    return woken;
  };

  return { run, wakeLapsed };
};

export type SnoozeActions = ReturnType<typeof createSnoozeActions>;
