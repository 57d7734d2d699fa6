import type { Incident } from '../incidents/model.js';
import type { ChatMessage, IncidentChat } from '../incidents/ports.js';
import { isAddressedToBot } from './addressing.js';
import type { IncidentThreadAnswerer } from './incident-thread.js';
import type { ThreadStore } from './ports.js';
import type { ThreadAnswer } from './thread-agent.js';

/** A person's message as the chat adapter hands it over (bots and edits already left out). */
export interface ThreadMessage {
  readonly channel: string;
  readonly ts: string;
  /** The thread it was posted in; undefined for a top-level message. */
  readonly threadTs: string | undefined;
  readonly user: string;
  readonly text: string;
  /** The chat platform's delivery ID (Slack's event_id), when it has one: redeliveries repeat it. */
  readonly eventId: string | undefined;
  /** The bot's own user as the platform reported it with this message, when known. */
  readonly botUserId: string | undefined;
}

export type ThreadQuestionOutcome = 'answered' | 'noted' | 'not_for_us' | 'not_addressed' | 'duplicate';

/** `note: …`, after any mention of the bot: the note's text, else undefined. */
const noteOf = (text: string): string | undefined =>
  /^\s*note\s*:\s*([\s\S]+)$/i.exec(text.replace(/<@[A-Z0-9]+>/g, ' '))?.[1]?.trim();

export interface ThreadQuestionsDeps {
  /** The incident whose card is the message `threadTs` in `channel`. */
  readonly findIncidentByThread: (channel: string, threadTs: string) => Incident | undefined;
  readonly agent: IncidentThreadAnswerer;
  readonly threads: ThreadStore;
  readonly chat: IncidentChat;
  readonly render: (answer: ThreadAnswer) => ChatMessage;
  /**
   * `note: <text>` in an incident's thread adds a note (docs/on-call.md): a slash command cannot
   * know the thread it was typed in, a thread message can. Absent: such messages are questions.
   */
  readonly addNote?: (incident: Incident, user: string, text: string, key: string) => Promise<unknown>;
  /** The bot's own user, whose messages are never questions. */
  readonly botUserId?: string;
  readonly now: () => Date;
}

const THINKING_PLACEHOLDER = 'Looking into it…';

/**
 * Questions asked in an incident card's thread, answered there by the read-only agent; messages
 * between people ("ok I'm on it") are left alone (addressing.ts). A mention
 * arrives both as a mention and as a message, and chat platforms redeliver: the delivery ID and
 * the message are each claimed once in the store, so one question gets one answer, across
 * restarts too.
 */
export const createThreadQuestions = (deps: ThreadQuestionsDeps) => ({
  async ask(m: ThreadMessage): Promise<ThreadQuestionOutcome> {
    const bot = m.botUserId ?? deps.botUserId;
    if (m.user === bot) return 'not_for_us';
    if (m.threadTs === undefined || m.threadTs === m.ts) return 'not_for_us';
    const incident = deps.findIncidentByThread(m.channel, m.threadTs);
    if (incident === undefined) return 'not_for_us';
    const note = deps.addNote === undefined ? undefined : noteOf(m.text);
    // Not claimed: the same message may still come as a mention, which is addressed to us.
    if (note === undefined && !isAddressedToBot(m.text, bot)) return 'not_addressed';

    const at = deps.now().toISOString();
    if (m.eventId !== undefined && !deps.threads.claimEvent(`event:${m.eventId}`, at)) return 'duplicate';
    const messageKey = `message:${m.channel}:${m.ts}`;
    if (!deps.threads.claimEvent(messageKey, at)) return 'duplicate';

    if (note !== undefined && deps.addNote !== undefined) {
      await deps.addNote(incident, m.user, note, messageKey);
      return 'noted';
    }
    const question = m.text.replace(/<@[A-Z0-9]+>/g, ' ').trim();
    const history = deps.threads.history(incident.id, m.threadTs);
    deps.threads.append({
      incidentId: incident.id,
      threadTs: m.threadTs,
      role: 'user',
      text: question,
      at,
      eventId: messageKey,
    });
    const placeholder = await deps.chat.post(m.channel, { text: THINKING_PLACEHOLDER }, m.threadTs);
    const answer = await deps.agent.answer({ incident, history, question });
    await deps.chat.update(m.channel, placeholder.ts, deps.render(answer));
    deps.threads.append({
      incidentId: incident.id,
      threadTs: m.threadTs,
      role: 'assistant',
      text: answer.text,
      at: deps.now().toISOString(),
    });
    return 'answered';
  },
});

export type ThreadQuestions = ReturnType<typeof createThreadQuestions>;
