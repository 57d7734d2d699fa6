import type { Incident, IncidentStore, Severity } from './model.js';

interface SeverityStats {
  readonly count: number;
  /** Mean time to acknowledge, ms, over incidents acknowledged in the period. */
  readonly mttaMs: number | undefined;
  /** Mean time to resolve, ms, over incidents resolved in the period. */
  readonly mttrMs: number | undefined;
}

export interface IncidentStats {
  readonly open: Readonly<Record<Severity, number>>;
  readonly bySeverity: Readonly<Record<Severity | 'all', SeverityStats>>;
  readonly days: number;
}

const severities: readonly Severity[] = ['high', 'medium', 'low', 'info'];
const mean = (values: number[]) =>
  values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;

/** MTTA and MTTR over the last `days`, from the stored timestamps (so they survive restarts). */
export const incidentStats = (
  store: Pick<IncidentStore, 'listOpen' | 'resolvedSince'>,
  now: Date,
  days: number,
): IncidentStats => {
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  const open = store.listOpen();
  const resolved = store.resolvedSince(since);
  const recent = [...open.filter((i) => i.openedAt >= since), ...resolved];
  const stats = (list: Incident[]): SeverityStats => ({
    count: list.length,
    mttaMs: mean(
      list
        .filter((i) => i.acknowledgedAt !== null)
        .map((i) => Date.parse(i.acknowledgedAt ?? '') - Date.parse(i.openedAt)),
    ),
    mttrMs: mean(
      list
        .filter((i) => i.resolvedAt !== null)
        .map((i) => Date.parse(i.resolvedAt ?? '') - Date.parse(i.openedAt)),
    ),
  });
  const bySeverity = Object.fromEntries([
    ['all', stats(recent)],
    ...severities.map((s) => [s, stats(recent.filter((i) => i.severity === s))]),
  ]) as Record<Severity | 'all', SeverityStats>;
  const openCounts = Object.fromEntries(
    severities.map((s) => [s, open.filter((i) => i.severity === s).length]),
  ) as Record<Severity, number>;
  return { open: openCounts, bySeverity, days };
};
