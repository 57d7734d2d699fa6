import { z } from 'zod';
import type { Evidence, Suspect } from '../detection/model.js';

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
  onset: z.string().optional(),
  curve: z
    .object({ to: z.string(), bucketMinutes: z.number(), counts: z.array(z.number()).max(60) })
    .optional(),
  baselineFrom: z.string().optional(),
  logQuery: z
    .object({
      types: z.array(z.string()).max(10),
      clientId: z.string().optional(),
      connection: z.string().optional(),
      ip: z.string().optional(),
    })
    .optional(),
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

/**
 * New evidence for an open incident keeps the onset it was opened with: detection only sees the
 * last minutes, so after a long episode its own estimate of the start moves later. An earlier
 * onset (a backlog that arrived late) wins.
 */
export const keepOnset = (before: Evidence, after: Evidence): Evidence => {
  if (before.onset === undefined || Number.isNaN(Date.parse(before.onset))) return after;
  if (after.onset !== undefined && Date.parse(after.onset) <= Date.parse(before.onset)) return after;
  return { ...after, onset: before.onset };
};

/** A thread posts at most this many "new possible cause" lines over an incident's life. */
const SUSPECT_POSTS_PER_INCIDENT = 5;

const suspectKey = (s: Suspect): string => `${s.at}\u0000${s.what}`;

/**
 * What the thread has been told of suspects, kept with the evidence (so it survives restarts):
 * every suspect the card has shown or the thread has posted, and how many lines were posted.
 */
const announcementsSchema = z.object({
  announcedSuspects: z.array(z.string()).max(200).catch([]),
  suspectPosts: z.number().int().min(0).catch(0),
});

const announcementsOf = (stored: Readonly<Record<string, unknown>>) => {
  const parsed = announcementsSchema.safeParse(stored);
  return parsed.success ? parsed.data : { announcedSuspects: [], suspectPosts: 0 };
};

/** The evidence as stored, with what has been announced so far (everything on the card counts). */
export const evidenceRecord = (
  evidence: Evidence,
  announced: { readonly announcedSuspects: readonly string[]; readonly suspectPosts: number } = {
    announcedSuspects: [],
    suspectPosts: 0,
  },
): Readonly<Record<string, unknown>> => ({
  ...evidence,
  announcedSuspects: [
    ...new Set([...announced.announcedSuspects, ...evidence.suspects.map(suspectKey)]),
  ].slice(-200),
  suspectPosts: announced.suspectPosts,
});

/**
 * The suspects worth a "new possible cause" line in the thread: never one the card or the thread
 * has already shown, never the bot's own change (the card shows those as its own), and at most
 * `SUSPECT_POSTS_PER_INCIDENT` over the incident's life. Returns them and the record to store.
 */
export const suspectNews = (stored: Readonly<Record<string, unknown>>, before: Evidence, after: Evidence) => {
  const announced = announcementsOf(stored);
  const seen = new Set([...announced.announcedSuspects, ...before.suspects.map(suspectKey)]);
  const room = Math.max(0, SUSPECT_POSTS_PER_INCIDENT - announced.suspectPosts);
  const news = after.suspects.filter((s) => !s.expected && !seen.has(suspectKey(s))).slice(0, room);
  return {
    news,
    record: evidenceRecord(after, {
      announcedSuspects: [...seen],
      suspectPosts: announced.suspectPosts + news.length,
    }),
  };
};
