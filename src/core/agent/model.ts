/** One message of an incident's thread, as the agent sees it. */
export interface ThreadTurn {
  readonly role: 'user' | 'assistant';
  readonly text: string;
}
