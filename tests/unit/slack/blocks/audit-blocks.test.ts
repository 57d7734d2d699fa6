import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits } from '@auth0-oncall/fakes/slack';
import type { AuditEntry } from '../../../../src/core/audit/ports.js';
import { auditReply } from '../../../../src/slack/blocks/audit-blocks.js';
import { allTexts } from './incident-fixtures.js';

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  id: 1,
  at: '2024-05-01T10:20:00.000Z',
  actor: 'U0OPERATOR',
  action: 'step.run',
  outcome: 'success',
  summary: 'applied to billing-worker',
  incidentId: 'inc-42',
  stepId: 'verify',
  idempotencyKey: 'step:inc-42:verify',
  durationMs: 12,
  detail: {},
  ...over,
});

const textOf = (reply: ReturnType<typeof auditReply>) => allTexts(reply.blocks).join('\n');

describe('the /auth0 audit reply', () => {
  it('shows actor, action, outcome, incident, step, time and summary, in the order given (newest first)', () => {
    const reply = auditReply({
      ok: true,
      entries: [
        entry({ id: 2 }),
        entry({
          id: 1,
          action: 'step.click',
          outcome: 'denied',
          actor: 'U0VIEWER',
          summary: 'not an operator',
        }),
      ],
    });
    expect(reply.response_type).toBe('ephemeral');
    const text = textOf(reply);
    expect(text).toContain('the latest 2 entries');
    const [newest, older] = text.split('\n').filter((l) => l.includes('<!date^'));
    expect(newest).toMatch(
      /<!date\^1714558800\^.*> · <@U0OPERATOR> · `step.run` · .*\*success\* · `inc-42` \/ `verify` — applied to billing-worker/,
    );
    expect(older).toMatch(/<@U0VIEWER> · `step.click` · .*\*denied\*.* — not an operator/);
  });

  it('keeps 50 long, hostile entries within Block Kit limits and says when some did not fit', () => {
    const hostile = Array.from({ length: 50 }, (_, i) =>
      entry({
        id: i,
        actor: `attacker <!channel> ${'a'.repeat(100)}`,
        action: `x.${'y'.repeat(90)}`,
        summary: `<!here> \`${'s'.repeat(1_000)}`,
        incidentId: 'i'.repeat(64),
        stepId: 's`'.repeat(32),
      }),
    );
    const reply = auditReply({ ok: true, entries: hostile });
    expect(checkBlockKitLimits(reply.blocks, { surface: 'message' })).toEqual([]);
    const text = textOf(reply);
    expect(text.length).toBeLessThan(12_000);
    expect(text).not.toMatch(/<!channel>|<!here>/);
    const shown = text.split('\n').filter((l) => l.includes('<!date^')).length;
    expect(shown + Number(/… (\d+) more did not fit/.exec(text)?.[1] ?? 0)).toBe(50);
  });

  it('fits 50 ordinary entries whole', () => {
    const reply = auditReply({ ok: true, entries: Array.from({ length: 50 }, (_, i) => entry({ id: i })) });
    expect(textOf(reply)).toContain('the latest 50 entries');
    expect(textOf(reply)).not.toContain('did not fit');
    expect(checkBlockKitLimits(reply.blocks, { surface: 'message' })).toEqual([]);
  });

  it('explains a refusal and an empty log', () => {
    expect(
      auditReply({ ok: false, reason: 'denied', why: 'Only operators can read the audit log.' }).text,
    ).toBe(':no_entry: Only operators can read the audit log.');
    expect(auditReply({ ok: true, entries: [] }).text).toBe('The audit log is empty.');
  });
});
