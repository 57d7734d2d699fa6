import { formatDuration, plural } from '../status/model.js';
import type { CountedItem, PostmortemDraft, PostmortemFacts } from './model.js';

/**
 * The postmortem as Markdown: the facts rendered by us, the narrative from a draft (a model's,
 * validated, or the built-in one below). Every value that came from the tenant or a person is
 * flattened to one line and its Markdown escaped, so a log field cannot add headings, links or
 * mentions to the file.
 */

// Controls, bidi overrides and zero-width characters: log fields are attacker-controlled.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+/g;

/** One line of untrusted text, Markdown-inert and bounded. */
const mdText = (value: string, max = 300): string => {
  const flat = value.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  const cut =
    Array.from(flat).length > max
      ? `${Array.from(flat)
          .slice(0, max - 1)
          .join('')}…`
      : flat;
  // Inline markup anywhere; block markup (headings, lists, quotes) only where a line starts.
  return cut.replace(/[\\`*_{}[\]|<>~]/g, (c) => `\\${c}`).replace(/^([#+-]|\d+\.)/, (c) => `\\${c}`);
};

/** Several paragraphs of a draft: each line made inert the same way. */
const mdParagraphs = (value: string, max: number): string =>
  value
    .slice(0, max)
    .split(/\n+/)
    .map((line) => mdText(line, max))
    .filter((line) => line !== '')
    .join('\n\n');

const utc = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
const signalWords = (s: string): string => s.replaceAll('_', ' ');

const countedList = (items: readonly CountedItem[]): string =>
  items.map((i) => `${mdText(i.name, 80)} (${i.count})`).join(', ');

const causeFacts = (facts: PostmortemFacts): string => {
  const { cause } = facts.summary;
  if (cause.kind === 'named') return mdText(cause.text, 300);
  if (cause.kind === 'unknown') return 'No cause was named: no tenant change or correlation was found.';
  return `Possible causes seen before it began: ${cause.suspects
    .map((s) => `${mdText(s.what, 120)} by ${mdText(s.who, 60)} at ${utc(s.at)}`)
    .join('; ')}.`;
};

/** The built-in narrative, from the facts alone (used without a model, or when its draft is junk). */
export const templateDraft = (facts: PostmortemFacts): PostmortemDraft => {
  const s = facts.summary;
  const impact = facts.impact;
  const impactLine =
    impact === undefined
      ? ''
      : ` ${plural(impact.total, 'failure')} ${impact.clientCount > 0 ? `across ${plural(impact.clientCount, 'client')}` : ''} were counted.`;
  const steps = s.steps;
  const ok = steps.filter((x) => x.outcome === 'succeeded').length;
  return {
    summary:
      `${facts.incident.title} (severity ${facts.incident.severity}) ` +
      (facts.incident.resolved
        ? `lasted ${formatDuration(s.durationMs)} from its onset and was resolved ${s.resolution === 'auto' ? 'automatically when the signal stayed quiet' : 'by hand'}.`
        : `has been going on for ${formatDuration(s.durationMs)} and is not resolved yet.`) +
      impactLine,
    cause:
      s.cause.kind === 'named'
        ? s.cause.text
        : s.cause.kind === 'suspects'
          ? 'Not confirmed. The changes listed under Cause happened shortly before the failures began and are the first place to look.'
          : 'Not confirmed. No tenant change or key rotation preceded it; the top reasons Auth0 logged are the best lead.',
    whatWasDone:
      steps.length === 0
        ? 'No runbook step was run from the card.'
        : `${plural(steps.length, 'runbook step')} ran from the card: ${ok} succeeded, ${steps.length - ok} failed (see the timeline).`,
    followUps: [
      'Confirm the cause and record it on this document.',
      s.mttaMs === null
        ? 'Nobody acknowledged the incident: check the paging and escalation settings.'
        : 'Review whether the alert threshold and severity were right for this incident.',
      'Add or adjust a runbook step if a manual action was needed.',
    ],
  };
};

const impactSection = (facts: PostmortemFacts): string[] => {
  const impact = facts.impact;
  if (impact === undefined)
    return ['This signal is not counted from the tenant logs: no failure counts are available.'];
  const atLeast = impact.sampled ? 'at least ' : '';
  return [
    `From ${utc(impact.from)} to ${utc(impact.to)} (not counting the bot's own traffic):`,
    '',
    ...(impact.bySignal.length === 0
      ? ['- No failures were stored for this span.']
      : impact.bySignal.map((c) => `- ${signalWords(c.name)}: ${c.count}`)),
    `- Clients affected: ${atLeast}${impact.clientCount}${impact.clients.length > 0 ? ` — ${countedList(impact.clients)}` : ''}`,
    `- Users affected: ${atLeast}${impact.userCount}`,
    `- Source IPs: ${atLeast}${impact.ipCount}`,
    ...(facts.reasons.length > 0 ? [`- Top reasons: ${countedList(facts.reasons)}`] : []),
  ];
};

/** The whole file. `writtenBy` names the model, or `the built-in template`. */
export const renderPostmortem = (
  facts: PostmortemFacts,
  draft: PostmortemDraft,
  writtenBy: string,
): string => {
  const s = facts.summary;
  const i = facts.incident;
  const lines = [
    `# Postmortem: ${mdText(i.title, 150)}`,
    '',
    `Incident \`${i.id}\` · ${signalWords(i.signal)} · scope ${mdText(i.scope, 80)} · severity ${i.severity} · ${i.resolved ? 'resolved' : '**not resolved yet** (written while it is still open)'}`,
    '',
    `_Written ${utc(facts.generatedAt)} by ${writtenBy}. Timeline and numbers come from the bot's records; the narrative is a draft to review._`,
    '',
    '## Summary',
    '',
    mdParagraphs(draft.summary, 1_500),
    '',
    `- Onset: ${utc(s.onset)}${s.onsetFromSignal ? '' : ' (when the card opened; no earlier failure was found)'}`,
    `- Detected: ${utc(s.openedAt)}`,
    `- Acknowledged: ${s.acknowledged === null ? 'never' : `${mdText(s.acknowledged.by, 60)} at ${utc(s.acknowledged.at)}`}`,
    `- ${i.resolved ? 'Resolved' : 'Still open at'}: ${utc(s.resolvedAt)}${i.resolved ? (s.resolution === 'auto' ? ' (automatically)' : ` by ${mdText(s.resolvedBy ?? 'unknown', 60)}`) : ''}`,
    `- Duration: ${formatDuration(s.durationMs)} · time to acknowledge: ${s.mttaMs === null ? '—' : formatDuration(s.mttaMs)} · time to resolve: ${formatDuration(s.mttrMs)}`,
    '',
    '## Timeline (UTC)',
    '',
    ...facts.timeline.map((e) => `- ${utc(e.at)} — ${mdText(e.what, 300)}`),
    ...(facts.timelineOmitted > 0
      ? [
          `- … ${plural(facts.timelineOmitted, 'more entry', 'more entries')} in the audit log (\`/auth0 audit\`)`,
        ]
      : []),
    '',
    '## Impact',
    '',
    ...impactSection(facts),
    '',
    '## Cause',
    '',
    causeFacts(facts),
    '',
    mdParagraphs(draft.cause, 1_500),
    '',
    '## What was done',
    '',
    ...(s.steps.length === 0
      ? []
      : [
          ...s.steps.map(
            (x) =>
              `- ${utc(x.at)} ${x.outcome === 'succeeded' ? '✅' : '❌'} ${mdText(x.title, 120)} (${mdText(x.by, 60)})${x.result === '' ? '' : ` — ${mdText(x.result, 200)}`}`,
          ),
          '',
        ]),
    mdParagraphs(draft.whatWasDone, 2_000),
    '',
    '## Follow-ups',
    '',
    ...draft.followUps.map((f) => `- [ ] ${mdText(f, 300)}`),
    '',
  ];
  return lines.join('\n');
};
