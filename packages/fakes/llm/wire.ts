/** Wire helpers shared by the LLM fakes: bodies, recorded headers, the prompt a request carried. */
import type { IncomingHttpHeaders } from 'node:http';

export type ParsedJson =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly raw: string };

export const readJson = async (req: AsyncIterable<unknown>): Promise<ParsedJson> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const raw = Buffer.concat(chunks).toString('utf8');
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false, raw };
  }
};

/** Recorded headers keep the auth scheme only, and no API key, so a test log never holds one. */
export const recordHeaders = (headers: IncomingHttpHeaders): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (name === 'authorization') out[name] = text.split(' ')[0] ?? '';
    else if (name === 'x-api-key') out[name] = '(set)';
    else out[name] = text;
  }
  return out;
};

/** What the model was told: the system prompt and the user turns' text, each joined. */
export interface LlmPrompt {
  readonly system: string;
  readonly user: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const texts = (blocks: unknown): string[] => {
  if (typeof blocks === 'string') return [blocks];
  if (!Array.isArray(blocks)) return [];
  return blocks.flatMap((block) => (isRecord(block) && typeof block.text === 'string' ? [block.text] : []));
};

const userText = (messages: unknown): string =>
  (Array.isArray(messages) ? messages : [])
    .filter((m): m is Record<string, unknown> => isRecord(m) && m.role === 'user')
    .flatMap((m) => texts(m.content))
    .join('\n');

/**
 * Both wire formats fit: Converse (`system: [{text}]`, `content: [{text}]`) and the Messages API
 * (`system` and `content` a string or text blocks).
 */
export const promptOf = (body: unknown): LlmPrompt => ({
  system: isRecord(body) ? texts(body.system).join('\n') : '',
  user: isRecord(body) ? userText(body.messages) : '',
});
