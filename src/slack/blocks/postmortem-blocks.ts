import type { PostmortemResult } from '../../core/postmortem/postmortem.js';
import type { CommandReply } from './help-blocks.js';
import { untrusted } from './incident-format.js';

/** The answer to `/auth0 postmortem <id>`, seen only by who asked. */
export const postmortemReply = (result: PostmortemResult): CommandReply => {
  const text = (() => {
    switch (result.kind) {
      case 'posted':
        return `:page_facing_up: The postmortem of \`${result.incidentId}\` is in the incident's thread (written by ${result.writtenBy}).`;
      case 'not_found':
        return `:grey_question: There is no incident \`${untrusted(result.id, 64)}\`. Use the id shown at the bottom of its card, e.g. \`/auth0 postmortem inc_…\`.`;
      case 'no_thread':
        return `:warning: \`${result.incidentId}\` has no card in Slack yet, so there is no thread to post the postmortem in. Try again once the card is posted.`;
      case 'in_progress':
        return `:hourglass_flowing_sand: A postmortem of \`${result.incidentId}\` is already being written; it will appear in the incident's thread.`;
      case 'failed':
        return `:x: The postmortem of \`${result.incidentId}\` could not be posted: ${untrusted(result.reason, 300)}`;
    }
  })();
  return { response_type: 'ephemeral', text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
};
