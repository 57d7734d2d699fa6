import type { AuditLog } from '../audit/ports.js';
import type { OperatorDirectory } from '../incidents/ports.js';
import type { DoctorReport } from './model.js';
import { plural } from '../status/model.js';

type DoctorRun =
  | { readonly ok: true; readonly report: DoctorReport }
  | { readonly ok: false; readonly reason: 'denied'; readonly why: string };

export interface DoctorService {
  /** Runs every check (start-up, App Home refresh) and keeps the report. */
  readonly check: (signal?: AbortSignal) => Promise<DoctorReport>;
  /** `/auth0 doctor`: operators only, audited (the report names secrets' IDs and the tenant's gaps). */
  readonly runFor: (user: string) => Promise<DoctorRun>;
  /** The last report, for the App Home; undefined until a run finished. */
  readonly latest: () => DoctorReport | undefined;
}

export const createDoctorService = (deps: {
  readonly doctor: (signal?: AbortSignal) => Promise<DoctorReport>;
  readonly operators: Pick<OperatorDirectory, 'isOperator'>;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly now: () => Date;
}): DoctorService => {
  let last: DoctorReport | undefined;
  const check = async (signal?: AbortSignal) => {
    const report = await deps.doctor(signal);
    last = report;
    return report;
  };
  return {
    check,
    latest: () => last,
    runFor: async (user) => {
      if (!(await deps.operators.isOperator(user))) {
        deps.audit.append({
          at: deps.now().toISOString(),
          actor: user,
          action: 'doctor.run',
          outcome: 'denied',
          summary: 'not an operator',
        });
        return { ok: false, reason: 'denied', why: 'Only operators can run the setup doctor.' };
      }
      const began = deps.now().getTime();
      const report = await check();
      const errors = report.findings.filter((f) => f.level === 'error');
      const warnings = report.findings.filter((f) => f.level === 'warn').length;
      deps.audit.append({
        at: deps.now().toISOString(),
        actor: user,
        action: 'doctor.run',
        outcome: 'success',
        summary: `${errors.length} broken, ${plural(warnings, 'warning')}`,
        durationMs: deps.now().getTime() - began,
        detail: { broken: errors.map((f) => f.check) },
      });
      return { ok: true, report };
    },
  };
};
