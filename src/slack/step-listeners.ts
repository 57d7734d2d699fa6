import type { ViewClosedAction } from '@slack/bolt';
import type { IncidentChat } from '../core/incidents/ports.js';
import type { StepRunner } from '../core/steps/step-runner.js';
import {
  clickExplanation,
  confirmationFailedText,
  STEP_CONFIRM_CALLBACK,
  stepConfirmModal,
} from './blocks/step-blocks.js';
import { createRepeatFilter } from './repeat-filter.js';
import type { Listeners } from './listener-table.js';

/** The same reply to the same person about the same button is sent once in this window. */
const REPEAT_NOTICE_MS = 5_000;

export interface StepListenerDeps {
  readonly runner: Pick<StepRunner, 'click' | 'confirm' | 'cancel'>;
  readonly chat: IncidentChat;
  /**
   * Where refusals of a confirmation are explained: a view submission carries no channel, and
   * incident cards live in the alert channel.
   */
  readonly channel: string;
  readonly onError: (error: unknown) => void;
  /** Where a click's work goes after its ack (after-ack.ts): started in turn, owned by the background tasks. */
  readonly afterAck: (name: string, work: () => Promise<unknown>) => void;
}

/**
 * Run step / Retry buttons and the confirmation modal of destructive steps. Thin: ack within
 * Slack's 3 s first, then the runner, which authorizes, claims and audits; the modal opens right
 * after the ack while the click's trigger_id is still valid; refusals go to the clicker alone.
 */
export const registerStepListeners = (app: Listeners, deps: StepListenerDeps): void => {
  const tell = async (channel: string | undefined, user: string, text: string | undefined) => {
    if (channel === undefined || text === undefined) return;
    await deps.chat.ephemeral(channel, user, { text }).catch(deps.onError);
  };
  const firstTime = createRepeatFilter(REPEAT_NOTICE_MS);

  app.action(/^step:/, async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const channel = body.channel?.id;
    deps.afterAck('slack.step_click', async () => {
      const outcome = await deps.runner.click({ actionId: action.action_id, user });
      if (outcome.kind !== 'needs_confirmation') {
        // A burst of clicks on one button by one person gets one reply (each click is still audited).
        const text = clickExplanation(outcome);
        if (text !== undefined && firstTime(`${user}\u0000${action.action_id}\u0000${text}`))
          await tell(channel, user, text);
        return;
      }
      try {
        await client.views.open({ trigger_id: body.trigger_id, view: stepConfirmModal(outcome) });
      } catch (error) {
        deps.onError(error);
        await tell(channel, user, confirmationFailedText);
      }
    });
  });

  app.view(STEP_CONFIRM_CALLBACK, async ({ ack, body, view }) => {
    await ack();
    const user = body.user.id;
    const outcome = await deps.runner.confirm(view.private_metadata, user);
    await tell(deps.channel, user, clickExplanation(outcome));
  });

  app.view<ViewClosedAction>(
    { callback_id: STEP_CONFIRM_CALLBACK, type: 'view_closed' },
    async ({ ack, body, view }) => {
      await ack();
      await deps.runner.cancel(view.private_metadata, body.user.id);
    },
  );
};
