import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { Incident, Severity } from '../../core/incidents/model.js';
import { NOTE_MAX } from '../../core/incidents/note-text.js';
import type { PageTarget } from '../../core/incidents/paging.js';
import { clean, escapeWithin, severityLabel } from './incident-format.js';
import { pageMention } from './incident-owner-blocks.js';

/**
 * The small modals behind Escalate, Severity and Add note. Each carries the incident's ID in
 * `private_metadata`; the submission listener parses it again and treats anything else as forged.
 */

export const ESCALATE_VIEW = 'incident-owner:escalate';
export const SEVERITY_VIEW = 'incident-severity:set';
export const NOTE_VIEW = 'incident-note:add';

/** Block and action IDs of the inputs, as the submission reads them back. */
export const INPUTS = {
  person: { block: 'person', action: 'user' },
  group: { block: 'group', action: 'group' },
  escalationNote: { block: 'note', action: 'note' },
  severity: { block: 'severity', action: 'severity' },
  reason: { block: 'reason', action: 'reason' },
  note: { block: 'note', action: 'note' },
} as const;

const plain = (text: string) => ({ type: 'plain_text' as const, text });

const heading = (incident: Incident, extra: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: `*${escapeWithin(clean(incident.title), 300)}*\n${extra}` },
});

const metadata = (incident: Incident): string => JSON.stringify({ incidentId: incident.id });

const textInput = (
  id: { block: string; action: string },
  label: string,
  opts: { multiline?: boolean; max: number; optional: boolean; placeholder?: string },
): KnownBlock => ({
  type: 'input',
  block_id: id.block,
  optional: opts.optional,
  label: plain(label),
  element: {
    type: 'plain_text_input',
    action_id: id.action,
    multiline: opts.multiline ?? false,
    max_length: opts.max,
    ...(opts.placeholder === undefined ? {} : { placeholder: plain(opts.placeholder) }),
  },
});

export const escalationModal = (incident: Incident, fallback: PageTarget | undefined): ModalView => {
  const who = pageMention(fallback);
  return {
    type: 'modal',
    callback_id: ESCALATE_VIEW,
    private_metadata: metadata(incident),
    title: plain('Escalate'),
    submit: plain('Escalate'),
    close: plain('Cancel'),
    blocks: [
      heading(
        incident,
        who === undefined
          ? 'Name a person or a user group to page in the thread.'
          : `Name a person or a user group to page in the thread; with nobody named, ${who} is paged.`,
      ),
      {
        type: 'input',
        block_id: INPUTS.person.block,
        optional: true,
        label: plain('Person'),
        element: {
          type: 'users_select',
          action_id: INPUTS.person.action,
          placeholder: plain('Choose someone'),
        },
      },
      textInput(INPUTS.group, 'Or a user group', {
        max: 120,
        optional: true,
        placeholder: 'S0123ABCD, or paste its mention',
      }),
      textInput(INPUTS.escalationNote, 'Note', { multiline: true, max: 500, optional: true }),
    ],
  };
};

const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low', 'info'];
const word: Readonly<Record<Severity, string>> = { high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };
const option = (s: Severity): PlainTextOption => ({ text: plain(word[s]), value: s });

export const severityModal = (incident: Incident): ModalView => ({
  type: 'modal',
  callback_id: SEVERITY_VIEW,
  private_metadata: metadata(incident),
  title: plain('Change severity'),
  submit: plain('Change'),
  close: plain('Cancel'),
  blocks: [
    heading(
      incident,
      `Now ${severityLabel(incident.severity)}. Detection never lowers it, and raises it again only if the problem gets worse than it has been.`,
    ),
    {
      type: 'input',
      block_id: INPUTS.severity.block,
      label: plain('Severity'),
      element: {
        type: 'static_select',
        action_id: INPUTS.severity.action,
        options: SEVERITIES.map(option),
        initial_option: option(incident.severity),
      },
    },
    textInput(INPUTS.reason, 'Why', { max: 300, optional: true }),
  ],
});

export const noteModal = (incident: Incident): ModalView => ({
  type: 'modal',
  callback_id: NOTE_VIEW,
  private_metadata: metadata(incident),
  title: plain('Add note'),
  submit: plain('Add'),
  close: plain('Cancel'),
  blocks: [
    heading(incident, 'The note goes to the timeline and the thread.'),
    textInput(INPUTS.note, 'Note', { multiline: true, max: NOTE_MAX, optional: false }),
  ],
});
