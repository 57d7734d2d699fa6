import type { KnownBlock, ModalView } from '@slack/types';
import type { Incident, IncidentStep } from '../../core/incidents/model.js';
import { clean, cleanLines, escapeWithin } from './incident-format.js';
import { LIMITS, truncate } from './text.js';

/**
 * The whole runbook of an incident, every step in full. Cards posted before the Details modal
 * (details-modal.ts) carry a *Full runbook* button, which still opens this; the Details modal
 * shows the same steps after the evidence.
 * Step text may come from a model, so it is cleaned and escaped like on the card.
 */

const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) },
});

/** A runbook step body is at most 1,500 characters; escaped it still fits one section. */
const BODY_LIMIT = LIMITS.sectionText - 200;

/** Every step whole, a divider before each: two blocks a step. */
export const runbookStepBlocks = (steps: readonly IncidentStep[], max: number): KnownBlock[] => {
  const ordered = [...steps].sort((a, b) => a.position - b.position).slice(0, max);
  return ordered.flatMap((step, i): KnownBlock[] => {
    const body = cleanLines(step.body);
    return [
      { type: 'divider' },
      section(
        `*${String(i + 1)}. ${escapeWithin(clean(step.title), 200)}*` +
          (body === '' ? '' : `\n${escapeWithin(body, BODY_LIMIT)}`),
      ),
    ];
  });
};

export const runbookModal = (incident: Incident, steps: readonly IncidentStep[]): ModalView => ({
  type: 'modal',
  title: { type: 'plain_text', text: 'Runbook' },
  close: { type: 'plain_text', text: 'Close' },
  blocks: [
    section(`*${escapeWithin(clean(incident.title), 300)}*`),
    // Two blocks a step within the modal's 100: runbooks have at most 12 steps, so this never cuts one.
    ...runbookStepBlocks(steps, 45),
    ...(steps.length === 0 ? [section('The runbook is still being written.')] : []),
  ],
});
