import type { Button, KnownBlock, MrkdwnElement, SectionBlock } from '@slack/types';
import type { Evidence, TopItem } from '../../core/detection/model.js';
import type { Incident, IncidentStep } from '../../core/incidents/model.js';
import { nextRetryKey } from '../../core/steps/step-key.js';
import {
  between,
  clean,
  cleanLines,
  escapeWithin,
  formatCount,
  formatDuration,
  formatMultiple,
  formatPercent,
  formatRate,
  formatWindow,
  severityEmoji,
  severityLabel,
  signalName,
  slackDate,
  suspectLine,
  untrusted,
  userRef,
} from './incident-format.js';
import { LIMITS, truncate } from './text.js';
import { ownerContextBlocks, ownerSlotButtons, severityNoteButtons } from './incident-owner-blocks.js';
import { quietContext, snoozeBlocks } from './quiet-blocks.js';
import type { CardQuiet } from '../../core/incidents/quiet.js';

/**
 * The incident card: one message per incident, rebuilt from state and updated in place.
 * Everything from the logs is attacker-controlled, so every such value is cleaned, escaped and
 * bounded here, and the whole card stays inside Slack's limits (LIMITS in text.ts) and well
 * under the ~13k characters of block text at which Slack answers `msg_blocks_too_long`.
 */

export interface IncidentCardInput {
  readonly incident: Incident;
  readonly evidence: Evidence;
  readonly steps: readonly IncidentStep[];
  /** Overrides `incident.runbookProvider` (e.g. while the card is first posted). */
  readonly runbookProvider?: string | null;
  readonly now: Date;
  /** Snoozed or in a maintenance window (quiet-blocks.ts shows it). */
  readonly quiet?: CardQuiet | undefined;
}

export interface IncidentCard {
  /** The one-line notification fallback. */
  readonly text: string;
  readonly blocks: KnownBlock[];
}

/** Per-item and per-list bounds; together they keep the card's text near 10k characters at worst. */
const CARD_BOUNDS = {
  topItems: 5,
  topValue: 60,
  suspects: 5,
  steps: 10,
  stepTitle: 100,
  stepBody: 240,
  summary: 500,
  scope: 80,
  fallbackTitle: 200,
} as const;

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

const statusLine = (incident: Incident): KnownBlock => {
  const parts = [
    `*${severityLabel(incident.severity)}*`,
    signalName(incident.signal),
    untrusted(incident.scope, CARD_BOUNDS.scope),
    stateText(incident),
    ...(incident.escalatedAt !== null
      ? [`:rotating_light: Escalated by ${userRef(incident.escalatedBy)}`]
      : []),
    `opened ${slackDate(incident.openedAt)}`,
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

const numberFields = (evidence: Evidence): MrkdwnElement[] => {
  const ratio =
    evidence.ratio === undefined ? [] : [mrkdwn(`*Failure ratio*\n${formatPercent(evidence.ratio)}`)];
  const baseline =
    evidence.baseline === undefined || evidence.baseline <= 0
      ? 'no baseline yet'
      : `${formatRate(evidence.baseline)} (now ${formatMultiple(evidence.rate / evidence.baseline)})`;
  return [
    mrkdwn(`*Failures in window*\n${formatCount(evidence.failures)}`),
    mrkdwn(`*Rate*\n${formatRate(evidence.rate)}`),
    ...ratio,
    mrkdwn(`*Baseline*\n${baseline}`),
    mrkdwn(`*Window*\n${formatWindow(evidence.window.minutes)}`),
  ];
};

const numbersBlocks = (evidence: Evidence): KnownBlock[] => {
  const summary =
    evidence.summary === undefined ? [] : [section(untrusted(evidence.summary, CARD_BOUNDS.summary))];
  // Watcher signals (a certificate, a credential) have a summary and no traffic numbers.
  const quiet = evidence.failures === 0 && evidence.rate === 0 && evidence.summary !== undefined;
  return quiet ? summary : [...summary, { type: 'section', fields: numberFields(evidence) }];
};

const callouts = (incident: Incident, evidence: Evidence): KnownBlock[] => {
  const lines: string[] = [];
  if (evidence.singleSourceIp !== undefined) {
    const ip = untrusted(evidence.singleSourceIp, CARD_BOUNDS.topValue);
    lines.push(
      `:office: Most of this comes from one IP: \`${ip}\` — an office NAT blocked by attack protection?`,
    );
  }
  const c = evidence.correlation;
  if (c !== undefined) {
    const what = c.kind === 'signing_key_rotation' ? 'a signing-key rotation' : 'a secret change';
    const gap = between(c.at, incident.openedAt);
    const when = gap >= 0 ? `Started ${formatDuration(gap)} after ${what}` : `Close to ${what}`;
    lines.push(`:link: *${when}* (${slackDate(c.at)}): ${untrusted(c.detail, 200)}`);
  }
  return lines.length === 0 ? [] : [section(lines.join('\n'))];
};

const topList = (title: string, items: readonly TopItem[] | undefined): MrkdwnElement[] => {
  if (items === undefined || items.length === 0) return [];
  const shown = [...items].sort((a, b) => b.count - a.count).slice(0, CARD_BOUNDS.topItems);
  const lines = shown.map(
    (i) => `\`${untrusted(i.value, CARD_BOUNDS.topValue).replace(/`/g, "'")}\` ×${formatCount(i.count)}`,
  );
  const more = items.length - shown.length;
  if (more > 0) lines.push(`… and ${formatCount(more)} more`);
  return [mrkdwn(truncate(`*${title}*\n${lines.join('\n')}`, LIMITS.fieldText))];
};

const topBlocks = (evidence: Evidence): KnownBlock[] => {
  const fields = [
    ...topList('Top clients', evidence.topClients),
    ...topList('Top IPs', evidence.topIps),
    ...topList('Top connections', evidence.topConnections),
    ...topList('Top user agents', evidence.topUserAgents),
    ...topList('Top reasons', evidence.topReasons),
  ];
  return fields.length === 0 ? [] : [{ type: 'section', fields }];
};

const suspectBlocks = (evidence: Evidence): KnownBlock[] => {
  if (evidence.suspects.length === 0) return [];
  const newest = [...evidence.suspects].sort((a, b) => between(a.at, b.at) || 0);
  const lines = newest.slice(0, CARD_BOUNDS.suspects).map((s) => `• ${suspectLine(s)}`);
  const more = newest.length - CARD_BOUNDS.suspects;
  if (more > 0) lines.push(`… and ${formatCount(more)} more`);
  return [section(`*Recent changes (possible causes)*\n${lines.join('\n')}`)];
};

const stepStateText: Readonly<Record<IncidentStep['state'], string>> = {
  pending: '',
  running: '  :hourglass_flowing_sand: _running_',
  succeeded: '  :white_check_mark: _succeeded_',
  failed: '  :x: _failed — see the thread_',
};

/**
 * A destructive step's button is styled as danger but carries no client-side confirm dialog: the
 * runner opens a server-side confirmation modal, which (unlike a dialog) it can audit and enforce.
 */
const runButton = (step: IncidentStep): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: 'Run step' },
  action_id: `step:${step.incidentId}:${step.stepId}`,
  value: step.stepId,
  ...(step.destructive ? { style: 'danger' as const } : {}),
});

/**
 * A failed action step is retried only through this button, which carries a new idempotency key
 * (docs/decisions/0001-sqlite-claims-for-exactly-once.md); the runner accepts it only while the
 * step's last run, under the previous key, failed.
 * Destructive steps are confirmed in a modal by the runner itself.
 */
const retryButton = (step: IncidentStep, label = 'Retry'): Button | undefined => {
  const key = nextRetryKey(step);
  if (key === undefined) return undefined;
  return {
    type: 'button',
    text: { type: 'plain_text', text: label },
    action_id: key,
    value: step.stepId,
    ...(step.destructive ? { style: 'danger' as const } : {}),
  };
};

const stepButton = (step: IncidentStep, clickable: boolean): Button | undefined => {
  if (!clickable || step.kind !== 'action') return undefined;
  if (step.state === 'pending') return runButton(step);
  if (step.state === 'failed') return retryButton(step);
  // A check that only reads is worth running again after each fix; a change to the tenant is not.
  return step.state === 'succeeded' && !step.destructive ? retryButton(step, 'Run again') : undefined;
};

const stepBlock = (step: IncidentStep, n: number, clickable: boolean): SectionBlock => {
  const title = escapeWithin(clean(step.title), CARD_BOUNDS.stepTitle);
  const text = cleanLines(step.body);
  const body = text === '' ? '' : `\n${escapeWithin(text, CARD_BOUNDS.stepBody)}`;
  const button = stepButton(step, clickable);
  return {
    ...section(`*${n}. ${title}*${stepStateText[step.state]}${body}`),
    ...(button ? { accessory: button } : {}),
  };
};

/** Some step is shortened or left off the card: the *Full runbook* button shows them whole. */
const runbookShortened = (steps: readonly IncidentStep[]): boolean =>
  steps.length > CARD_BOUNDS.steps ||
  steps.some((s) => {
    const body = cleanLines(s.body);
    return escapeWithin(body, CARD_BOUNDS.stepBody) !== escapeWithin(body, Number.MAX_SAFE_INTEGER);
  });

const runbookBlocks = (input: IncidentCardInput): KnownBlock[] => {
  const { incident, steps } = input;
  if (steps.length === 0) return [context(':hourglass_flowing_sand: *Runbook:* on its way')];
  const provider = input.runbookProvider ?? incident.runbookProvider;
  const by = provider === null || provider === '' ? '' : ` (written by ${untrusted(provider, 40)})`;
  const ordered = [...steps].sort((a, b) => a.position - b.position);
  const shown = ordered.slice(0, CARD_BOUNDS.steps);
  const clickable = incident.state !== 'resolved';
  const more = ordered.length - shown.length;
  return [
    section(`:clipboard: *Runbook*${by}`),
    ...shown.map((s, i) => stepBlock(s, i + 1, clickable)),
    ...(more > 0 || runbookShortened(steps)
      ? [
          context(
            `${more > 0 ? `${more} more ${more === 1 ? 'step' : 'steps'} not shown. ` : 'Long steps are shortened. '}*Full runbook* shows every step whole.`,
          ),
        ]
      : []),
  ];
};

const incidentButton = (
  verb: 'ack' | 'escalate' | 'resolve' | 'runbook',
  label: string,
  id: string,
): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: label },
  action_id: `incident:${verb}:${id}`,
  value: id,
  ...(verb === 'ack' ? { style: 'primary' as const } : {}),
});

const actionsBlocks = (incident: Incident, steps: readonly IncidentStep[]): KnownBlock[] => {
  const full = runbookShortened(steps) ? [incidentButton('runbook', 'Full runbook', incident.id)] : [];
  if (incident.state === 'resolved') return full.length > 0 ? [{ type: 'actions', elements: full }] : [];
  const buttons: Button[] = [
    ...(incident.state === 'open' ? [incidentButton('ack', 'Acknowledge', incident.id)] : []),
    ...ownerSlotButtons(incident),
    ...(incident.escalatedAt === null ? [incidentButton('escalate', 'Escalate', incident.id)] : []),
    incidentButton('resolve', 'Resolve', incident.id),
    ...severityNoteButtons(incident),
    ...full,
  ];
  return [{ type: 'actions', elements: buttons }];
};

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
  const divider: KnownBlock = { type: 'divider' };
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: headerText(incident), emoji: true } },
    statusLine(incident),
    ...ownerContextBlocks(incident),
    ...quietContext(input),
    ...resolvedSection(incident),
    ...numbersBlocks(evidence),
    ...callouts(incident, evidence),
    ...topBlocks(evidence),
    ...suspectBlocks(evidence),
    divider,
    ...runbookBlocks(input),
    ...actionsBlocks(incident, input.steps),
    ...snoozeBlocks(input),
    context(`Updated ${slackDate(input.now, '{time}')}  ·  incident \`${untrusted(incident.id, 64)}\``),
  ];
  return { text: fallbackText(incident), blocks };
};
