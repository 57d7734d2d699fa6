import type { AuditEntry, AuditLog } from './ports.js';
import type { OperatorDirectory } from '../incidents/ports.js';

export type AuditRead =
  | { readonly ok: true; readonly entries: readonly AuditEntry[] }
  | { readonly ok: false; readonly reason: 'denied'; readonly why: string };

const AUDIT_READ_MAX = 50;

/**
 * `/auth0 audit [n]`: the latest entries, newest first, for operators only (the log names who did
 * what to the tenant). Authorization is the first thing it does.
 */
export const createAuditReader =
  (deps: { readonly audit: Pick<AuditLog, 'latest'>; readonly operators: OperatorDirectory }) =>
  async (user: string, limit: number): Promise<AuditRead> => {
    if (!(await deps.operators.isOperator(user)))
      return { ok: false, reason: 'denied', why: 'Only operators can read the audit log.' };
    const n = Number.isInteger(limit) ? Math.min(AUDIT_READ_MAX, Math.max(1, limit)) : 10;
    return { ok: true, entries: deps.audit.latest(n) };
  };
