/** Limits from Slack's Block Kit reference. */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
} as const;

const MARK = '…';

/** Cuts text to `max` characters, marking the cut so a reader knows something is missing. */
export const truncate = (text: string, max: number): string => {
  if (text.length <= max) return text;
  // Do not split a surrogate pair: a lone half renders as a replacement character.
  let end = max - MARK.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end) + MARK;
};

/** Escapes the three characters mrkdwn treats as control, for text we did not write. */
export const escapeMrkdwn = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
