import { z } from 'zod';
import type { Evidence } from '../detection/model.js';

const topItems = z.array(z.object({ value: z.string(), count: z.number() })).optional();

const evidenceSchema = z.object({
  window: z.object({ from: z.string(), to: z.string(), minutes: z.number() }),
  failures: z.number(),
  successes: z.number().optional(),
  ratio: z.number().optional(),
  rate: z.number(),
  baseline: z.number().optional(),
  topClients: topItems,
  topIps: topItems,
  topConnections: topItems,
  topUserAgents: topItems,
  topReasons: topItems,
  suspects: z.array(
    z.object({
      at: z.string(),
      kind: z.enum(['tenant_change', 'signing_key_rotation', 'own_rotation', 'own_change']),
      who: z.string(),
      what: z.string(),
      expected: z.boolean(),
    }),
  ),
  correlation: z
    .object({ kind: z.enum(['signing_key_rotation', 'secret_change']), at: z.string(), detail: z.string() })
    .optional(),
  singleSourceIp: z.string().optional(),
  summary: z.string().optional(),
});

/**
 * Evidence is stored as JSON on the incident. A row written by an older build may not match the
 * current shape: it then reads as empty evidence rather than breaking the card.
 */
export const evidenceOf = (stored: Readonly<Record<string, unknown>>, at: string): Evidence => {
  const parsed = evidenceSchema.safeParse(stored);
  return parsed.success
    ? parsed.data
    : { window: { from: at, to: at, minutes: 0 }, failures: 0, rate: 0, suspects: [] };
};

export const evidenceRecord = (evidence: Evidence): Readonly<Record<string, unknown>> => ({ ...evidence });

/** Suspects are compared by when and what: one the card already shows is not news. */
export const newSuspects = (before: Evidence, after: Evidence) => {
  const seen = new Set(before.suspects.map((s) => `${s.at}\u0000${s.what}`));
  return after.suspects.filter((s) => !seen.has(`${s.at}\u0000${s.what}`));
};
