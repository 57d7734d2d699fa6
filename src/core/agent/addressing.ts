/**
 * Whether a message in an incident's thread is for the bot. People talk to each other in these
 * threads ("ok I'm on it", "<@dana> can you look?"): the bot answers a message that mentions it,
 * or a question (ending in "?") that mentions nobody; everything else it leaves alone.
 */
const MENTION = /<@([A-Z0-9]+)(?:\|[^>]*)?>/g;

export const isAddressedToBot = (text: string, botUserId: string | undefined): boolean => {
  const mentioned = [...text.matchAll(MENTION)].map((m) => m[1]);
  if (botUserId !== undefined && mentioned.includes(botUserId)) return true;
  return mentioned.length === 0 && text.trim().endsWith('?');
};
