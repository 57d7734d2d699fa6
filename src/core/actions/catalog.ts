import type { ActionName, ActionSpec } from '../runbooks/model.js';
import { catalogEntry, type ActionCatalog, type CatalogEntry } from './action.js';
import { credentialActions, type CredentialActionDeps } from './credential-actions.js';
import { resendJwksHooks } from './hook-actions.js';
import type { JwksHookResender } from '../jwks-hooks/resend.js';
import { tenantActions, type TenantActionDeps } from './tenant-actions.js';

export type CatalogDeps = CredentialActionDeps &
  TenantActionDeps & {
    /** Set when JWKS_REFRESH_WEBHOOKS is: only then may a runbook offer the re-send. */
    readonly jwksHooks?: JwksHookResender;
  };

/** The fixed catalog of actions a runbook step may run (docs/decisions/0005-built-in-runbooks-as-the-last-writer.md). Nothing outside it can run. */
export const createActionCatalog = (deps: CatalogDeps): ActionCatalog => {
  const [verify, rollback, rotate] = credentialActions(deps);
  const [listKeys, revoke, unblock, pause, resume, recheck] = tenantActions(deps);
  // Listed one by one: each entry erases its own parameter type.
  const entries: CatalogEntry[] = [
    catalogEntry(verify),
    catalogEntry(rollback),
    catalogEntry(rotate),
    catalogEntry(listKeys),
    catalogEntry(revoke),
    catalogEntry(unblock),
    catalogEntry(pause),
    catalogEntry(resume),
    catalogEntry(recheck),
    ...(deps.jwksHooks ? [catalogEntry(resendJwksHooks(deps.jwksHooks))] : []),
  ];
  return new Map<ActionName, CatalogEntry>(entries.map((e) => [e.name, e]));
};

/** The catalog as runbook writers see it. */
export const actionSpecs = (catalog: ActionCatalog): ActionSpec[] =>
  [...catalog.values()].map((e) => ({
    name: e.name,
    description: e.description,
    destructive: e.destructive,
    params: e.params,
  }));
