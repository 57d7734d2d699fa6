import { CATALOGUE } from './catalogue-data.js';
import type { CatalogueEntry, LogCategory, LogOutcome } from './model.js';

/**
 * The log catalogue (types in model.ts): every code Auth0 documents, current and legacy, generated
 * into catalogue-data.ts by scripts/generate-log-catalogue.ts and listed with the detection that
 * reads each one in docs/log-codes.md.
 */

/**
 * A code's outcome guessed from its shape, for codes Auth0 adds before the catalogue knows them
 * (and checked against every documented code by the generator): success suffixes first (so
 * `flows_execution_completed` is not a failure for its leading `f`), then failure suffixes and a
 * leading `f`, then warnings (`w…`, `…_warning`, `limit_…`, `…_limit…`); anything else a success.
 */
export const guessOutcome = (code: string): LogOutcome => {
  if (/(_succeeded|_succeed|_success|_completed|_complete)$/.test(code)) return 'success';
  if (/(_failed|_failure|_error)$/.test(code) || code.startsWith('f')) return 'failure';
  if (code.startsWith('w') || code.endsWith('_warning') || /(^limit_|_limit)/.test(code)) return 'warning';
  return 'success';
};

const guessCategory = (code: string): LogCategory => {
  if (code.startsWith('gd_') || code.includes('mfa')) return 'mfa';
  if (/(^limit_|_limit)/.test(code)) return 'rate_limit';
  if (code.includes('logout')) return 'logout';
  if (/^(actions|flows|forms)_/.test(code)) return 'actions';
  return 'unknown';
};

const byCode: ReadonlyMap<string, CatalogueEntry> = new Map(CATALOGUE.map((e) => [e.code, e]));

/** How many codes the catalogue knows. */
export const KNOWN_CODE_COUNT = byCode.size;

export const isKnownCode = (code: string): boolean => byCode.has(code);

/**
 * The catalogue's entry for a code, or, for a code nobody knows yet, one guessed from its shape.
 * An unknown failure or warning becomes `unknown_failure` (counted per minute for the tenant, read
 * by no detector: it must never page on a guess); an unknown success is `ignored`. Either way it is
 * counted as unknown (metrics and `/auth0 status`), so the catalogue can be extended.
 */
export const catalogueEntry = (code: string): CatalogueEntry => {
  const known = byCode.get(code);
  if (known !== undefined) return known;
  const outcome = guessOutcome(code);
  return {
    code,
    title: 'not in the catalogue',
    category: guessCategory(code),
    outcome,
    pairsWith: null,
    signal: outcome === 'success' ? 'ignored' : 'unknown_failure',
    ignoredBecause: outcome === 'success' ? 'unknown code that looks like a success' : null,
    source: 'unknown',
  };
};
