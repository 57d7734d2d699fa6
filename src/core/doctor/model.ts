/**
 * The setup doctor's findings: each says what is wrong, what it breaks and how to fix it (the
 * dashboard path or the command), so a person can act on it without reading the code.
 */
export type FindingLevel = 'ok' | 'info' | 'warn' | 'error';

export interface Finding {
  /** The area checked, e.g. `Auth0 scopes`, `Rotation target Zx81billing`. */
  readonly check: string;
  readonly level: FindingLevel;
  /** What is wrong (or, for `ok`, what was verified). */
  readonly what: string;
  readonly breaks?: string;
  readonly fix?: string;
}

export interface DoctorReport {
  readonly at: Date;
  readonly findings: readonly Finding[];
}

const rank: Readonly<Record<FindingLevel, number>> = { error: 0, warn: 1, info: 2, ok: 3 };

/** Worst first, so the thing to fix is at the top. */
export const byLevel = (findings: readonly Finding[]): Finding[] =>
  [...findings].sort((a, b) => rank[a.level] - rank[b.level]);

/** Something is broken: a feature that is configured cannot work. */
export const isBroken = (report: DoctorReport): boolean => report.findings.some((f) => f.level === 'error');
