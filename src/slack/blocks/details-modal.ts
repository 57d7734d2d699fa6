import type { KnownBlock, ModalView } from '@slack/types';
import type { Evidence } from '../../core/detection/model.js';
import type { Incident, IncidentStep } from '../../core/incidents/model.js';
import { fullEvidenceBlocks } from './incident-evidence.js';
import { clean, escapeWithin, severityLabel, signalName, slackDate, untrusted } from './incident-format.js';
import { runbookStepBlocks } from './runbook-modal.js';
import { LIMITS, truncate } from './text.js';

/**
 * The card's *Details* button: everything the compact card leaves out, the whole evidence, the
 * log search behind the dashboard link, and every runbook step whole. Read-only: steps run from
 * the card's buttons, which the runner audits and claims.
 */

export interface DetailsInput {
  readonly incident: Incident;
  readonly evidence: Evidence;
  readonly steps: readonly IncidentStep[];
  /** The Dashboard's log search (a URL) and its query, when the tenant's dashboard is known. */
  readonly logs: { readonly url: string; readonly query: string } | undefined;
}

const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) },
});

/** Blocks before the steps: at most 12; the modal holds 100, so 40 steps always fit. */
const MAX_STEPS = 40;

const headline = (incident: Incident, evidence: Evidence): KnownBlock => {
  const since =
    evidence.onset === undefined ? '' : `\nThe signal shows it since ${slackDate(evidence.onset)}.`;
  return section(
    `*${escapeWithin(clean(incident.title), 300)}*\n${severityLabel(incident.severity)}  ·  ` +
      `${signalName(incident.signal)}  ·  ${untrusted(incident.scope, 80)}  ·  opened ${slackDate(incident.openedAt)}${since}`,
  );
};

const logsBlock = (logs: DetailsInput['logs']): KnownBlock[] =>
  logs === undefined
    ? [
        section(
          '_No Auth0 Dashboard link: the tenant domain is not a `*.auth0.com` domain, so its region and name are unknown._',
        ),
      ]
    : [
        section(
          `*Auth0 log search* (<${logs.url}|open in the Dashboard>)\n\`${escapeWithin(logs.query === '' ? '(all logs)' : logs.query, 1500)}\``,
        ),
      ];

export const detailsModal = ({ incident, evidence, steps, logs }: DetailsInput): ModalView => ({
  type: 'modal',
  title: { type: 'plain_text', text: 'Incident details' },
  close: { type: 'plain_text', text: 'Close' },
  blocks: [
    headline(incident, evidence),
    ...fullEvidenceBlocks(incident, evidence),
    ...logsBlock(logs),
    { type: 'header', text: { type: 'plain_text', text: 'Runbook' } },
    ...runbookStepBlocks(steps, MAX_STEPS),
    ...(steps.length === 0 ? [section('The runbook is still being written.')] : []),
  ],
});
