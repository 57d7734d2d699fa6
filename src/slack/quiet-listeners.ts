import type { BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import type { AuditLog } from '../core/audit/ports.js';
import type { IncidentChat } from '../core/incidents/ports.js';
import { isSnoozeOption } from '../core/incidents/quiet.js';
import type { SnoozeActions, SnoozeResult } from '../core/incidents/snooze.js';
import type { EndWindowResult, MaintenanceService } from '../core/maintenance/maintenance-service.js';
import { END_WINDOW_ACTION_PREFIX, SNOOZE_ACTION_PREFIX } from './blocks/quiet-blocks.js';
import type { Listeners } from './listener-table.js';

// Incident and window IDs are 1–64 characters without ':'; anything else is forged.
const SNOOZE_ACTION = /^incident-snooze:([A-Za-z0-9_-]{1,64})$/;
const END_ACTION = /^maintenance:end:([A-Za-z0-9_-]{1,64})$/;

export interface QuietListenerDeps {
  readonly snooze: SnoozeActions;
  readonly maintenance: Pick<MaintenanceService, 'end'>;
  readonly chat: IncidentChat;
  readonly audit: AuditLog;
  /** Publishes the clicker's Home again (after End, or a refused End: the Home has no ephemerals). */
  readonly refreshHome: (userId: string) => Promise<void>;
  readonly now: () => Date;
  readonly onError: (error: unknown) => void;
}

const explainSnooze = (result: Exclude<SnoozeResult, { ok: true }>): string => {
  if (result.reason === 'not_found') return ':grey_question: This incident no longer exists.';
  if (result.reason === 'already_resolved')
    return 'This incident is already resolved: there is nothing to snooze.';
  return 'This incident is not snoozed.';
};

const explainEnd = (result: Exclude<EndWindowResult, { ok: true }>): string => {
  if (result.reason === 'denied') return `:no_entry: ${result.why}`;
  if (result.reason === 'not_found') return ':grey_question: There is no such maintenance window.';
  return 'That maintenance window has already ended.';
};

/**
 * The card's snooze menu (`incident-snooze:<id>`) and the Home's End button (`maintenance:end:<id>`).
 * Thin: ack first, validate, call the use case; a refusal is told to the clicker alone and a
 * forged or malformed payload is audited as denied and changes nothing.
 */
export const registerQuietListeners = (app: Listeners, deps: QuietListenerDeps): void => {
  const forged = (
    user: string,
    action: 'incident.snooze' | 'maintenance.end',
    actionId: string,
    why: string,
  ) =>
    deps.audit.append({
      at: deps.now().toISOString(),
      actor: user,
      action,
      outcome: 'denied',
      summary: why,
      detail: { actionId: actionId.slice(0, 300) },
    });

  app.action<BlockAction<StaticSelectAction | ButtonAction>>(
    new RegExp(`^${SNOOZE_ACTION_PREFIX}`),
    async ({ ack, body, action }) => {
      await ack();
      const user = body.user.id;
      const channel = body.channel?.id;
      const tell = async (text: string) => {
        if (channel) await deps.chat.ephemeral(channel, user, { text }).catch(deps.onError);
      };
      const match = SNOOZE_ACTION.exec(action.action_id);
      const value = action.type === 'static_select' ? action.selected_option.value : undefined;
      if (!match?.[1] || value === undefined || !isSnoozeOption(value)) {
        forged(
          user,
          'incident.snooze',
          action.action_id,
          match ? 'unknown snooze option' : 'malformed action_id',
        );
        await tell(':no_entry: That snooze choice is not valid.');
        return;
      }
      const result = await deps.snooze.run(value, match[1], user);
      if (!result.ok) await tell(explainSnooze(result));
    },
  );

  app.action<BlockAction<ButtonAction>>(/^maintenance:/, async ({ ack, body, action }) => {
    await ack();
    const user = body.user.id;
    const channel = body.channel?.id;
    const tell = async (text: string) => {
      if (channel) await deps.chat.ephemeral(channel, user, { text }).catch(deps.onError);
      else await deps.refreshHome(user).catch(deps.onError);
    };
    const match = action.action_id.startsWith(END_WINDOW_ACTION_PREFIX)
      ? END_ACTION.exec(action.action_id)
      : null;
    if (!match?.[1]) {
      forged(user, 'maintenance.end', action.action_id, 'malformed action_id');
      await tell(':no_entry: That button is not valid.');
      return;
    }
    const result = await deps.maintenance.end(user, match[1]);
    if (!result.ok) await tell(explainEnd(result));
    else await deps.refreshHome(user).catch(deps.onError);
  });
};
