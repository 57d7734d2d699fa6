import { randomBytes } from 'node:crypto';
import { createSnoozeActions } from '../core/incidents/snooze.js';
import {
  createMaintenanceService,
  type MaintenanceService,
} from '../core/maintenance/maintenance-service.js';
import { windowCovers, type MaintenanceWindow } from '../core/maintenance/model.js';
import type { IntervalJob } from '../jobs/job.js';
import type { CommandReply } from '../slack/blocks/help-blocks.js';
import {
  maintenanceEndedReply,
  maintenanceListReply,
  maintenanceOpenedReply,
  maintenanceProblemReply,
} from '../slack/blocks/quiet-blocks.js';
import type { MaintenanceAction } from '../slack/command-parser.js';
import { registerQuietListeners } from '../slack/quiet-listeners.js';
import { userTimeZone } from '../slack/user-time-zone.js';
import type { Incidents } from './incidents.js';
import type { Platform } from './platform.js';
import type { Listeners } from '../slack/listener-table.js';

export interface Quiet {
  readonly maintenance: MaintenanceService;
  readonly jobs: readonly IntervalJob[];
  readonly register: (app: Listeners) => void;
  /** `/auth0 maintenance …`. */
  readonly command: (user: string, action: MaintenanceAction) => Promise<CommandReply>;
}

const newWindowId = () => `mw_${randomBytes(4).toString('hex')}`;

/**
 * Snooze and maintenance windows (docs/decisions/0015-snooze-and-maintenance-windows.md): the
 * card's snooze menu, `/auth0 maintenance`, the Home's End buttons, the expiry job, and the
 * windows the bot's own scheduled rotations open for their client.
 */
export const wireQuiet = (
  platform: Platform,
  deps: {
    readonly incidents: Pick<Incidents, 'service' | 'chat' | 'operators' | 'clientName'>;
    /** Publishes a user's Home again. */
    readonly refreshHome: (userId: string) => Promise<void>;
    /** How long a planned rotation is expected to take, in minutes. */
    readonly rotationMinutes: number;
  },
): Quiet => {
  const { config, logger, now, stores, bus } = platform;
  const snooze = createSnoozeActions({
    incidents: stores.incidents,
    snoozes: stores.quiet,
    audit: stores.audit,
    service: deps.incidents.service,
    timeZone: config.slack.timeZone,
    timeZoneOf: (user) => userTimeZone(platform.slackClient, user),
    now,
  });
  // A window opened or ended: the cards it covers gain or lose their marker, the Home its line.
  const refreshCovered = async (window: MaintenanceWindow) => {
    for (const incident of stores.incidents.listOpen())
      if (windowCovers(window, incident.scope, deps.incidents.clientName))
        await deps.incidents.service.refreshCard(incident.id);
    bus.publish({ type: 'incident_changed' });
  };
  const maintenance = createMaintenanceService({
    store: stores.quiet,
    operators: deps.incidents.operators,
    audit: stores.audit,
    newId: newWindowId,
    now,
    changed: refreshCovered,
  });

  // Only scheduled rotations are planned work: one run from a runbook step answers an incident,
  // which must stay loud. The window closes when the rotation finishes, whatever its result,
  // before the failure incident (if any) is opened by the rotation wiring's own listener.
  bus.subscribe('rotation_started', (e) =>
    e.trigger === 'schedule'
      ? maintenance.rotationStarted(e.target.clientId, deps.rotationMinutes)
      : undefined,
  );
  bus.subscribe('rotation_finished', (e) => {
    if (e.trigger !== 'schedule') return undefined;
    const ended = maintenance.rotationFinished(e.target.clientId);
    return Promise.all(ended.map((w) => maintenance.notify(w)));
  });

  const command = async (user: string, action: MaintenanceAction): Promise<CommandReply> => {
    if (action.kind === 'list') return maintenanceListReply(maintenance.active());
    if (action.kind === 'open') {
      const opened = await maintenance.open(user, action.request);
      return opened.ok ? maintenanceOpenedReply(opened.window) : maintenanceProblemReply(opened.why);
    }
    const ended = await maintenance.end(user, action.id);
    if (ended.ok) return maintenanceEndedReply(ended.window);
    if (ended.reason === 'denied') return maintenanceProblemReply(ended.why);
    return maintenanceProblemReply(
      ended.reason === 'not_found'
        ? `There is no maintenance window \`${action.id}\`. \`/auth0 maintenance\` lists the open ones.`
        : `Maintenance window \`${action.id}\` has already ended.`,
    );
  };

  return {
    maintenance,
    command,
    jobs: [
      {
        name: 'incidents.quiet',
        everyMs: 60_000,
        runAtStart: true,
        run: async () => {
          await snooze.wakeLapsed();
          await maintenance.expire();
        },
      },
    ],
    register: (app) => {
      registerQuietListeners(app, {
        snooze,
        maintenance,
        chat: deps.incidents.chat,
        audit: stores.audit,
        refreshHome: deps.refreshHome,
        now,
        onError: (err) => {
          logger.warn({ event: 'quiet.reply_failed', err }, 'could not answer a snooze or maintenance click');
        },
      });
    },
  };
};
