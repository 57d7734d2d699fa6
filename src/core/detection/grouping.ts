import { z } from 'zod';
import type { Severity } from '../incidents/model.js';
import type { Finding } from './assess.js';
import type { Evidence } from './model.js';
import { TOKEN_SIGNALS } from './rules.js';

/**
 * One root cause, one card: the grouping rules, all of them here (docs/detections.md, "One root
 * cause, one card"). Detection decides per (signal, scope); these rules say which of those
 * decisions are parts of one problem, so the incident service keeps them on one card.
 *
 * 1. Parts of one cause share a card (`causeOf`):
 *    - a signing-key rotation: every `signing_key` decision (the rotation, a staged or revoked key on
 *      `tenant`, a JWKS that does not publish the current key on `key:<kid>`) and token failures whose
 *      cause by evidence is the rotation (correlation.ts: unknown signature or key ID);
 *    - a custom domain: its certificate expiring (`certificate` on `domain:<name>`), its renewal
 *      failing (`domain:<name>/renewal`) and the domain failing verification (`custom_domain` on
 *      `domain:<name>`, from the watcher and from the log).
 *    The card takes the worst part's severity, title and evidence and lists every part; a part that
 *    recovers is marked so, and the card resolves when its last part does.
 * 2. The tenant-wide count of a per-scope signal (failed logins, attack protection) opens no card of
 *    its own while an open card on one of its scopes (an IP, a connection) is the bulk of it
 *    (`absorbedByScope`): the IP card stands for the attack whether or not the IP itself still
 *    fires in this minute's window.
 * 3. Distinct reasons in one scope are separated before counting: a login refused because its
 *    callback URL is not allowed is `callback_mismatch` on the client (core/logs/classification.ts),
 *    a configuration problem with its own card, never counted with wrong passwords.
 */

/** The cause a decision belongs to when it is one part of a bigger problem; undefined when it stands alone. */
export const causeOf = (
  signal: string,
  scope: string,
  evidence?: Pick<Evidence, 'correlation'>,
): string | undefined => {
  if (signal === 'signing_key') return 'signing-key';
  if ([...TOKEN_SIGNALS].some((s) => s === signal) && evidence?.correlation?.kind === 'signing_key_rotation')
    return 'signing-key';
  if ((signal === 'certificate' || signal === 'custom_domain') && scope.startsWith('domain:'))
    return scope.replace(/\/renewal$/, '');
  return undefined;
};

/** One part of a grouped card, kept with the card's evidence. */
export interface Part {
  readonly signal: string;
  readonly scope: string;
  readonly severity: Severity;
  readonly title: string;
  /** False once its own recovery came; the card resolves when no part is active. */
  readonly active: boolean;
  /** What joined it to the card (`causeOf`, read when it joined: a part keeps no evidence of its own). */
  readonly cause?: string | undefined;
}

const partSchema = z.object({
  signal: z.string(),
  scope: z.string(),
  severity: z.enum(['info', 'low', 'medium', 'high']),
  title: z.string(),
  active: z.boolean(),
  cause: z.string().optional(),
});
const partsSchema = z.object({ parts: z.array(partSchema).min(1).max(50) });

interface CardRef {
  readonly signal: string;
  readonly scope: string;
  readonly severity: Severity;
  readonly title: string;
  readonly evidence: Readonly<Record<string, unknown>>;
}

/** The card's parts as stored; a card nothing joined is its one part. */
export const partsOf = (card: CardRef, evidence?: Pick<Evidence, 'correlation'>): readonly Part[] => {
  const parsed = partsSchema.safeParse(card.evidence);
  if (parsed.success) return parsed.data.parts;
  const { signal, scope, severity, title } = card;
  return [{ signal, scope, severity, title, active: true, cause: causeOf(signal, scope, evidence) }];
};

/** The cause a card stands for, if any of its parts has one. */
export const causeOfCard = (card: CardRef, evidence?: Pick<Evidence, 'correlation'>): string | undefined =>
  partsOf(card, evidence).find((p) => p.cause !== undefined)?.cause;

interface OpenCard extends CardRef {
  readonly openedAt?: string;
}

/**
 * The open incidents as detection sees them: each card, and each active part joined to it on its own
 * (signal, scope), so detection updates and recovers the part as it would a card of its own.
 */
export const openParts = <T extends OpenCard>(
  cards: readonly T[],
): Array<T | { signal: string; scope: string; severity: Severity; openedAt?: string }> =>
  cards.flatMap((card) => [
    card,
    ...partsOf(card)
      .filter((p) => p.active && !samePart(p, card.signal, card.scope))
      .map((p) => ({
        signal: p.signal,
        scope: p.scope,
        severity: p.severity,
        ...(card.openedAt === undefined ? {} : { openedAt: card.openedAt }),
      })),
  ]);

const RANK: Readonly<Record<Severity, number>> = { info: 0, low: 1, medium: 2, high: 3 };

export const samePart = (p: Pick<Part, 'signal' | 'scope'>, signal: string, scope: string): boolean =>
  p.signal === signal && p.scope === scope;

/** The parts with `part` added or brought up to date (active again if it had recovered). */
export const withPart = (parts: readonly Part[], part: Part): readonly Part[] =>
  parts.some((p) => samePart(p, part.signal, part.scope))
    ? parts.map((p) => (samePart(p, part.signal, part.scope) ? part : p))
    : [...parts, part];

/** The parts with the one on (signal, scope) marked recovered. */
export const withoutPart = (parts: readonly Part[], signal: string, scope: string): readonly Part[] =>
  parts.map((p) => (samePart(p, signal, scope) ? { ...p, active: false } : p));

/** The active part the card is titled after: the most severe, the earliest on a tie. */
export const leadOf = (parts: readonly Part[]): Part | undefined =>
  parts
    .filter((p) => p.active)
    .reduce<Part | undefined>(
      (lead, p) => (lead === undefined || RANK[p.severity] > RANK[lead.severity] ? p : lead),
      undefined,
    );

/** The card's summary with its parts listed first, when it has more than one. */
export const partsSummary = (summary: string | undefined, parts: readonly Part[]): string | undefined => {
  if (parts.length < 2) return summary;
  const lines = parts.map((p) => `• ${p.title} (${p.severity}${p.active ? '' : ', recovered'})`);
  return [
    `One cause, ${String(parts.length)} parts:`,
    ...lines,
    ...(summary === undefined ? [] : [summary]),
  ].join('\n');
};

/** The share of the tenant-wide count a scope's open card must hold to stand for it. */
const BULK_SHARE = 0.5;

/**
 * A tenant-wide finding of a per-scope signal that an open card on one of its scopes stands for:
 * that scope holds at least half of the tenant's failures in the window.
 */
export const absorbedByScope = (
  tenant: Finding,
  findings: readonly Finding[],
  isOpen: (signal: string, scope: string) => boolean,
): boolean =>
  tenant.scope === 'tenant' &&
  tenant.group.scoping === 'per_scope_and_tenant' &&
  findings.some(
    (f) =>
      f.group === tenant.group &&
      f.scope !== 'tenant' &&
      isOpen(f.group.signal, f.scope) &&
      f.stats.failures > 0 &&
      f.stats.failures >= BULK_SHARE * tenant.stats.failures,
  );
