import type { App, ViewSubmitAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { RotationControl } from '../core/rotation/ports.js';
import type { AuditLog } from '../core/audit/ports.js';
import type { IncidentChat, OperatorDirectory } from '../core/incidents/ports.js';
import type { LogStore } from '../core/logs/ports.js';
import type { RotationStore, RotationTrigger } from '../core/rotation/model.js';
import type { RotationResult, RotationService } from '../core/rotation/ports.js';
import type { RotationTarget } from '../core/rotation/target.js';
import type { CommandReply } from './blocks/help-blocks.js';
import {
  modalFailedReply,
  notOperatorReply,
  notOperatorText,
  ROTATE_CONFIRM_CALLBACK,
  rotateConfirmModal,
  rotationResultMessage,
  rotationStartMessage,
  rotationTargetsReply,
  unknownTargetReply,
  type ClientUser,
  type TargetView,
} from './blocks/rotation-blocks.js';

export interface RotationAnnouncerDeps {
  readonly chat: IncidentChat;
  /** The alert channel. */
  readonly channel: string;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly now: () => Date;
  readonly onError: (error: unknown) => void;
}

/** Posts start and result to the alert channel and audits both; shared by the command and the schedule. */
export interface RotationAnnouncer {
  started(target: RotationTarget, trigger: RotationTrigger, by: string): Promise<void>;
  finished(
    target: RotationTarget,
    result: RotationResult,
    trigger: RotationTrigger,
    by: string,
  ): Promise<void>;
}

const auditOutcome = (result: RotationResult) =>
  result.ok
    ? 'success'
    : 'reason' in result
      ? result.reason === 'already_running'
        ? 'duplicate'
        : 'skipped'
      : 'failure';

export const createRotationAnnouncer = (d: RotationAnnouncerDeps): RotationAnnouncer => {
  // Audit first: it is local and must not depend on Slack being up; a failed post is only reported.
  const post = (message: Parameters<IncidentChat['post']>[1]) =>
    d.chat.post(d.channel, message).then(() => undefined, d.onError);
  return {
    async started(target, trigger, by) {
      d.audit.append({
        at: d.now().toISOString(),
        actor: by,
        action: 'rotation.start',
        outcome: 'started',
        summary: `Rotation of ${target.clientId} started (${trigger})`,
        detail: { clientId: target.clientId, trigger },
      });
      await post(rotationStartMessage(target, trigger, by));
    },
    async finished(target, result, trigger, by) {
      d.audit.append({
        at: d.now().toISOString(),
        actor: by,
        action: 'rotation.finish',
        outcome: auditOutcome(result),
        summary: `Rotation of ${target.clientId}: ${result.summary}`.slice(0, 500),
        detail: {
          clientId: target.clientId,
          trigger,
          ...('rotationId' in result && result.rotationId ? { rotationId: result.rotationId } : {}),
          ...('reason' in result ? { reason: result.reason } : {}),
          ...('rolledBack' in result ? { rolledBack: result.rolledBack } : {}),
        },
      });
      await post(rotationResultMessage(target, result, trigger, by));
    },
  };
};

export interface RotateCommandDeps {
  readonly targets: readonly RotationTarget[];
  readonly service: Pick<RotationService, 'rotate'>;
  readonly operators: OperatorDirectory;
  readonly rotations: Pick<RotationStore, 'latestFor'>;
  readonly logs: Pick<LogStore, 'recent'>;
  readonly control: Pick<RotationControl, 'isPaused'>;
  /** The rotation schedule's next slot; undefined when it is off. */
  readonly nextRun: () => Date | undefined;
  readonly announcer: RotationAnnouncer;
  /** For refusals after a submission (a view submission carries no channel). */
  readonly chat: IncidentChat;
  readonly channel: string;
  readonly audit: Pick<AuditLog, 'append'>;
  /** views.open with the command's trigger_id. */
  readonly openModal: (triggerId: string, view: ModalView) => Promise<void>;
  readonly now: () => Date;
  /** Every on-demand outcome (metrics; a failure opens an incident with rollback as a step). */
  readonly onResult?: (target: RotationTarget, result: RotationResult) => void | Promise<void>;
  readonly onError: (error: unknown) => void;
}

export interface RotateCommand {
  /** The `/auth0 rotate [client]` dep of registerAuth0Command: a reply, or undefined once a modal is open. */
  readonly command: (
    user: string,
    clientId: string | undefined,
    triggerId: string,
  ) => Promise<CommandReply | undefined>;
  /** What a submission of the confirmation does (exposed for tests and the listener). */
  readonly confirm: (user: string, clientId: string) => Promise<RotationResult | 'denied' | 'unknown_target'>;
  readonly register: (app: App) => void;
}

const DAY_MS = 86_400_000;
const USER_SCAN_LIMIT = 1_000;

/** Distinct IPs that exchanged this client's credential successfully, most recent first. */
export const clientUsers = (logs: Pick<LogStore, 'recent'>, clientId: string, now: Date): ClientUser[] => {
  const events = logs.recent({
    signal: 'm2m_token_success',
    clientId,
    since: new Date(now.getTime() - DAY_MS).toISOString(),
    limit: USER_SCAN_LIMIT,
  });
  const byIp = new Map<string, { ip: string; lastSeen: string; count: number }>();
  for (const e of events) {
    const ip = e.ip ?? 'unknown IP';
    const seen = byIp.get(ip);
    if (!seen) byIp.set(ip, { ip, lastSeen: e.date, count: 1 });
    else {
      seen.count += 1;
      if (e.date > seen.lastSeen) seen.lastSeen = e.date;
    }
  }
  return [...byIp.values()].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
};

export const createRotateCommand = (d: RotateCommandDeps): RotateCommand => {
  const find = (clientId: string) => d.targets.find((t) => t.clientId === clientId);
  const viewOf = (target: RotationTarget): TargetView => ({
    target,
    last: d.rotations.latestFor(target.clientId),
    paused: d.control.isPaused(target.clientId),
    next: d.nextRun(),
  });
  const audit = (user: string, outcome: 'denied' | 'allowed', clientId: string, summary: string) =>
    d.audit.append({
      at: d.now().toISOString(),
      actor: user,
      action: 'rotation.request',
      outcome,
      summary,
      detail: { clientId },
    });

  const command: RotateCommand['command'] = async (user, clientId, triggerId) => {
    if (clientId === undefined) return rotationTargetsReply(d.targets.map(viewOf));
    if (!(await d.operators.isOperator(user))) {
      audit(user, 'denied', clientId, `Denied /auth0 rotate ${clientId.slice(0, 128)}: not an operator`);
      return notOperatorReply();
    }
    const target = find(clientId);
    if (!target) return unknownTargetReply(clientId, d.targets.map(viewOf));
    try {
      await d.openModal(
        triggerId,
        rotateConfirmModal(viewOf(target), clientUsers(d.logs, clientId, d.now())),
      );
    } catch (error) {
      d.onError(error);
      return modalFailedReply();
    }
    return undefined;
  };

  const confirm: RotateCommand['confirm'] = async (user, clientId) => {
    // Re-checked on submit: membership may have changed while the modal was open.
    if (!(await d.operators.isOperator(user))) {
      audit(user, 'denied', clientId, `Denied rotation of ${clientId.slice(0, 128)}: not an operator`);
      return 'denied';
    }
    const target = find(clientId);
    if (!target) return 'unknown_target';
    audit(user, 'allowed', clientId, `Confirmed rotation of ${clientId}`);
    await d.announcer.started(target, 'command', user);
    let result: RotationResult;
    try {
      result = await d.service.rotate(target, { trigger: 'command', by: user });
    } catch (error) {
      d.onError(error);
      result = {
        ok: false,
        rotationId: undefined,
        summary: 'the rotation failed unexpectedly',
        rolledBack: false,
      };
    }
    await d.announcer.finished(target, result, 'command', user);
    await d.onResult?.(target, result);
    return result;
  };

  return {
    command,
    confirm,
    register(app) {
      app.view<ViewSubmitAction>(ROTATE_CONFIRM_CALLBACK, async ({ ack, body, view }) => {
        await ack();
        const user = body.user.id;
        const outcome = await confirm(user, view.private_metadata);
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
