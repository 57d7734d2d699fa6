import type { KnownBlock, ModalView } from '@slack/types';
import type { Incident, IncidentStep } from '../../core/incidents/model.js';
import { clean, cleanLines, escapeWithin } from './incident-format.js';
import { LIMITS, truncate } from './text.js';

/**
 * The whole runbook of an incident, every step in full: the card shortens long steps to keep
 * within Slack's limits, and this modal (the card's *Full runbook* button) is where they are read.
 * Step text may come from a model, so it is cleaned and escaped like on the card.
 */

const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) },
});

/** A runbook step body is at most 1,500 characters; escaped it still fits one section. */
const BODY_LIMIT = LIMITS.sectionText - 200;

export const runbookModal = (incident: Incident, steps: readonly IncidentStep[]): ModalView => {
  // Two blocks a step within the modal's 100: runbooks have at most 12 steps, so this never cuts one.
  const ordered = [...steps].sort((a, b) => a.position - b.position).slice(0, 45);
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Runbook' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [
      section(`*${escapeWithin(clean(incident.title), 300)}*`),
      ...ordered.flatMap((step, i): KnownBlock[] => {
        const body = cleanLines(step.body);
        return [
          { type: 'divider' },
          section(
            `*${String(i + 1)}. ${escapeWithin(clean(step.title), 200)}*` +
              (body === '' ? '' : `\n${escapeWithin(body, BODY_LIMIT)}`),
          ),
        ];
      }),
      ...(ordered.length === 0 ? [section('The runbook is still being written.')] : []),
    ],
  };
};
