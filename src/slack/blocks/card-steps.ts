import type { Button, KnownBlock } from '@slack/types';
import type { IncidentStep } from '../../core/incidents/model.js';
import { nextRetryKey } from '../../core/steps/step-key.js';
import { clean, cleanLines, escapeWithin, untrusted } from './incident-format.js';
import { LIMITS, truncate } from './text.js';

/**
 * The runbook on the compact card: the next step to take, with its button, and a button for every
 * other step that can be run now, so any step stays one click away (the card's buttons are the
 * only place a step runs from: docs/decisions/0001-sqlite-claims-for-exactly-once.md). Every step
 * whole is in the Details modal (details-modal.ts).
 */

const BOUNDS = { steps: 10, title: 100, body: 240, buttonTitle: 48, provider: 40 } as const;

const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [mrkdwn(text)] });

const stepStateText: Readonly<Record<IncidentStep['state'], string>> = {
  pending: '',
  running: '  :hourglass_flowing_sand: _running_',
  succeeded: '  :white_check_mark: _succeeded_',
  failed: '  :x: _failed — see the thread_',
};

/**
 * A destructive step's button is styled as danger but carries no client-side confirm dialog: the
 * runner opens a server-side confirmation modal, which (unlike a dialog) it can audit and enforce.
 */
const runButton = (step: IncidentStep, label: string): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: label },
  action_id: `step:${step.incidentId}:${step.stepId}`,
  value: step.stepId,
  ...(step.destructive ? { style: 'danger' as const } : {}),
});

/**
 * A failed action step is retried only through this button, which carries a new idempotency key
 * (docs/decisions/0001-sqlite-claims-for-exactly-once.md); the runner accepts it only while the
 * step's last run, under the previous key, failed.
 */
const retryButton = (step: IncidentStep, label: string): Button | undefined => {
  const key = nextRetryKey(step);
  if (key === undefined) return undefined;
  return {
    type: 'button',
    text: { type: 'plain_text', text: label },
    action_id: key,
    value: step.stepId,
    ...(step.destructive ? { style: 'danger' as const } : {}),
  };
};

type Verb = 'Run step' | 'Retry' | 'Run again';

const verbOf = (step: IncidentStep): Verb | undefined => {
  if (step.kind !== 'action') return undefined;
  if (step.state === 'pending') return 'Run step';
  if (step.state === 'failed') return 'Retry';
  // A check that only reads is worth running again after each fix; a change to the tenant is not.
  return step.state === 'succeeded' && !step.destructive ? 'Run again' : undefined;
};

/** The step's button; `named` puts the step's number and title on it (a row of several). */
const stepButton = (step: IncidentStep, n: number, named: boolean): Button | undefined => {
  const verb = verbOf(step);
  if (verb === undefined) return undefined;
  const name = `${verb === 'Run step' ? 'Run' : verb} ${String(n)}. ${truncate(clean(step.title), BOUNDS.buttonTitle)}`;
  const label = truncate(named ? name : verb, LIMITS.buttonText);
  return verb === 'Run step' ? runButton(step, label) : retryButton(step, label);
};

/**
 * The next step: the first action step not done yet (pending, failed or running). A runbook that
 * has no action step, or none run, starts with its first step, which is often "understand what is
 * failing".
 */
const nextStepOf = (ordered: readonly IncidentStep[]): IncidentStep | undefined =>
  ordered.find((s) => s.kind === 'action' && s.state !== 'succeeded') ??
  (ordered.every((s) => s.state === 'pending') ? ordered[0] : undefined);

const nextStepBlock = (step: IncidentStep, n: number, of: number, by: string, clickable: boolean) => {
  const title = escapeWithin(clean(step.title), BOUNDS.title);
  const text = cleanLines(step.body);
  const body = text === '' ? '' : `\n${escapeWithin(text, BOUNDS.body)}`;
  const button = clickable ? stepButton(step, n, false) : undefined;
  return {
    type: 'section' as const,
    text: mrkdwn(
      truncate(
        `:clipboard: *Next step* (${String(n)} of ${String(of)}${by})\n*${String(n)}. ${title}*${stepStateText[step.state]}${body}`,
        LIMITS.sectionText,
      ),
    ),
    ...(button ? { accessory: button } : {}),
  };
};

/** One line per step that has run (other than the next): what happened to it. */
const progressLine = (steps: readonly (readonly [IncidentStep, number])[]): KnownBlock[] => {
  const ran = steps.filter(([s]) => s.state !== 'pending').slice(0, BOUNDS.steps);
  if (ran.length === 0) return [];
  const lines = ran.map(
    ([s, n]) => `*${String(n)}. ${escapeWithin(clean(s.title), BOUNDS.title)}*${stepStateText[s.state]}`,
  );
  return [context(truncate(lines.join('\n'), LIMITS.sectionText))];
};

export interface CardRunbookInput {
  readonly steps: readonly IncidentStep[];
  readonly provider: string | null;
  /** False once resolved: nothing runs from a closed incident's card. */
  readonly clickable: boolean;
}

export const cardRunbookBlocks = ({ steps, provider, clickable }: CardRunbookInput): KnownBlock[] => {
  if (steps.length === 0) return [context(':hourglass_flowing_sand: *Runbook:* on its way')];
  const by =
    provider === null || provider === '' ? '' : `, runbook by ${untrusted(provider, BOUNDS.provider)}`;
  const ordered = [...steps].sort((a, b) => a.position - b.position);
  const numbered = ordered.map((s, i) => [s, i + 1] as const);
  const next = nextStepOf(ordered);
  const n = next === undefined ? 0 : ordered.indexOf(next) + 1;
  const others = numbered.filter(([s]) => s !== next);
  const buttons = clickable
    ? others
        .slice(0, BOUNDS.steps)
        .map(([s, i]) => stepButton(s, i, true))
        .filter((b) => b !== undefined)
    : [];
  return [
    ...(next === undefined
      ? [context(`:clipboard: Every runnable step has run${by}. *Details* shows the whole runbook.`)]
      : [nextStepBlock(next, n, ordered.length, by, clickable)]),
    ...progressLine(others),
    ...(buttons.length > 0 ? [{ type: 'actions' as const, elements: buttons }] : []),
  ];
};
