import type { Decision, Evidence } from '../model.js';
import { recover } from '../decision-builders.js';
import { topLists } from '../evidence.js';
import { minuteIndex, minuteStart } from '../minutes.js';
import type { LogDigest } from '../rules.js';
import { plural } from '../titles.js';

/**
 * Deprecation notices (`depnote`): Auth0 saying the tenant still uses something it will remove.
 * Nothing is broken yet, so this is never a page: one low-severity digest card per UTC day
 * (scope `day:<YYYY-MM-DD>`), opened by the first notice of the day, updated by every later one,
 * resolved when the day is over. Low incidents get no reminders and no escalation
 * (core/incidents/reminders.ts), and severity only goes up through a decision, which this never makes.
 */

const SIGNAL = 'deprecation_notices';
/** Notices read per evaluation: far more than any tenant's distinct deprecated features in a day. */
const READ_LIMIT = 1000;

const dayScope = (day: string): string => `day:${day}`;

const evidenceOf = (
  events: Parameters<typeof topLists>[0],
  dayStart: string,
  now: Date,
  t: Parameters<typeof topLists>[1],
): Evidence => {
  const minutes = Math.max(1, Math.ceil((now.getTime() - Date.parse(dayStart)) / 60_000));
  const features = topLists(events, t).topReasons ?? [];
  return {
    window: { from: dayStart, to: now.toISOString(), minutes },
    failures: events.length,
    rate: events.length / minutes,
    ...topLists(events, t),
    suspects: [],
    summary:
      `Auth0 logged ${plural(events.length, 'deprecation notice')} today about ` +
      `${plural(features.length, 'feature')} this tenant still uses. Nothing is broken yet: plan the ` +
      'migration before the removal date in the linked documentation. One digest a day; it never pages.',
  };
};

export const deprecationDigest: LogDigest = ({ logs, now, open, t }) => {
  const day = now.toISOString().slice(0, 10);
  const scope = dayScope(day);
  const decisions: Decision[] = open
    .filter((o) => o.signal === SIGNAL && o.scope !== scope)
    .map((o) => recover(SIGNAL, o.scope, 'the day is over: a new digest opens if notices continue'));
  const dayStart = `${day}T00:00:00.000Z`;
  const events = logs.recent({ signal: 'deprecation_notice', since: dayStart, limit: READ_LIMIT });
  const windowStart = minuteStart(minuteIndex(now) - t.windowMinutes + 1);
  // Like every rule, only news in the window speaks: an open digest is not re-rendered every tick.
  if (!events.some((e) => e.date >= windowStart)) return decisions;
  const evidence = evidenceOf(events, dayStart, now, t);
  const features = (evidence.topReasons ?? []).map((r) => r.value);
  const about =
    features.length === 0
      ? ''
      : ` about ${features.slice(0, 2).join(', ')}${features.length > 2 ? ` and ${features.length - 2} more` : ''}`;
  const isOpen = open.some((o) => o.signal === SIGNAL && o.scope === scope);
  decisions.push({
    kind: isOpen ? 'update' : 'open',
    signal: SIGNAL,
    scope,
    severity: 'low',
    title: `Deprecation digest for ${day}: ${plural(events.length, 'notice')}${about}`,
    evidence,
  });
  return decisions;
};
