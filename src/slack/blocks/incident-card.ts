import type { ActionsBlockElement, Button, KnownBlock, MrkdwnElement, SectionBlock } from '@slack/types';
import type { Evidence } from '../../core/detection/model.js';
import type { Incident, IncidentStep } from '../../core/incidents/model.js';
import { cardRunbookBlocks } from './card-steps.js';
import { cardCause, cardNumbers } from './incident-evidence.js';
import {
  between,
  clean,
  escapeWithin,
  formatDuration,
  severityEmoji,
  severityLabel,
  signalName,
  slackDate,
  untrusted,
  userRef,
} from './incident-format.js';
import { LIMITS, truncate } from './text.js';
import { ownerContextBlocks, ownerSlotButtons, severityNoteButtons } from './incident-owner-blocks.js';
import { quietContext, snoozeBlocks } from './quiet-blocks.js';
import type { CardQuiet } from '../../core/incidents/quiet.js';

/**
 * The incident card: one message per incident, rebuilt from state and updated in place. Compact
 * (docs/on-call.md, "The incident card"): the headline, when it started, the numbers with the last
 * hour's curve, the likely cause, the next step and the buttons; the whole evidence and runbook
 * are one click away in the Details modal (details-modal.ts).
 * Everything from the logs is attacker-controlled, so every such value is cleaned, escaped and
 * bounded, and the whole card stays inside Slack's limits (LIMITS in text.ts).
 */

export interface IncidentCardInput {
  readonly incident: Incident;
  readonly evidence: Evidence;
  readonly steps: readonly IncidentStep[];
  /** Overrides `incident.runbookProvider` (e.g. while the card is first posted). */
  readonly runbookProvider?: string | null;
  /** The Auth0 Dashboard's log search for this incident, when the tenant's dashboard is known. */
  readonly logsUrl?: string;
  readonly now: Date;
  /** Snoozed or in a maintenance window (quiet-blocks.ts shows it). */
  readonly quiet?: CardQuiet | undefined;
}

export interface IncidentCard {
  /** The one-line notification fallback. */
  readonly text: string;
  readonly blocks: KnownBlock[];
}

const CARD_BOUNDS = { scope: 80, fallbackTitle: 200 } as const;

const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text });
const section = (text: string): SectionBlock => ({
  type: 'section',
  text: mrkdwn(truncate(text, LIMITS.sectionText)),
});
const context = (text: string): KnownBlock => ({ type: 'context', elements: [mrkdwn(text)] });

const stateText = (incident: Incident): string => {
  if (incident.state === 'resolved') {
    return incident.resolution === 'auto' ? 'Auto-resolved' : `Resolved by ${userRef(incident.resolvedBy)}`;
  }
  if (incident.state === 'acknowledged') return `Acknowledged by ${userRef(incident.acknowledgedBy)}`;
  return 'Open';
};

/**
 * `Since <onset>`: when the signal shows the problem began (its first failing event), which is
 * earlier than the card; the opening time when the evidence has no onset (a watcher's finding).
 */
const sinceText = (incident: Incident, evidence: Evidence): string => {
  const onset = evidence.onset;
  if (onset === undefined || Number.isNaN(Date.parse(onset))) return `opened ${slackDate(incident.openedAt)}`;
  const lead = between(onset, incident.openedAt);
  const opened = lead >= 60_000 ? ` (card ${formatDuration(lead)} later)` : '';
  return `Since ${slackDate(onset)}${opened}`;
};

const statusLine = (incident: Incident, evidence: Evidence): KnownBlock => {
  const parts = [
    `*${severityLabel(incident.severity)}*`,
    signalName(incident.signal),
    untrusted(incident.scope, CARD_BOUNDS.scope),
    stateText(incident),
    ...(incident.escalatedAt !== null
      ? [`:rotating_light: Escalated by ${userRef(incident.escalatedBy)}`]
      : []),
    sinceText(incident, evidence),
  ];
  return context(parts.join('  ·  '));
};

const resolvedSection = (incident: Incident): KnownBlock[] => {
  if (incident.state !== 'resolved' || incident.resolvedAt === null) return [];
  const mttr = formatDuration(between(incident.openedAt, incident.resolvedAt));
  const who =
    incident.resolution === 'auto'
      ? 'Auto-resolved: the signal stayed below its threshold for the quiet period'
      : `Resolved by ${userRef(incident.resolvedBy)}`;
  return [
    section(`:white_check_mark: *${who}* ${slackDate(incident.resolvedAt)} — ${mttr} after it opened.`),
  ];
};

const incidentButton = (verb: 'ack' | 'escalate' | 'resolve', label: string, id: string): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: label },
  action_id: `incident:${verb}:${id}`,
  value: id,
  ...(verb === 'ack' ? { style: 'primary' as const } : {}),
});

/** Full evidence and the whole runbook (details-listeners.ts); reading, so even once resolved. */
const detailsButton = (id: string): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: 'Details' },
  action_id: `incident-details:${id}`,
  value: id,
});

/** A link button: Slack still sends a click, which details-listeners.ts acknowledges. */
const logsButton = (id: string, url: string): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: 'Open in Auth0 logs' },
  action_id: `incident-link:${id}`,
  url,
});

/**
 * The card's one row of incident buttons. Other features add their element here with one call
 * each (an owner's Take over, a snooze menu), after the incident's own buttons.
 */
const actionsBlocks = (input: IncidentCardInput): KnownBlock[] => {
  const { incident, logsUrl } = input;
  const open = incident.state !== 'resolved';
  const elements: ActionsBlockElement[] = [
    ...(incident.state === 'open' ? [incidentButton('ack', 'Acknowledge', incident.id)] : []),
    ...ownerSlotButtons(incident),
    ...(open && incident.escalatedAt === null ? [incidentButton('escalate', 'Escalate', incident.id)] : []),
    ...(open ? [incidentButton('resolve', 'Resolve', incident.id)] : []),
    ...severityNoteButtons(incident),
    detailsButton(incident.id),
    ...(logsUrl === undefined ? [] : [logsButton(incident.id, logsUrl)]),
  ];
  return [{ type: 'actions', elements }];
};

/**
 * The context lines under the headline: state and onset. Other features add their line here with
 * one call each (who owns it, until when it is snoozed).
 */
const contextBlocks = (input: IncidentCardInput): KnownBlock[] => [
  statusLine(input.incident, input.evidence),
  ...ownerContextBlocks(input.incident),
  ...quietContext(input),
];

const headerText = (incident: Incident): string =>
  truncate(`${severityEmoji[incident.severity]} ${clean(incident.title)}`, LIMITS.headerText);

/** The notification fallback: it is mrkdwn too, so a `<!channel>` in a title must not ping. */
const fallbackText = (incident: Incident): string => {
  const title = escapeWithin(clean(incident.title), CARD_BOUNDS.fallbackTitle);
  const resolved = incident.state === 'resolved' ? ' (resolved)' : '';
  return `${severityLabel(incident.severity)} — ${title}${resolved}`;
};

export const incidentCard = (input: IncidentCardInput): IncidentCard => {
  const { incident, evidence } = input;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: headerText(incident), emoji: true } },
    ...contextBlocks(input),
    ...resolvedSection(incident),
    ...cardNumbers(evidence),
    ...cardCause(incident, evidence),
    { type: 'divider' },
    ...cardRunbookBlocks({
      steps: input.steps,
      provider: input.runbookProvider ?? incident.runbookProvider,
      clickable: incident.state !== 'resolved',
    }),
    ...actionsBlocks(input),
    ...snoozeBlocks(input),
    context(`Updated ${slackDate(input.now, '{time}')}  ·  incident \`${untrusted(incident.id, 64)}\``),
  ];
  return { text: fallbackText(incident), blocks };
};
