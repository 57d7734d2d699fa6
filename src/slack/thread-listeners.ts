import { z } from 'zod';
import type { ThreadQuestions } from '../core/agent/thread-questions.js';
import type { Listeners } from './listener-table.js';

const threadMessage = z.object({
  channel: z.string().min(1),
  ts: z.string().min(1),
  thread_ts: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
  text: z.string().optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
});

const eventIdOf = (body: unknown): string | undefined => {
  const parsed = z.object({ event_id: z.string().min(1) }).safeParse(body);
  return parsed.success ? parsed.data.event_id : undefined;
};

/** Mentions and replies in threads → the thread-question use case (core/agent/thread-questions.ts). */
export const registerThreadListeners = (
  app: Listeners,
  deps: { readonly questions: ThreadQuestions; readonly onError: (error: unknown) => void },
): void => {
  const handle = async (event: unknown, body: unknown, botUserId: string | undefined): Promise<void> => {
    const parsed = threadMessage.safeParse(event);
    if (!parsed.success) return;
    const m = parsed.data;
    // Bots (ourselves included), edits, joins and other subtypes are not questions.
    if (m.bot_id !== undefined || m.subtype !== undefined || m.user === undefined) return;
    await deps.questions.ask({
      channel: m.channel,
      ts: m.ts,
      threadTs: m.thread_ts,
      user: m.user,
      text: m.text ?? '',
      eventId: eventIdOf(body),
      botUserId,
    });
  };
  const safely = (event: unknown, body: unknown, botUserId: string | undefined): Promise<void> =>
    handle(event, body, botUserId).catch(deps.onError);
  app.event('app_mention', ({ event, body, context }) => safely(event, body, context.botUserId));
  app.event('message', ({ event, body, context }) => safely(event, body, context.botUserId));
};
