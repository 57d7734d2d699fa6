import type { KnownBlock, SectionBlock } from '@slack/types';
import type { Incident } from '../../core/incidents/model.js';
import {
  between,
  clean,
  escapeWithin,
  formatDuration,
  severityEmoji,
  slackDate,
  userRef,
} from './incident-format.js';
import { LIMITS, truncate } from './text.js';

/**
 * Home's "Last 7 days" section (docs/on-call.md, "Summary and postmortem"): the incidents resolved
 * in the last week, newest first, each with how long it lasted and who or what resolved it.
 * Capped, with "and N more", so Home stays within Slack's 100 blocks whatever the week held.
 */

const CAP = 10;
const TITLE = 80;
const RECENT_DAYS = 7;

const section = (text: string): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) },
});

const line = (incident: Incident): string => {
  const title = escapeWithin(clean(incident.title), TITLE) || 'untitled incident';
  const resolvedAt = incident.resolvedAt ?? incident.updatedAt;
  const lasted = formatDuration(between(incident.openedAt, resolvedAt));
  const how =
    incident.resolution === 'auto' ? 'resolved itself' : `resolved by ${userRef(incident.resolvedBy)}`;
  return `${severityEmoji[incident.severity]} *${title}* \`${escapeWithin(incident.id, 64)}\` — lasted ${lasted}, ${how} ${slackDate(resolvedAt)}`;
};

/** `resolved`: incidents resolved in the last week, in any order. */
export const recentIncidentBlocks = (resolved: readonly Incident[]): KnownBlock[] => {
  const heading = section(`*Last ${RECENT_DAYS} days* (${resolved.length} resolved)`);
  if (resolved.length === 0) return [heading, section('No incident was resolved in the last 7 days.')];
  const newest = [...resolved].sort((a, b) => (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? ''));
  const shown = newest.slice(0, CAP);
  const left = newest.length - shown.length;
  return [
    heading,
    section(shown.map(line).join('\n')),
    ...(left > 0
      ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: `… and ${left} more` }] }]
      : []),
  ];
};
