import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { IncidentThreadAnswerer } from '../core/agent/incident-thread.js';
import type { ThreadStore } from '../core/agent/ports.js';
import type { Incident } from '../core/incidents/model.js';
import { agentAnswerMessage } from './blocks/agent-blocks.js';
import type { IncidentChat } from '../core/incidents/ports.js';

export interface ThreadListenerDeps {
  /** The incident whose card is the message `threadTs` in `channel`. */
  readonly findIncidentByThread: (channel: string, threadTs: string) => Incident | undefined;
  readonly agent: IncidentThreadAnswerer;
  readonly threads: ThreadStore;
  readonly chat: IncidentChat;
  readonly botUserId?: string;
  readonly now?: () => Date;
  readonly onError: (error: unknown) => void;
}

export const PLACEHOLDER = 'Looking into it…';

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

/**
 * Questions in an incident card's thread (SPEC §9), answered there by the runbook agent. A mention
 * fires both `app_mention` and `message`, and Slack redelivers: each event ID and each message is
 * claimed once in the store, so one question gets one answer, across restarts too.
 */
export const registerThreadListeners = (app: App, deps: ThreadListenerDeps): void => {
  const now = deps.now ?? (() => new Date());

  const handle = async (event: unknown, body: unknown): Promise<void> => {
    const parsed = threadMessage.safeParse(event);
    if (!parsed.success) return;
    const m = parsed.data;
    if (m.bot_id !== undefined || m.subtype !== undefined || m.user === undefined) return;
    if (m.user === deps.botUserId) return;
    if (m.thread_ts === undefined || m.thread_ts === m.ts) return;
    const incident = deps.findIncidentByThread(m.channel, m.thread_ts);
    if (incident === undefined) return;

    const at = now().toISOString();
    const eventId = eventIdOf(body);
    if (eventId !== undefined && !deps.threads.claimEvent(`event:${eventId}`, at)) return;
    const messageKey = `message:${m.channel}:${m.ts}`;
    if (!deps.threads.claimEvent(messageKey, at)) return;

    const question = (m.text ?? '').replace(/<@[A-Z0-9]+>/g, ' ').trim();
    const history = deps.threads.history(incident.id, m.thread_ts);
    deps.threads.append({
      incidentId: incident.id,
      threadTs: m.thread_ts,
      role: 'user',
      text: question,
      at,
      eventId: messageKey,
    });
    const placeholder = await deps.chat.post(m.channel, { text: PLACEHOLDER }, m.thread_ts);
    const answer = await deps.agent.answer({ incident, history, question });
    await deps.chat.update(m.channel, placeholder.ts, agentAnswerMessage(answer));
    deps.threads.append({
      incidentId: incident.id,
      threadTs: m.thread_ts,
      role: 'assistant',
      text: answer.text,
      at: now().toISOString(),
    });
  };

  const safely = (event: unknown, body: unknown): Promise<void> => handle(event, body).catch(deps.onError);
  app.event('app_mention', ({ event, body }) => safely(event, body));
  app.event('message', ({ event, body }) => safely(event, body));
};
