import type { Button, KnownBlock } from '@slack/types';
import type { Incident, Severity } from '../../core/incidents/model.js';
import type { PageTarget } from '../../core/incidents/paging.js';
import type { ThreadMessage } from './incident-thread.js';
import {
  cleanLines,
  escapeWithin,
  formatDuration,
  groupMention,
  severityLabel,
  userRef,
} from './incident-format.js';
import { LIMITS, truncate } from './text.js';

/**
 * The owner-and-paging and severity-and-notes pieces of the incident card, Home, `/auth0
 * incidents` and the thread (docs/on-call.md). Notes and reasons are typed by people: cleaned,
 * escaped and bounded like everything else we did not write.
 */

const TAKE_OVER_ACTION = 'incident-owner:takeover';
const SEVERITY_ACTION = 'incident-severity';
const NOTE_ACTION = 'incident-note';

const button = (text: string, actionId: string, value: string): Button => ({
  type: 'button',
  text: { type: 'plain_text', text },
  action_id: actionId,
  value,
});

/** The card's owner line, while someone owns an unresolved incident or a person set the severity. */
export const ownerContextBlocks = (incident: Incident): KnownBlock[] => {
  const parts = [
    ...(incident.owner !== null && incident.state !== 'resolved'
      ? [`:bust_in_silhouette: Owner: ${userRef(incident.owner)}`]
      : []),
    ...(incident.severitySetBy !== null ? [`severity set by ${userRef(incident.severitySetBy)}`] : []),
  ];
  if (parts.length === 0) return [];
  return [{ type: 'context', elements: [{ type: 'mrkdwn', text: parts.join('  ·  ') }] }];
};

/** Where Acknowledge was: *Take over*, once someone owns the incident. */
export const ownerSlotButtons = (incident: Incident): Button[] =>
  incident.state === 'acknowledged'
    ? [button('Take over', `${TAKE_OVER_ACTION}:${incident.id}`, incident.id)]
    : [];

/** After Resolve: *Severity* (operators, checked on the click) and *Add note* (anyone). */
export const severityNoteButtons = (incident: Incident): Button[] =>
  incident.state === 'resolved'
    ? []
    : [
        button('Severity', `${SEVERITY_ACTION}:${incident.id}`, incident.id),
        button('Add note', `${NOTE_ACTION}:${incident.id}`, incident.id),
      ];

/** Home and `/auth0 incidents`: who owns it, or that nobody does yet. */
export const ownerListText = (incident: Incident): string =>
  incident.state === 'acknowledged'
    ? `owner ${userRef(incident.owner ?? incident.acknowledgedBy)}`
    : '*unacknowledged*';

/** `<!subteam^S…>`, or each operator: who a reminder or an escalation pages. */
export const pageMention = (target: PageTarget | undefined): string | undefined => {
  if (target === undefined) return undefined;
  if (target.kind === 'group') return groupMention(target.id);
  if (target.kind === 'user') return userRef(target.id);
  return target.ids.length === 0 ? undefined : target.ids.map((id) => userRef(id)).join(' ');
};

const message = (text: string): ThreadMessage => {
  const bounded = truncate(text, LIMITS.sectionText);
  return { text: bounded, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: bounded } }] };
};

const quoted = (text: string, max: number): string =>
  escapeWithin(cleanLines(text), max)
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');

export const tookOverLine = (by: string, from: string | null): ThreadMessage =>
  message(
    from === null
      ? `:bust_in_silhouette: ${userRef(by)} took over.`
      : `:bust_in_silhouette: ${userRef(by)} took over from ${userRef(from)}.`,
  );

export const pagedLine = (
  by: string,
  target: PageTarget | undefined,
  note: string | undefined,
): ThreadMessage => {
  const who = pageMention(target);
  const head = `:rotating_light: Escalated by ${userRef(by)}${who === undefined ? '.' : ` to ${who}.`}`;
  return message(note === undefined ? head : `${head}\n${quoted(note, 600)}`);
};

const rank: Readonly<Record<Severity, number>> = { info: 0, low: 1, medium: 2, high: 3 };

export const severitySetLine = (
  by: string,
  from: Severity,
  to: Severity,
  reason: string | undefined,
): ThreadMessage => {
  const verb = rank[to] > rank[from] ? 'raised' : 'lowered';
  const why = reason === undefined ? '' : `\n${quoted(reason, 400)}`;
  return message(
    `Severity ${verb} from ${severityLabel(from)} to ${severityLabel(to)} by ${userRef(by)}.${why}`,
  );
};

export const noteLine = (by: string, text: string): ThreadMessage =>
  message(`:memo: Note from ${userRef(by)}:\n${quoted(text, 2_500)}`);

export const ownerReminderLine = (owner: string, minutes: number): ThreadMessage =>
  message(
    `:bell: ${userRef(owner)} this is still open and high, ${formatDuration(minutes * 60_000)} after it was acknowledged. Resolve it, or hand it over with *Take over*.`,
  );

/** The unacknowledged reminder when there is no group: each operator is mentioned. */
export const operatorsReminderLine = (operators: readonly string[], waited: string): ThreadMessage => {
  const who = pageMention({ kind: 'operators', ids: operators });
  return message(`${who === undefined ? '' : `${who} `}:bell: Still unacknowledged after ${waited}.`);
};
