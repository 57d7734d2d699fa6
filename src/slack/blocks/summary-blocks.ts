import type { KnownBlock } from '@slack/types';
import type { Incident } from '../../core/incidents/model.js';
import type { IncidentSummary } from '../../core/incidents/summary.js';
import { plural } from '../../core/status/model.js';
import { formatDuration, slackDate, untrusted, userRef } from './incident-format.js';
import { LIMITS, truncate } from './text.js';

/**
 * The one message an incident's thread gets when it is resolved (docs/on-call.md, "Summary and
 * postmortem"). Times are Slack date tokens, so each reader sees their own time zone.
 */

const causeText = (cause: IncidentSummary['cause']): string => {
  if (cause.kind === 'named') return untrusted(cause.text, 300);
  if (cause.kind === 'unknown') return 'not named (no change or correlation was found)';
  const list = cause.suspects
    .map((s) => `${untrusted(s.what, 120)} by ${untrusted(s.who, 60)} (${slackDate(s.at)})`)
    .join('; ');
  return `${cause.suspects.length === 1 ? 'possibly' : 'suspects'}: ${list}`;
};

const stepsText = (steps: IncidentSummary['steps']): string[] => {
  if (steps.length === 0) return ['*Steps run:* none'];
  const ok = steps.filter((s) => s.outcome === 'succeeded').length;
  const head = `*Steps run:* ${plural(steps.length, 'step')}, ${ok} succeeded, ${steps.length - ok} failed`;
  return [
    head,
    ...steps.map((s) => {
      const mark = s.outcome === 'succeeded' ? ':white_check_mark:' : ':x:';
      const result = s.result.trim() === '' ? '' : ` — ${untrusted(s.result, 160)}`;
      return `• ${mark} ${untrusted(s.title, 100)} by ${userRef(s.by)} ${slackDate(s.at, '{time}')}${result}`;
    }),
  ];
};

const summaryText = (incident: Incident, s: IncidentSummary): string => {
  const resolved =
    s.resolution === 'auto'
      ? `automatically ${slackDate(s.resolvedAt)}`
      : `by ${userRef(s.resolvedBy)} ${slackDate(s.resolvedAt)}`;
  const onset = s.onsetFromSignal
    ? `${slackDate(s.onset)} (first failure of the signal)`
    : `${slackDate(s.onset)} (when the card opened; no earlier failure was found)`;
  const ack =
    s.acknowledged === null ? 'never' : `by ${userRef(s.acknowledged.by)} ${slackDate(s.acknowledged.at)}`;
  const lines = [
    `:memo: *Summary: ${untrusted(incident.title, 150)}*`,
    `*Onset:* ${onset}`,
    `*Detected:* ${slackDate(s.openedAt)} (card opened)`,
    `*Acknowledged:* ${ack}`,
    `*Resolved:* ${resolved}`,
    ...stepsText(s.steps),
    `*Cause:* ${causeText(s.cause)}`,
    `*Duration:* ${formatDuration(s.durationMs)} · *Time to acknowledge:* ${s.mttaMs === null ? '—' : formatDuration(s.mttaMs)} · *Time to resolve:* ${formatDuration(s.mttrMs)}`,
    `_\`/auth0 postmortem ${incident.id}\` writes the postmortem._`,
  ];
  return lines.join('\n');
};

export const summaryMessage = (
  incident: Incident,
  s: IncidentSummary,
): { readonly text: string; readonly blocks: KnownBlock[] } => {
  const text = truncate(summaryText(incident, s), LIMITS.sectionText);
  const duration = formatDuration(s.durationMs);
  return {
    text: `Summary: ${untrusted(incident.title, 150)} — over after ${duration}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
};
