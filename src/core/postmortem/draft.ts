import { z } from 'zod';
import type { PostmortemDraft } from './model.js';

/**
 * A model's draft is used only when it is well-formed and harmless: each part bounded, and none
 * holding a link, a Slack mention or broadcast, markup, or our prompt's fence (what an injected
 * log value would try to get repeated). Anything else is junk and the template is used instead.
 */

// Links (a phishing target), Slack control sequences (<!channel>, <@U…>, <#C…>), HTML-ish tags,
// code fences and our data fence.
const UNSAFE: readonly RegExp[] = [
  /\bhttps?:\/\//i,
  /\bwww\./i,
  /<[!@#]/,
  /<\/?[a-z][^>]*>/i,
  /```/,
  /‹\/?data›/i,
];

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(3)
    .max(max)
    .refine((s) => !UNSAFE.some((r) => r.test(s)), { message: 'holds a link, a mention or markup' });

const draftSchema = z
  .object({
    summary: text(1_500),
    cause: text(1_500),
    whatWasDone: text(2_000),
    followUps: z.array(text(300)).min(1).max(8),
  })
  .strict();

export type DraftCheck =
  { readonly ok: true; readonly draft: PostmortemDraft } | { readonly ok: false; readonly reason: string };

/** Parses a writer's untrusted answer; the reason names the first problem (never echoes the text). */
export const checkDraft = (value: unknown): DraftCheck => {
  const parsed = draftSchema.safeParse(value);
  if (parsed.success) return { ok: true, draft: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, reason: `${issue?.path.join('.') || 'draft'}: ${issue?.message ?? 'invalid'}` };
};
