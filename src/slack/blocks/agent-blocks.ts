import type { KnownBlock } from '@slack/types';
import type { ThreadAnswer } from '../../core/agent/thread-agent.js';
import { escapeMrkdwn, LIMITS, truncate } from './text.js';

/**
 * The agent's answer as a thread message. A model's words are not ours: they are escaped so an
 * injected `<!channel>` or `<@U…>` cannot ping anyone, and bounded to Block Kit's limits.
 */
export const agentAnswerMessage = (answer: ThreadAnswer): { text: string; blocks: KnownBlock[] } => {
  const body = truncate(escapeMrkdwn(answer.text), LIMITS.sectionText);
  const tools =
    answer.usedTools.length > 0 ? ` · looked at: ${answer.usedTools.map(escapeMrkdwn).join(', ')}` : '';
  const source = answer.degraded
    ? 'Runbook agent (without a model: from the runbook and the evidence)'
    : 'Runbook agent';
  return {
    text: truncate(escapeMrkdwn(answer.text), 3000),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: body } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: truncate(
              `:robot_face: ${source}${tools} · it never runs steps: use the buttons on the card`,
              300,
            ),
          },
        ],
      },
    ],
  };
};
