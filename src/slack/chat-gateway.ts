import type { webApi } from '@slack/bolt';
import type { Block, KnownBlock } from '@slack/types';
import type { ChatMessage, IncidentChat } from '../core/incidents/ports.js';
import type { DependencyPolicy } from '../resilience/index.js';

type Blocks = (KnownBlock | Block)[];

/**
 * The one place the app writes to Slack channels, behind the Slack policy. chat.postMessage is not
 * idempotent (a retry posts twice), so it runs once; chat.update and ephemerals may be retried.
 * The WebClient must have its own retries off (retries: 0, rejectRateLimitedCalls).
 */
export const createChatGateway = (client: webApi.WebClient, policy: DependencyPolicy): IncidentChat => ({
  async post(channel, message, threadTs) {
    const res = await policy.execute(
      () =>
        client.chat.postMessage({
          channel,
          text: message.text,
          ...blocksOf(message),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          unfurl_links: false,
          unfurl_media: false,
        }),
      { idempotent: false, operation: 'chat.postMessage' },
    );
    if (!res.ts) throw new Error('chat.postMessage returned no ts');
    return { ts: res.ts };
  },
  async update(channel, ts, message) {
    await policy.execute(
      () => client.chat.update({ channel, ts, text: message.text, ...blocksOf(message) }),
      {
        idempotent: true,
        operation: 'chat.update',
      },
    );
  },
  async ephemeral(channel, user, message) {
    await policy.execute(
      () => client.chat.postEphemeral({ channel, user, text: message.text, ...blocksOf(message) }),
      {
        idempotent: true,
        operation: 'chat.postEphemeral',
      },
    );
  },
});

// The renderer builds Block Kit with @slack/types; the domain carries it as opaque values.
const blocksOf = (message: ChatMessage): { blocks?: Blocks } =>
  message.blocks ? { blocks: message.blocks as Blocks } : {};
