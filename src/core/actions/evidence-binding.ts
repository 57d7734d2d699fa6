import type { ActionContext } from './action.js';

/**
 * Which subjects an incident's own record names, so a proposed action can be bound to them when
 * the runbook is vetted (a writer, or a model, cannot pick an unrelated client or key) and again
 * when the step runs.
 */
type Subject = Pick<ActionContext, 'incident' | 'evidence'>;

/** The incident is about the client (its scope), or the client is among those in its evidence. */
export const clientInScope = (clientId: string, ctx: Subject): boolean =>
  ctx.incident.scope === `client:${clientId}` ||
  ctx.incident.scope.startsWith(`client:${clientId}/`) ||
  (ctx.evidence.topClients ?? []).some((c) => c.value === clientId);

// A kid as a whole word: kids are opaque strings of letters, digits, '-' and '_'.
const namesWord = (text: string | undefined, word: string): boolean => {
  if (text === undefined) return false;
  let from = text.indexOf(word);
  while (from !== -1) {
    const before = text.charAt(from - 1);
    const after = text.charAt(from + word.length);
    if (!/[\w-]/.test(before) && !/[\w-]/.test(after)) return true;
    from = text.indexOf(word, from + 1);
  }
  return false;
};

/**
 * The kid is this incident's subject (a `key:<kid>` scope) or is named by its signing-key
 * evidence: a key-rotation suspect, the rotation correlation, or the watcher's summary.
 */
export const kidNamedByEvidence = (kid: string, ctx: Subject): boolean => {
  const { evidence } = ctx;
  return (
    ctx.incident.scope === `key:${kid}` ||
    evidence.suspects.some(
      (s) => (s.kind === 'signing_key_rotation' || s.kind === 'own_rotation') && namesWord(s.what, kid),
    ) ||
    (evidence.correlation?.kind === 'signing_key_rotation' && namesWord(evidence.correlation.detail, kid)) ||
    (ctx.incident.signal === 'signing_key' && namesWord(evidence.summary, kid))
  );
};
