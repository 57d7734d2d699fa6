import type { webApi } from '@slack/bolt';
import type { Block, KnownBlock } from '@slack/types';
import { z } from 'zod';
import type { OutboxChat, OutboxMessage } from '../core/outbox/ports.js';
import { classifyFailure, type DependencyPolicy } from '../resilience/index.js';

/** The metadata event type that marks our outbox posts; its payload carries the dedupe key. */
const EVENT_TYPE = 'auth0_oncall_outbox';
/** How far back a lookup reads: pages of 200, enough for any thread or hour of our channel. */
const PAGE = 200;
const MAX_PAGES = 5;

const page = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string().optional(),
        metadata: z
          .object({
            event_type: z.string().optional(),
            event_payload: z.record(z.string(), z.unknown()).optional(),
          })
          .optional(),
      }),
    )
    .optional(),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

const keyOf = (m: { metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }) =>
  m.metadata?.event_type === EVENT_TYPE ? m.metadata.event_payload?.key : undefined;

/**
 * Outbox posts over the Web API. Each post carries its dedupe key in `metadata`, and a retry
 * after an unknown outcome reads the thread (conversations.replies) or the channel since the
 * message was enqueued (conversations.history) for that key before posting again.
 */
export const createOutboxChat = (client: webApi.WebClient, policy: DependencyPolicy): OutboxChat => {
  const read = async (entry: OutboxMessage, oldest: string, cursor: string | undefined) => {
    const args = {
      channel: entry.channel,
      limit: PAGE,
      include_all_metadata: true,
      ...(cursor ? { cursor } : {}),
    };
    const res: unknown = await policy.execute(
      () =>
        entry.threadTs
          ? client.conversations.replies({ ...args, ts: entry.threadTs })
          : client.conversations.history({ ...args, oldest }),
      { idempotent: true, operation: entry.threadTs ? 'conversations.replies' : 'conversations.history' },
    );
    return page.parse(res);
  };

  return {
    async post(entry) {
      try {
        const res = await policy.execute(
          () =>
            client.chat.postMessage({
              channel: entry.channel,
              text: entry.message.text,
              ...(entry.message.blocks ? { blocks: entry.message.blocks as (KnownBlock | Block)[] } : {}),
              ...(entry.threadTs ? { thread_ts: entry.threadTs } : {}),
              metadata: { event_type: EVENT_TYPE, event_payload: { key: entry.key } },
              unfurl_links: false,
              unfurl_media: false,
            }),
          { idempotent: false, operation: 'chat.postMessage' },
        );
        return res.ts
          ? { ok: true, ts: res.ts }
          : { ok: false, permanent: false, reason: 'chat.postMessage returned no ts' };
      } catch (error) {
        const info = classifyFailure(error);
        return {
          ok: false,
          permanent: info.kind === 'client_error',
          ...(info.retryAfterMs === undefined ? {} : { retryAfterMs: info.retryAfterMs }),
          reason: info.reason,
        };
      }
    },
    async findPosted(entry, since) {
      // A minute of slack for clock skew between us and Slack's ts.
      const oldest = ((Date.parse(since) - 60_000) / 1000).toFixed(6);
      let cursor: string | undefined;
      for (let i = 0; i < MAX_PAGES; i += 1) {
        const res = await read(entry, oldest, cursor);
        const found = (res.messages ?? []).find((m) => keyOf(m) === entry.key);
        if (found?.ts) return found.ts;
        cursor = res.response_metadata?.next_cursor;
        if (!cursor) return undefined;
      }
      return undefined;
    },
  };
};
