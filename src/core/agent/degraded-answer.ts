import type { Evidence } from '../detection/model.js';
import type { Incident, IncidentStep } from '../incidents/model.js';
import type { ProposedStep } from '../runbooks/model.js';
import { plural } from '../status/model.js';
import { plain } from './incident-facts.js';

/**
 * The answer without a model (none configured, or it failed or timed out): the evidence in
 * numbers and the runbook, said plainly to be the built-in one. Quoted values are stripped of
 * Slack markup so a log field cannot mention people or render links.
 */
export interface DegradedInput {
  readonly incident: Incident;
  readonly evidence: Evidence;
  readonly steps: readonly IncidentStep[];
  /** The built-in runbook for this incident, used when the card has no steps. */
  readonly builtin: readonly ProposedStep[];
  readonly reason: 'no_model' | 'model_failed' | 'timeout';
}

const REASONS: Record<DegradedInput['reason'], string> = {
  no_model: 'No language model is configured',
  model_failed: 'The language model is unavailable right now',
  timeout: 'The language model did not answer in time',
};

const evidenceLines = (e: Evidence): string[] => {
  const lines = [`• ${plural(e.failures, 'failure')} in the last ${e.window.minutes} min (${e.rate}/min)`];
  if (e.baseline !== undefined) lines.push(`• usual rate: ${e.baseline}/min`);
  const top = (label: string, items: Evidence['topIps']) => {
    const first = items?.slice(0, 3).map((i) => `${plain(i.value, 64)} (${i.count})`);
    if (first !== undefined && first.length > 0) lines.push(`• top ${label}: ${first.join(', ')}`);
  };
  top('clients', e.topClients);
  top('IPs', e.topIps);
  top('reasons', e.topReasons);
  const suspect = e.suspects[0];
  if (suspect !== undefined)
    lines.push(`• recent change: ${plain(suspect.what)} by ${plain(suspect.who, 64)}`);
  if (e.summary !== undefined) lines.push(`• ${plain(e.summary, 300)}`);
  return lines;
};

export const degradedAnswer = (input: DegradedInput): string => {
  const fromCard = input.steps.length > 0;
  const steps = fromCard
    ? input.steps.map((s) => ({ title: s.title, button: s.kind === 'action' }))
    : input.builtin.map((s) => ({ title: s.title, button: false }));
  return [
    `_${REASONS[input.reason]}, so this answer comes from the built-in runbook and the evidence only._`,
    `*${plain(input.incident.title, 200)}*`,
    ...evidenceLines(input.evidence),
    fromCard ? 'Steps on the card:' : 'Built-in runbook:',
    ...steps.map(
      (s, i) => `${i + 1}. ${plain(s.title)}${s.button ? ' (use its button on the card to run it)' : ''}`,
    ),
  ].join('\n');
};
