import { describe, expect, it } from 'vitest';
import { actionSpecs, createActionCatalog } from '../../../../src/core/actions/catalog.js';
import { isActionName } from '../../../../src/core/runbooks/model.js';
import {
  proposedRunbookSchema,
  proposedStep,
  RUNBOOK_LIMITS,
  runbookEnvelope,
} from '../../../../src/core/runbooks/runbook-schema.js';
import { refusingCatalogDeps } from '../../../helpers/refusing-catalog-deps.js';
import { PARAM_SAMPLES } from '../actions/param-samples.js';

describe('the runbook a model is asked for, and how the chain reads an answer', () => {
  const catalog = createActionCatalog(refusingCatalogDeps());
  const specs = actionSpecs(catalog);
  const strict = proposedRunbookSchema(specs);
  const { maxTitle, maxBody, maxSteps } = RUNBOOK_LIMITS;

  /** Every step the loose reading keeps: a well-formed step, a catalog action, parameters that bind. */
  const chainKeepsWhole = (raw: unknown): boolean => {
    const envelope = runbookEnvelope.safeParse(raw);
    if (!envelope.success) return false;
    return envelope.data.steps.every((candidate) => {
      const step = proposedStep.safeParse(candidate);
      if (!step.success) return false;
      if (step.data.kind === 'guidance') return true;
      const entry = isActionName(step.data.action) ? catalog.get(step.data.action) : undefined;
      return entry?.bind(step.data.params).ok === true;
    });
  };

  const guidance = { kind: 'guidance', title: 'Check the secret', body: 'Look at the suspects.' };
  const actionSteps = specs.flatMap((spec) =>
    PARAM_SAMPLES[spec.name].valid.map((params) => ({
      kind: 'action',
      title: ` Run ${spec.name} `,
      body: '',
      action: spec.name,
      params,
    })),
  );
  const accepted = [
    { steps: [guidance] },
    { steps: Array.from({ length: maxSteps }, () => guidance) },
    { steps: [{ ...guidance, title: 't'.repeat(maxTitle), body: 'b'.repeat(maxBody) }] },
    { steps: [{ ...guidance, title: '𝒳'.repeat(maxTitle) }] },
    ...actionSteps.map((step) => ({ steps: [guidance, step] })),
  ];

  it('keeps every step of every runbook the tool schema accepts', () => {
    for (const runbook of accepted) {
      expect(strict.safeParse(runbook).success, JSON.stringify(runbook)).toBe(true);
      expect(chainKeepsWhole(runbook), JSON.stringify(runbook)).toBe(true);
    }
  });

  it('is looser than the tool schema on purpose: extra keys, and params left out of a parameterless action', () => {
    const tolerated = [
      { steps: [{ ...guidance, note: 'extra' }] },
      { steps: [{ kind: 'action', title: 'Re-check', body: '', action: 'recheck_signal' }] },
      { steps: [guidance], comment: 'extra' },
    ];
    for (const runbook of tolerated) {
      expect(strict.safeParse(runbook).success, JSON.stringify(runbook)).toBe(false);
      expect(chainKeepsWhole(runbook), JSON.stringify(runbook)).toBe(true);
    }
  });

  it('trims what it keeps, and refuses blank titles and guidance', () => {
    const step = proposedStep.parse({
      kind: 'action',
      title: '  Verify  ',
      body: ' b ',
      action: 'x',
      params: {},
    });
    expect(step).toMatchObject({ title: 'Verify', body: 'b' });
    expect(proposedStep.safeParse({ ...guidance, title: '   ' }).success).toBe(false);
    expect(proposedStep.safeParse({ ...guidance, body: '\n ' }).success).toBe(false);
  });
});
