import type { KnownBlock } from '@slack/types';
import type { Incident } from '../../core/incidents/model.js';
import type { CommandReply } from './help-blocks.js';
import {
  between,
  clean,
  escapeWithin,
  formatDuration,
  severityEmoji,
  severityRank,
  userRef,
} from './incident-format.js';
import { LIMITS, truncate } from './text.js';
import { ownerListText } from './incident-owner-blocks.js';

/** `/auth0 incidents`: every unresolved incident, highest severity first, oldest first within one. */

export interface IncidentListOptions {
  /** The card's permalink, when it has been posted. */
  permalink(incident: Incident): string | undefined;
  readonly now: Date;
  /** How many are open in all, when `incidents` is already a page of them. */
  readonly total?: number;
}

/** ~40 lines of ~250 characters stay far below Slack's ~13k characters of block text. */
const LIST_BOUNDS = { lines: 40, title: 90 } as const;

// A permalink goes inside `<url|label>`: anything that could end it early is refused.
const safeUrl = (url: string | undefined): string | undefined =>
  url !== undefined && /^https:\/\/[^\s<>|]+$/.test(url) && url.length <= 1000 ? url : undefined;

const stateText = (incident: Incident): string => {
  const escalated =
    incident.escalatedAt === null ? '' : ` · :rotating_light: escalated by ${userRef(incident.escalatedBy)}`;
  return ownerListText(incident) + escalated;
};

const line = (incident: Incident, opts: IncidentListOptions): string => {
  const title = escapeWithin(clean(incident.title), LIST_BOUNDS.title) || 'untitled incident';
  const url = safeUrl(opts.permalink(incident));
  const linked = url === undefined ? `*${title}*` : `<${url}|${title}>`;
  const age = formatDuration(between(incident.openedAt, opts.now));
  return `${severityEmoji[incident.severity]} ${linked} — ${stateText(incident)} · open ${age}`;
};

const byUrgency = (a: Incident, b: Incident): number =>
  severityRank[a.severity] - severityRank[b.severity] || between(b.openedAt, a.openedAt) || 0;

// Each section holds as many whole lines as fit in its 3,000 characters.
const pack = (lines: readonly string[]): KnownBlock[] => {
  const chunks: string[] = [];
  let current = '';
  for (const l of lines) {
    const next = current === '' ? l : `${current}\n${l}`;
    if (next.length > LIMITS.sectionText && current !== '') {
      chunks.push(current);
      current = l;
    } else current = next;
  }
  if (current !== '') chunks.push(current);
  return chunks.map((text) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) },
  }));
};

export const incidentList = (incidents: readonly Incident[], opts: IncidentListOptions): CommandReply => {
  const open = incidents.filter((i) => i.state !== 'resolved').sort(byUrgency);
  const total = Math.max(opts.total ?? open.length, open.length);
  if (total === 0) {
    const text = 'No open incidents :tada:';
    return {
      response_type: 'ephemeral',
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
    };
  }
  const lines = open.slice(0, LIST_BOUNDS.lines).map((i) => line(i, opts));
  const more = total - lines.length;
  const heading = `Open incidents (${total})`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: heading } },
    ...pack(lines),
    ...(more > 0
      ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: `… ${more} more` }] }]
      : []),
  ];
  return { response_type: 'ephemeral', text: heading, blocks };
};
