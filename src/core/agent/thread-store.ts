import type { IsoTimestamp } from '../audit.js';
import type { ThreadTurn } from './thread-agent.js';

/** The agent's memory of incident threads, and which Slack events were already answered. */
export interface NewThreadMessage {
  readonly incidentId: string;
  readonly threadTs: string;
  readonly role: 'user' | 'assistant';
  readonly text: string;
  readonly at: IsoTimestamp;
  /** The Slack message behind a user turn; a second append with the same one is ignored. */
  readonly eventId?: string;
}

export interface ThreadStore {
  /** False when a message with the same eventId is already stored. */
  append(message: NewThreadMessage): boolean;
  /** Oldest first, at most `limit` (the newest ones). */
  history(incidentId: string, threadTs: string, limit?: number): ThreadTurn[];
  /** True exactly once per key, across restarts. */
  claimEvent(eventKey: string, at: IsoTimestamp): boolean;
}
