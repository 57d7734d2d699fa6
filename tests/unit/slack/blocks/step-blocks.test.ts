import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits, checkViewLimits } from '@auth0-oncall/fakes/slack';
import type { StepRunReport } from '../../../../src/core/steps/step-runner.js';
import {
  clickExplanation,
  slackStepRenderer,
  stepConfirmModal,
  stepResultLine,
} from '../../../../src/slack/blocks/step-blocks.js';
import { allTexts, anIncident } from './incident-fixtures.js';

const report = (over: Partial<StepRunReport> = {}): StepRunReport => ({
  incidentId: 'inc-42',
  stepId: 'verify',
  key: 'step:inc-42:verify',
  title: 'Verify the client credentials',
  actor: 'U0OPERATOR',
  outcome: 'success',
  summary: 'token exchange succeeded',
  durationMs: 1_250,
  at: '2024-05-01T10:20:00.000Z',
  recovered: false,
  ...over,
});

describe('the step confirmation modal', () => {
  it('carries only the key, asks to be told when closed, and fits Slack’s limits', () => {
    const modal = stepConfirmModal({
      key: 'step:inc-42:rollback',
      title: 'Roll back to the previous secret',
      text: 'Restores AWSPREVIOUS.',
    });
    expect(modal).toMatchObject({
      type: 'modal',
      callback_id: 'step_confirm',
      private_metadata: 'step:inc-42:rollback',
      notify_on_close: true,
      submit: { text: 'Run it' },
      close: { text: 'Cancel' },
    });
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(checkViewLimits(modal)).toEqual([]);
    expect(allTexts(modal.blocks).join('\n')).toContain('*Roll back to the previous secret*');
  });

  it('escapes and bounds a model-written title and body', () => {
    const modal = stepConfirmModal({
      key: 'step:inc-42:x',
      title: `<!channel> ${'t'.repeat(500)}`,
      text: `<https://evil.example|click> ${'b'.repeat(5_000)}`,
    });
    const text = allTexts(modal.blocks).join('\n');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil');
    expect(checkViewLimits(modal)).toEqual([]);
  });
});

describe('the step result line', () => {
  it('says what ran, how it went, who asked and how long it took', () => {
    expect(stepResultLine(report()).text).toBe(
      ':white_check_mark: *Verify the client credentials* succeeded: token exchange succeeded — run by <@U0OPERATOR> in 1.3 s.',
    );
    expect(stepResultLine(report({ durationMs: 40 })).text).toContain('in 40 ms');
  });

  it('points a failure at the Retry button, and marks a run settled after a restart', () => {
    const failed = stepResultLine(report({ outcome: 'failure', summary: 'invalid_client' })).text;
    expect(failed).toMatch(/^:x: .* failed: invalid_client .* Use \*Retry\*/);
    expect(stepResultLine(report({ recovered: true })).text).toContain('settled after a restart');
  });

  it('escapes a hostile summary and stays within limits', () => {
    const line = slackStepRenderer.result(report({ summary: `<!here> ${'x'.repeat(9_000)}` }), anIncident());
    expect(line.text).not.toContain('<!here>');
    expect(checkBlockKitLimits(line.blocks, { surface: 'message' })).toEqual([]);
  });
});

describe('explaining a click to the clicker', () => {
  it('tells a later clicker who ran the step, when, and with what result', () => {
    const text = clickExplanation({
      kind: 'duplicate',
      key: 'step:inc-42:verify',
      by: 'U0OPERATOR',
      at: '2024-05-01T10:20:00.000Z',
      state: 'succeeded',
      result: 'token exchange succeeded',
    });
    expect(text).toMatch(/^Already run by <@U0OPERATOR> <!date\^1714558800\^.*>: token exchange succeeded$/);
  });

  it('says a step is still running, explains refusals, and says nothing when the run started', () => {
    const running = clickExplanation({
      kind: 'duplicate',
      key: 'k',
      by: 'U0OPERATOR',
      at: '2024-05-01T10:20:00.000Z',
      state: 'running',
      result: null,
    });
    expect(running).toContain('still running');
    expect(clickExplanation({ kind: 'denied', why: 'Only operators can run runbook steps.' })).toBe(
      ':no_entry: Only operators can run runbook steps.',
    );
    expect(clickExplanation({ kind: 'invalid', why: '<!channel>' })).not.toContain('<!channel>');
    expect(clickExplanation({ kind: 'not_found' })).toContain('no longer exists');
    expect(clickExplanation({ kind: 'started', key: 'k', title: 't' })).toBeUndefined();
  });
});
