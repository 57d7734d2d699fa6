import type { webApi } from '@slack/bolt';
import type { PostmortemFiles } from '../core/postmortem/model.js';
import type { DependencyPolicy } from '../resilience/index.js';

/**
 * The postmortem as a file in the incident's thread, through WebClient.files.uploadV2
 * (files.getUploadURLExternal, the upload, files.completeUploadExternal with channel_id and
 * thread_ts). Needs the `files:write` scope. Not idempotent (a retry would share a second file),
 * so it runs once behind the Slack policy.
 */
export const createPostmortemFiles = (
  client: webApi.WebClient,
  policy: DependencyPolicy,
): PostmortemFiles => ({
  async upload(file) {
    await policy.execute(
      () =>
        client.files.uploadV2({
          channel_id: file.channel,
          thread_ts: file.threadTs,
          filename: file.filename,
          title: file.title,
          content: file.content,
          snippet_type: 'markdown',
          initial_comment: file.comment,
        }),
      { idempotent: false, operation: 'files.uploadV2' },
    );
  },
});
