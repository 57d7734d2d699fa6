import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits } from '@auth0-oncall/fakes/slack';
import type { DoctorReport, Finding } from '../../../../src/core/doctor/model.js';
import { doctorHomeBlocks, doctorReply } from '../../../../src/slack/blocks/doctor-blocks.js';

const at = new Date('2026-03-01T12:00:00Z');
const finding = (level: Finding['level'], check: string, over: Partial<Finding> = {}): Finding => ({
  check,
  level,
  what: `${check} says ${level}`,
  ...over,
});

describe('doctor blocks', () => {
  it('puts the broken findings first, with what they break and the fix', () => {
    const report: DoctorReport = {
      at,
      findings: [
        finding('ok', 'Clock'),
        finding('error', 'Auth0 scopes', {
          breaks: 'rotation fails with 403',
          fix: 'tick update:client_keys',
        }),
        finding('warn', 'Log Stream'),
      ],
    };
    const reply = doctorReply(report);
    expect(reply.text).toBe('auth0-oncall setup doctor: 1 broken, 1 warning, 1 fine.');
    const texts = reply.blocks.map((b) => JSON.stringify(b));
    expect(texts[2]).toContain('Auth0 scopes');
    expect(texts[2]).toContain('_Breaks:_ rotation fails with 403');
    expect(texts[2]).toContain('_Fix:_ tick update:client_keys');
    expect(texts[3]).toContain('Log Stream');
  });

  it('stays within Slack’s limits however many findings there are, and escapes what it quotes', () => {
    const many: DoctorReport = {
      at,
      findings: Array.from({ length: 80 }, (_, i) =>
        finding('error', `Rotation target <!channel>${i}`, { what: 'x'.repeat(5000) }),
      ),
    };
    const reply = doctorReply(many);
    expect(checkBlockKitLimits(reply.blocks, { surface: 'message' })).toEqual([]);
    expect(JSON.stringify(reply.blocks)).not.toContain('<!channel>');
    expect(JSON.stringify(reply.blocks)).toContain('33 more not shown');
  });

  it('shows only problems on the App Home, and how to see everything', () => {
    expect(JSON.stringify(doctorHomeBlocks(undefined))).toContain('Not run yet');
    const fine = doctorHomeBlocks({ at, findings: [finding('ok', 'Clock')] });
    expect(JSON.stringify(fine)).toContain('All 1 checks passed.');
    expect(JSON.stringify(fine)).not.toContain('Clock');
    const broken = JSON.stringify(
      doctorHomeBlocks({ at, findings: [finding('ok', 'Clock'), finding('error', 'Slack scopes')] }),
    );
    expect(broken).toContain('Slack scopes');
    expect(broken).toContain('/auth0 doctor');
  });
});
