import { plural } from '../../core/status/model.js';
import type { KnownBlock, ModalView } from '@slack/types';
import type { ChatMessage } from '../../core/incidents/ports.js';
import type { Rotation, RotationTrigger } from '../../core/rotation/model.js';
import type { RotationResult } from '../../core/rotation/ports.js';
import type { ClientUser } from '../../core/rotation/client-users.js';
import type { RotationTarget } from '../../core/rotation/target.js';
import type { CommandReply } from './help-blocks.js';
import { escapeWithin, slackDate, untrusted, userRef } from './incident-format.js';
import { LIMITS, truncate } from './text.js';

/**
 * The Slack surface of rotation: the `/auth0 rotate` target list, the confirmation modal, and
 * the start and result lines in the alert channel. Summaries come from Auth0 and AWS errors, so
 * they are cleaned, escaped and bounded.
 */

export const ROTATE_CONFIRM_CALLBACK = 'rotate_confirm';

/** Everything the list and the modal show about one target. */
export interface TargetView {
  readonly target: RotationTarget;
  readonly last: Rotation | null;
  readonly paused: boolean;
  /** The next scheduled slot; undefined when the schedule is off. */
  readonly next: Date | undefined;
  /** The client's name in the tenant, when known. */
  readonly name: string | undefined;
}

const BOUNDS = { summary: 400, client: 128, ip: 64 } as const;
const MAX_TARGETS = 40;
const MAX_USERS = 15;

const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) },
});
const context = (text: string): KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) }],
});

const code = (clientId: string) => `\`${escapeWithin(clientId, BOUNDS.client)}\``;
/** `*acme-billing-worker* (\`Zx81…\`)`, or the ID alone when the name is not known. */
const named = (clientId: string, name: string | undefined) =>
  name === undefined ? code(clientId) : `*${escapeWithin(name, BOUNDS.client)}* (${code(clientId)})`;
/** The same for plain fallback text. */
const namedPlain = (clientId: string, name: string | undefined) =>
  name === undefined
    ? escapeWithin(clientId, BOUNDS.client)
    : `${escapeWithin(name, BOUNDS.client)} (${escapeWithin(clientId, BOUNDS.client)})`;

const strategyName = (s: RotationTarget['strategy']) =>
  s === 'client_secret' ? 'client secret' : 'private_key_jwt';

/** "succeeded", "rolled back: …", "running (state)". */
const lastRotationText = (last: Rotation | null): string => {
  if (!last) return 'never rotated';
  const when = slackDate(last.startedAt);
  if (last.outcome === null) return `running since ${when} (${escapeWithin(last.state, 60)})`;
  const how = last.outcome.replace('_', ' ');
  const why = last.error && last.outcome !== 'succeeded' ? `: ${untrusted(last.error, 200)}` : '';
  return `${how} ${when} (${last.trigger} by ${userRef(last.requestedBy)})${why}`;
};

const nextText = (v: TargetView): string => {
  if (v.paused) return 'paused';
  return v.next ? `next ${slackDate(v.next)}` : 'schedule off';
};

const targetLine = (v: TargetView): string =>
  `• ${named(v.target.clientId, v.name)} — ${strategyName(v.target.strategy)}\n   last: ${lastRotationText(v.last)}; ${nextText(v)}`;

const targetLines = (views: readonly TargetView[]): KnownBlock[] => {
  const shown = views.slice(0, MAX_TARGETS).map(targetLine);
  const more = views.length > MAX_TARGETS ? [context(`…and ${views.length - MAX_TARGETS} more`)] : [];
  return [section(shown.join('\n')), ...more];
};

/** `/auth0 rotate` without a client. */
export const rotationTargetsReply = (views: readonly TargetView[]): CommandReply => {
  if (views.length === 0) {
    const text = 'No rotation targets are configured (ROTATION_TARGETS is empty).';
    return { response_type: 'ephemeral', text, blocks: [section(text)] };
  }
  return {
    response_type: 'ephemeral',
    text: `Rotation targets: ${views.map((v) => namedPlain(v.target.clientId, v.name)).join(', ')}`,
    blocks: [
      section('*Rotation targets*'),
      ...targetLines(views),
      context(
        'Rotate one now with `/auth0 rotate <client name or ID>` (operators only; asks for confirmation).',
      ),
    ],
  };
};

/** `/auth0 rotate <name>` where several targets have that name: their IDs, to pick one. */
export const ambiguousTargetReply = (name: string, views: readonly TargetView[]): CommandReply => {
  const ids = views.map((v) => code(v.target.clientId)).join(', ');
  const text = `:grey_question: ${plural(views.length, 'rotation target')} are named *${escapeWithin(name, BOUNDS.client)}*: ${ids}. Run \`/auth0 rotate <ID>\` with the one you mean.`;
  return {
    response_type: 'ephemeral',
    text: `${views.length} rotation targets are named ${escapeWithin(name, BOUNDS.client)}: ${views.map((v) => escapeWithin(v.target.clientId, BOUNDS.client)).join(', ')}. Rotate one by its ID.`,
    blocks: [section(text), ...targetLines(views)],
  };
};

/** `/auth0 rotate <client>` for a client that is not a target. */
export const unknownTargetReply = (clientId: string, views: readonly TargetView[]): CommandReply => {
  const list = rotationTargetsReply(views);
  const text = `:grey_question: ${code(clientId)} is neither the ID nor the name of a rotation target.`;
  return {
    response_type: 'ephemeral',
    // The fallback text is rendered as mrkdwn too (notifications, some clients): escaped like blocks.
    text: `${escapeWithin(clientId, BOUNDS.client)} is neither the ID nor the name of a rotation target. ${list.text}`,
    blocks: [section(text), ...list.blocks],
  };
};

export const notOperatorText = ':no_entry: Only operators can rotate credentials.';

export const notOperatorReply = (): CommandReply => ({
  response_type: 'ephemeral',
  text: notOperatorText,
  blocks: [section(notOperatorText)],
});

export const modalFailedReply = (): CommandReply => {
  const text = ':warning: I could not open the confirmation, so nothing ran. Run the command again.';
  return { response_type: 'ephemeral', text, blocks: [section(text)] };
};

const usersText = (users: readonly ClientUser[]): string => {
  if (users.length === 0) return 'No successful token exchanges by this client in the last 24 h.';
  const lines = users
    .slice(0, MAX_USERS)
    .map(
      (u) =>
        `• ${escapeWithin(u.ip, BOUNDS.ip)} — last seen ${slackDate(u.lastSeen)} (${plural(u.count, 'token')})`,
    );
  const more = users.length > MAX_USERS ? `\n…and ${users.length - MAX_USERS} more` : '';
  return `*Used in the last 24 h from ${plural(users.length, 'IP')}:*\n${lines.join('\n')}${more}`;
};

/** The confirmation; private_metadata is the client ID alone, everything else is re-read on submit. */
export const rotateConfirmModal = (view: TargetView, users: readonly ClientUser[]): ModalView => ({
  type: 'modal',
  callback_id: ROTATE_CONFIRM_CALLBACK,
  private_metadata: view.target.clientId,
  title: { type: 'plain_text', text: 'Rotate credential?' },
  submit: { type: 'plain_text', text: 'Rotate now' },
  close: { type: 'plain_text', text: 'Cancel' },
  blocks: [
    section(`*Rotate* ${named(view.target.clientId, view.name)} (${strategyName(view.target.strategy)})`),
    section(`*Last rotation:* ${lastRotationText(view.last)}`),
    section(usersText(users)),
    context(
      view.target.strategy === 'client_secret'
        ? ':warning: A new secret replaces the current one; services that read the old secret from Secrets Manager must reload it. The run is posted to the alert channel and audited.'
        : ':information_source: Zero downtime: the old key stays valid for a grace period. The run is posted to the alert channel and audited.',
    ),
  ],
});

const triggerText = (trigger: RotationTrigger, by: string): string =>
  trigger === 'schedule' ? 'on schedule' : `requested by ${userRef(by)}`;

/** The alert-channel line when a rotation starts. */
export const rotationStartMessage = (
  target: RotationTarget,
  trigger: RotationTrigger,
  by: string,
  name?: string,
): ChatMessage => {
  const text = `:arrows_counterclockwise: Rotating ${named(target.clientId, name)} (${strategyName(target.strategy)}), ${triggerText(trigger, by)}…`;
  return { text, blocks: [section(text)] };
};

/** The alert-channel line with the outcome, expected refusals (already running, paused) included. */
export const rotationResultMessage = (
  target: RotationTarget,
  result: RotationResult,
  trigger: RotationTrigger,
  by: string,
  name?: string,
): ChatMessage => {
  const who = triggerText(trigger, by);
  const summary = untrusted(result.summary, BOUNDS.summary);
  const id = named(target.clientId, name);
  let text: string;
  if (result.ok) {
    text = `:white_check_mark: Rotated ${id} (${who}): ${summary}`;
  } else if ('reason' in result) {
    text =
      result.reason === 'already_running'
        ? `:hourglass_flowing_sand: Did not start another rotation of ${id} (${who}): one is already running. ${summary}`
        : result.reason === 'paused'
          ? `:double_vertical_bar: Skipped rotating ${id} (${who}): rotation is paused for this client.`
          : `:grey_question: Did not rotate ${id} (${who}): it is not a rotation target.`;
  } else {
    const after = result.rolledBack
      ? 'The change was rolled back; the current credential still works.'
      : 'It was not rolled back: check the incident for the rollback step.';
    text = `:x: Rotation of ${id} failed (${who}): ${summary}. ${after}`;
  }
  const bounded = truncate(text, LIMITS.sectionText);
  return { text: bounded, blocks: [section(bounded)] };
};
