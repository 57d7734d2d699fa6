import type { PostmortemWriter } from '../core/postmortem/model.js';
import { createPostmortems } from '../core/postmortem/postmortem.js';
import type { CommandReply } from '../slack/blocks/help-blocks.js';
import { postmortemReply } from '../slack/blocks/postmortem-blocks.js';
import { createPostmortemFiles } from '../slack/postmortem-files.js';
import type { Platform } from './platform.js';

/** `/auth0 postmortem <id>`: the facts from the stores, the narrative from the models or the template. */
export const wirePostmortem = (
  platform: Platform,
  deps: { readonly writers: readonly PostmortemWriter[] },
): ((user: string, incident: string) => Promise<CommandReply>) => {
  const { logger } = platform;
  const postmortems = createPostmortems({
    incidents: platform.stores.incidents,
    audit: platform.stores.audit,
    logs: platform.stores.logs,
    writers: deps.writers,
    files: createPostmortemFiles(platform.slackClient, platform.slackPolicy),
    now: platform.now,
    onFallback: (writer, reason) => {
      logger.warn(
        { event: 'postmortem.fallback', writer, reason },
        `postmortem writer ${writer} failed; next`,
      );
    },
  });
  return async (user, incident) => postmortemReply(await postmortems.write(user, incident));
};
