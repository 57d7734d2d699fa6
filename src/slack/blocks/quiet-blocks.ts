import type { KnownBlock, PlainTextOption, StaticSelect } from '@slack/types';
import type { Severity } from '../../core/incidents/model.js';
import type { MaintenanceWindow, WindowScope } from '../../core/maintenance/model.js';
import type { IncidentCardInput } from './incident-card.js';
import type { CommandReply } from './help-blocks.js';
import type { ThreadMessage } from './incident-thread.js';
import { severityLabel, slackDate, untrusted, userRef } from './incident-format.js';
import { LIMITS, truncate } from './text.js';

/**
 * Snooze and maintenance windows on Slack surfaces: the card's quiet line and snooze menu, the
 * thread lines, the `/auth0 maintenance` replies and the Home section. Pure; every value a person
 * typed (a reason, a client name) is cleaned and escaped, so it cannot mention anyone.
 */

export const SNOOZE_ACTION_PREFIX = 'incident-snooze:';
export const END_WINDOW_ACTION_PREFIX = 'maintenance:end:';

const HOME_WINDOWS = 10;

const mrkdwnSection = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) },
});
const context = (text: string): KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) }],
});
const threadMessage = (text: string): ThreadMessage => {
  const bounded = truncate(text, LIMITS.sectionText);
  return { text: bounded, blocks: [mrkdwnSection(bounded)] };
};

const scopeText = (scope: WindowScope): string =>
  scope.kind === 'tenant'
    ? 'the whole tenant'
    : `${scope.kind} \`${untrusted(scope.value, 80).replace(/`/g, "'")}\``;

const reasonText = (reason: string): string =>
  reason.trim() === '' ? 'no reason given' : untrusted(reason, 200);

/** The card's quiet lines: who snoozed it until when, and the windows it is in. */
export const quietContext = (input: IncidentCardInput): KnownBlock[] => {
  const quiet = input.quiet;
  if (quiet === undefined || input.incident.state === 'resolved') return [];
  const lines: string[] = [];
  if (quiet.snooze)
    lines.push(
      `:zzz: Snoozed by ${userRef(quiet.snooze.by)} until ${slackDate(quiet.snooze.until)} — no reminders`,
    );
  for (const w of quiet.windows.slice(0, 3))
    lines.push(
      `:construction: In maintenance window: ${reasonText(w.reason)} until ${slackDate(w.endsAt)} — no reminders`,
    );
  if (quiet.windows.length > 3) lines.push(`… and ${quiet.windows.length - 3} more windows`);
  return lines.map(context);
};

const option = (text: string, value: string): PlainTextOption => ({
  text: { type: 'plain_text', text },
  value,
});

/** The snooze menu: 1 h, 4 h, until tomorrow 09:00, and Wake now while snoozed. */
export const snoozeBlocks = (input: IncidentCardInput): KnownBlock[] => {
  const { incident, quiet } = input;
  if (incident.state === 'resolved') return [];
  const snoozed = quiet?.snooze !== undefined;
  const select: StaticSelect = {
    type: 'static_select',
    action_id: `${SNOOZE_ACTION_PREFIX}${incident.id}`,
    placeholder: { type: 'plain_text', text: snoozed ? 'Snoozed' : 'Snooze' },
    options: [
      ...(snoozed ? [option('Wake now', 'wake')] : []),
      option('Snooze 1 hour', '1h'),
      option('Snooze 4 hours', '4h'),
      option('Until tomorrow 09:00', 'tomorrow'),
    ],
  };
  return [{ type: 'actions', elements: [select] }];
};

export const snoozedLine = (by: string, until: string): ThreadMessage =>
  threadMessage(`:zzz: Snoozed by ${userRef(by)} until ${slackDate(until)}: no reminders until then.`);

export const snoozeEndedLine = (why: 'woken' | 'expired', by: string): ThreadMessage =>
  threadMessage(
    why === 'woken'
      ? `:alarm_clock: Woken by ${userRef(by)}: reminders are back on.`
      : `:alarm_clock: The snooze by ${userRef(by)} is over: reminders are back on.`,
  );

export const wokeOnSeverityLine = (from: Severity, to: Severity, snoozedBy: string): ThreadMessage =>
  threadMessage(
    `:alarm_clock: Woke early: severity rose ${severityLabel(from)} → ${severityLabel(to)} while snoozed by ${userRef(snoozedBy)}. Reminders are back on.`,
  );

const windowLine = (w: MaintenanceWindow): string =>
  `• \`${w.id}\` ${scopeText(w.scope)} until ${slackDate(w.endsAt)} — ${reasonText(w.reason)} (by ${userRef(w.createdBy)})`;

const reply = (text: string, blocks: KnownBlock[]): CommandReply => ({
  response_type: 'ephemeral',
  text: truncate(text, 3000),
  blocks,
});

export const maintenanceListReply = (windows: readonly MaintenanceWindow[]): CommandReply => {
  if (windows.length === 0)
    return reply('No maintenance windows are open.', [
      mrkdwnSection(
        'No maintenance windows are open. Open one with `/auth0 maintenance <duration> [scope] [reason]`, e.g. `/auth0 maintenance 2h connection:google-oauth2 provider migration`.',
      ),
    ]);
  const shown = windows.slice(0, 20);
  const lines = shown.map(windowLine);
  if (windows.length > shown.length) lines.push(`… and ${windows.length - shown.length} more`);
  const count = windows.length === 1 ? '1 maintenance window' : `${windows.length} maintenance windows`;
  return reply(`${count} open`, [
    mrkdwnSection(`*Open maintenance windows*\n${lines.join('\n')}`),
    context('End one with `/auth0 maintenance end <id>` or from the App Home (operators).'),
  ]);
};

export const maintenanceOpenedReply = (w: MaintenanceWindow): CommandReply =>
  reply(`Maintenance window ${w.id} open until ${w.endsAt}`, [
    mrkdwnSection(
      `:construction: Maintenance window \`${w.id}\` open on ${scopeText(w.scope)} until ${slackDate(w.endsAt)} — ${reasonText(w.reason)}.\nMatching incidents are recorded and shown on their cards, without reminders or escalation.`,
    ),
  ]);

export const maintenanceEndedReply = (w: MaintenanceWindow): CommandReply =>
  reply(`Maintenance window ${w.id} ended`, [
    mrkdwnSection(`:white_check_mark: Maintenance window \`${w.id}\` on ${scopeText(w.scope)} ended.`),
  ]);

export const maintenanceProblemReply = (problem: string): CommandReply =>
  reply(problem, [mrkdwnSection(`:warning: ${problem}`)]);

/** The Home's section: active windows, each with an End button for operators. */
export const maintenanceHomeBlocks = (
  windows: readonly MaintenanceWindow[] | undefined,
  isOperator: boolean,
): KnownBlock[] => {
  if (windows === undefined) return [];
  const heading = mrkdwnSection(`*Maintenance windows (${windows.length})*`);
  if (windows.length === 0) return [heading, context('None open. `/auth0 maintenance` opens one.')];
  const shown = windows.slice(0, HOME_WINDOWS);
  const blocks: KnownBlock[] = shown.map((w) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(windowLine(w), LIMITS.sectionText) },
    ...(isOperator
      ? {
          accessory: {
            type: 'button',
            text: { type: 'plain_text', text: 'End' },
            action_id: `${END_WINDOW_ACTION_PREFIX}${w.id}`,
            value: w.id,
          },
        }
      : {}),
  }));
  return [
    heading,
    ...blocks,
    ...(windows.length > shown.length ? [context(`… ${windows.length - shown.length} more`)] : []),
  ];
};
