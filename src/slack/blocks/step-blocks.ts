import type { KnownBlock, ModalView } from '@slack/types';
import type { Incident } from '../../core/incidents/model.js';
import type { ChatMessage } from '../../core/incidents/ports.js';
import type { ClickOutcome, StepRenderer, StepRunReport } from '../../core/steps/step-runner.js';
import {
  clean,
  cleanLines,
  escapeWithin,
  formatDuration,
  slackDate,
  untrusted,
  userRef,
} from './incident-format.js';
import { LIMITS, truncate } from './text.js';

/**
 * The step runner's Slack surface: the confirmation modal of a destructive step, its result line
 * in the incident thread, and the ephemeral explanations of refused clicks. Step titles and bodies
 * may come from a model, and results from a tenant, so all of it is cleaned, escaped and bounded.
 */

export const STEP_CONFIRM_CALLBACK = 'step_confirm';

const BOUNDS = { title: 150, body: 1_500, summary: 500, why: 300 } as const;

const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) },
});

/** The modal's title is at most 24 characters (a Block Kit limit). */
export const stepConfirmModal = (confirmation: {
  readonly key: string;
  readonly title: string;
  readonly text: string;
}): ModalView => {
  const body = cleanLines(confirmation.text);
  return {
    type: 'modal',
    callback_id: STEP_CONFIRM_CALLBACK,
    // The key only: the submission re-reads everything else from the server-side record.
    private_metadata: confirmation.key,
    notify_on_close: true,
    title: { type: 'plain_text', text: 'Run this step?' },
    submit: { type: 'plain_text', text: 'Run it' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`*${escapeWithin(clean(confirmation.title), BOUNDS.title) || 'Untitled step'}*`),
      ...(body === '' ? [] : [section(escapeWithin(body, BOUNDS.body))]),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: ':warning: This step changes the tenant and cannot simply be undone. It runs once, as you, and is audited.',
          },
        ],
      },
    ],
  };
};

const formatMs = (ms: number): string => {
  if (!Number.isFinite(ms) || ms < 0) return 'an unknown time';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return formatDuration(ms);
};

/** One line in the incident thread: what ran, who asked, how it went. */
export const stepResultLine = (report: StepRunReport): ChatMessage => {
  const ok = report.outcome === 'success';
  const title = escapeWithin(clean(report.title), BOUNDS.title) || 'A step';
  const summary = untrusted(report.summary, BOUNDS.summary);
  const how = ok ? 'succeeded' : 'failed';
  const after = report.recovered
    ? `settled after a restart (run by ${userRef(report.actor)})`
    : `run by ${userRef(report.actor)} in ${formatMs(report.durationMs)}`;
  const next = ok ? '' : ' Use *Retry* on the card to run it again.';
  const text = `${ok ? ':white_check_mark:' : ':x:'} *${title}* ${how}: ${summary} — ${after}.${next}`;
  const bounded = truncate(text, LIMITS.sectionText);
  return { text: bounded, blocks: [section(bounded)] };
};

export const slackStepRenderer: StepRenderer = {
  result: (report: StepRunReport, _incident: Incident) => stepResultLine(report),
};

/** What the clicker alone is told when a click did not start a run; undefined when it did. */
export const clickExplanation = (outcome: ClickOutcome): string | undefined => {
  switch (outcome.kind) {
    case 'started':
    case 'needs_confirmation':
      return undefined;
    case 'duplicate':
      return outcome.state === 'running'
        ? `:hourglass_flowing_sand: Already started by ${userRef(outcome.by)} ${slackDate(outcome.at)}; it is still running.`
        : `Already run by ${userRef(outcome.by)} ${slackDate(outcome.at)}: ${untrusted(outcome.result ?? outcome.state, BOUNDS.summary)}`;
    case 'denied':
    case 'invalid':
      return `:no_entry: ${untrusted(outcome.why, BOUNDS.why)}`;
    case 'not_found':
      return ':grey_question: That step no longer exists.';
  }
};

/** When a confirmation modal could not be opened (its trigger expired): nothing ran. */
export const confirmationFailedText =
  ':warning: I could not open the confirmation for that step, so nothing ran. Click the button again.';
