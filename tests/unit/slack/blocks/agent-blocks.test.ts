import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits } from '@auth0-oncall/fakes/slack';
import { agentAnswerMessage } from '../../../../src/slack/blocks/agent-blocks.js';

describe('agentAnswerMessage', () => {
  it('escapes a model answer so it cannot ping anyone, and labels where it came from', () => {
    const m = agentAnswerMessage({
      text: 'Done <!channel> <@U0ALL> & more',
      usedTools: ['recent_logs'],
      degraded: false,
    });
    const json = JSON.stringify(m);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<@U0ALL>');
    expect(m.text).toBe('Done &lt;!channel&gt; &lt;@U0ALL&gt; &amp; more');
    expect(json).toContain('looked at: recent_logs');
    expect(json).toContain('never runs steps');
  });

  it('says when it answered without a model, and stays within Block Kit limits for a huge answer', () => {
    const m = agentAnswerMessage({ text: 'x'.repeat(20_000), usedTools: [], degraded: true });
    expect(JSON.stringify(m.blocks)).toContain('without a model');
    expect(checkBlockKitLimits(m.blocks, { surface: 'message' })).toEqual([]);
    expect(m.text.length).toBeLessThanOrEqual(3000);
  });
});
