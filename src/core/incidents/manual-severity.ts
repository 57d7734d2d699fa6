import type { Incident, Severity } from './model.js';

const severityRank: Readonly<Record<Severity, number>> = { info: 0, low: 1, medium: 2, high: 3 };

const higher = (a: Severity, b: Severity): Severity => (severityRank[a] > severityRank[b] ? a : b);

/**
 * What a detection's severity does to an open incident. By itself severity only goes up: a dip
 * must not flap the card (a person may resolve). Once an operator has set it, detection repeating
 * what it had already said does not undo their choice (say, high lowered to medium during a load
 * test); only a detection past the highest severity detection had assigned raises it again
 * (docs/decisions/0014-owner-paging-and-manual-severity.md).
 */
export const severityAfterDetection = (
  incident: Pick<Incident, 'severity' | 'severitySetBy' | 'detectedSeverity'>,
  detected: Severity,
): { readonly severity: Severity; readonly detectedSeverity: Severity } => {
  const detectedSeverity = higher(detected, incident.detectedSeverity);
  const worse = severityRank[detected] > severityRank[incident.detectedSeverity];
  const severity =
    incident.severitySetBy === null || worse ? higher(detected, incident.severity) : incident.severity;
  return { severity, detectedSeverity };
};
