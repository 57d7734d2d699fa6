import { randomUUID } from 'node:crypto';
import type { ModalView } from '@slack/types';
import type { ChatMessage, IncidentChat } from '../core/incidents/ports.js';
import type { Outbox } from '../core/outbox/ports.js';
import type { LogStore } from '../core/logs/ports.js';
import { clientUsers } from '../core/rotation/client-users.js';
import { findTarget, type ClientNames } from '../core/rotation/client-names.js';
import type { RotationStore } from '../core/rotation/model.js';
import type { RotationControl } from '../core/rotation/ports.js';
import type { RotationAnnouncements, RotationRequests } from '../core/rotation/requests.js';
import type { RotationTarget } from '../core/rotation/target.js';
import type { CommandReply } from './blocks/help-blocks.js';
import { slackDate } from './blocks/incident-format.js';
import {
  ambiguousTargetReply,
  modalFailedReply,
  notOperatorReply,
  notOperatorText,
  ROTATE_CONFIRM_CALLBACK,
  rotateConfirmModal,
  rotationResultMessage,
  rotationStartMessage,
  rotationTargetsReply,
  unknownTargetReply,
  type TargetView,
} from './blocks/rotation-blocks.js';
import type { Listeners } from './listener-table.js';

/**
 * Rotation start and result as messages in the alert channel (the use case audits them), through
 * the outbox: a Slack outage delays them, a retry never doubles them.
 */
export const slackRotationAnnouncements = (
  outbox: Outbox,
  channel: string,
  now: () => Date,
  names?: Pick<ClientNames, 'nameOf'>,
): RotationAnnouncements => {
  // Not awaited: a rotation never waits for Slack (or for the outbox's queue) to start or finish.
  const send = (key: string, message: ChatMessage) => {
    const at = now().toISOString();
    // Two requests for one client can announce in the same millisecond (the second is refused).
    outbox.enqueue({ key: `${key}:${at}:${randomUUID()}`, channel, message }, at);
    outbox.nudge();
    return Promise.resolve();
  };
  return {
    started: (target, trigger, by) =>
      send(
        `rotation:${target.clientId}:started`,
        rotationStartMessage(target, trigger, by, names?.nameOf(target.clientId)),
      ),
    finished: (target, result, trigger, by) =>
      send(
        `rotation:${target.clientId}:finished`,
        rotationResultMessage(target, result, trigger, by, names?.nameOf(target.clientId)),
      ),
  };
};

export interface RotateCommandDeps {
  readonly targets: readonly RotationTarget[];
  readonly requests: RotationRequests;
  readonly rotations: Pick<RotationStore, 'latestFor'>;
  readonly logs: Pick<LogStore, 'recent'>;
  readonly control: Pick<RotationControl, 'isPaused'>;
  /** Client names: `/auth0 rotate <name>` and the names shown next to IDs. */
  readonly names: ClientNames;
  /** The rotation schedule's next slot; undefined when it is off. */
  readonly nextRun: () => Date | undefined;
  /** For refusals after a submission (a view submission carries no channel). */
  readonly chat: IncidentChat;
  readonly channel: string;
  /** views.open with the command's trigger_id. */
  readonly openModal: (triggerId: string, view: ModalView) => Promise<void>;
  readonly now: () => Date;
  readonly onError: (error: unknown) => void;
}

export interface RotateCommand {
  /** The `/auth0 rotate [client name or ID]` dep of registerAuth0Command: a reply, or undefined once a modal is open. */
  readonly command: (
    user: string,
    client: string | undefined,
    triggerId: string,
  ) => Promise<CommandReply | undefined>;
  readonly register: (app: Listeners) => void;
}

/** `/auth0 rotate`: lists targets, asks for confirmation in a modal, and hands the submission to the use case. */
export const createRotateCommand = (d: RotateCommandDeps): RotateCommand => {
  const viewOf = (target: RotationTarget): TargetView => ({
    target,
    last: d.rotations.latestFor(target.clientId),
    paused: d.control.isPaused(target.clientId),
    next: d.nextRun(),
    name: d.names.nameOf(target.clientId),
  });

  const command: RotateCommand['command'] = async (user, client, triggerId) => {
    // Bounded: views.open needs the trigger within 3 s; stale names are better than none.
    await d.names.refresh(AbortSignal.timeout(1_500));
    if (client === undefined) return rotationTargetsReply(d.targets.map(viewOf));
    const match = findTarget(d.targets, client, d.names);
    const clientId = match.kind === 'found' ? match.target.clientId : client;
    if (!(await d.requests.authorize(user, clientId, 'command'))) return notOperatorReply();
    if (match.kind === 'ambiguous') return ambiguousTargetReply(client, match.targets.map(viewOf));
    if (match.kind === 'unknown') return unknownTargetReply(client, d.targets.map(viewOf));
    try {
      await d.openModal(
        triggerId,
        rotateConfirmModal(viewOf(match.target), clientUsers(d.logs, clientId, d.now())),
      );
    } catch (error) {
      d.onError(error);
      return modalFailedReply();
    }
    return undefined;
  };

  return {
    command,
    register(app) {
      app.view(ROTATE_CONFIRM_CALLBACK, async ({ ack, body, view }) => {
        await ack();
        const user = body.user.id;
        const outcome = await d.requests.request({
          clientId: view.private_metadata,
          trigger: 'command',
          by: user,
          // A redelivery carries the same view: its claim answers it, and nothing rotates twice.
          submission: view.id,
        });
        if (typeof outcome === 'object' && 'kind' in outcome) {
          const { claim } = outcome;
          const text =
            claim.state === 'running'
              ? `:hourglass: This rotation was already confirmed by <@${claim.claimedBy}> ${slackDate(claim.claimedAt)} and is still running.`
              : `:information_source: This rotation was already confirmed by <@${claim.claimedBy}> ${slackDate(claim.claimedAt)}: ${claim.resultSummary ?? claim.state}`;
          await d.chat.ephemeral(d.channel, user, { text }).catch(d.onError);
          return;
        }
        if (outcome === 'denied' || outcome === 'unknown_target') {
          const text =
            outcome === 'denied'
              ? notOperatorText
              : ':grey_question: That client is no longer a rotation target.';
          await d.chat.ephemeral(d.channel, user, { text }).catch(d.onError);
        }
      });
    },
  };
};
