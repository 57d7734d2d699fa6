import type { KnownBlock } from '@slack/types';
import type { Suspect } from '../../core/detection/model.js';
import type { Severity } from '../../core/incidents/model.js';
import {
  between,
  formatDuration,
  groupMention,
  severityLabel,
  suspectLine,
  untrusted,
  userRef,
} from './incident-format.js';
import { LIMITS, truncate } from './text.js';

/**
 * Short lines posted in an incident's thread as it changes. Each is one mrkdwn section plus the
 * same text as the notification fallback; the escalation group is mentioned only when configured.
 */

export interface ThreadMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

type When = string | Date;

const message = (text: string): ThreadMessage => {
  const bounded = truncate(text, LIMITS.sectionText);
  return { text: bounded, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: bounded } }] };
};

const withGroup = (text: string, group: string | null | undefined): string => {
  const mention = groupMention(group);
  return mention === undefined ? text : `${mention} ${text}`;
};

export const severityChangedLine = (change: {
  readonly from: Severity;
  readonly to: Severity;
  /** Why, e.g. "token failures followed the key rotation". */
  readonly why?: string;
}): ThreadMessage => {
  const why = change.why === undefined || change.why.trim() === '' ? '' : `: ${untrusted(change.why, 300)}`;
  return message(`Severity changed ${severityLabel(change.from)} → ${severityLabel(change.to)}${why}`);
};

export const newSuspectLine = (suspect: Suspect): ThreadMessage =>
  message(`:mag: New possible cause: ${suspectLine(suspect)}`);

export const acknowledgedLine = (ack: {
  readonly by: string;
  readonly openedAt: When;
  readonly at: When;
}): ThreadMessage =>
  message(
    `:eyes: Acknowledged by ${userRef(ack.by)} ${formatDuration(between(ack.openedAt, ack.at))} after it opened.`,
  );

export const escalatedLine = (escalation: {
  readonly by: string;
  /** `SLACK_ESCALATION_GROUP`, when configured. */
  readonly escalationGroup?: string | null;
}): ThreadMessage =>
  message(withGroup(`:rotating_light: Escalated by ${userRef(escalation.by)}.`, escalation.escalationGroup));

export const resolvedLine = (resolution: {
  readonly by: string | null;
  readonly resolution: 'manual' | 'auto';
  readonly openedAt: When;
  readonly at: When;
  /** For auto-resolution: why it is over, e.g. "below threshold for 15 min". */
  readonly reason?: string;
}): ThreadMessage => {
  const mttr = formatDuration(between(resolution.openedAt, resolution.at));
  if (resolution.resolution === 'manual') {
    return message(`:white_check_mark: Resolved by ${userRef(resolution.by)} after ${mttr}.`);
  }
  const reason =
    resolution.reason === undefined || resolution.reason.trim() === ''
      ? 'below threshold for the quiet period'
      : untrusted(resolution.reason, 200);
  return message(`:white_check_mark: Recovered: ${reason}. Auto-resolved after ${mttr}.`);
};

export const reminderLine = (reminder: {
  readonly openedAt: When;
  readonly now: When;
  /** Mentioned when given: the reminder escalates to this group. */
  readonly escalationGroup?: string | null;
}): ThreadMessage => {
  const waited = formatDuration(between(reminder.openedAt, reminder.now));
  return message(withGroup(`:bell: Still unacknowledged after ${waited}.`, reminder.escalationGroup));
};

export const auth0ReachableLine = (recovery: {
  /** Which API, e.g. "the Auth0 Management API". */
  readonly dependency?: string;
  readonly since: When;
  readonly now: When;
}): ThreadMessage => {
  const what = untrusted(recovery.dependency ?? 'the Auth0 Management API', 80);
  const down = formatDuration(between(recovery.since, recovery.now));
  return message(`:large_green_circle: The bot can reach ${what} again, after ${down} without it.`);
};
