import type { Incident } from './model.js';

/** What the "check again" step says after detection ran once more for this incident. */
export const recheckVerdict = (incident: Incident | null | undefined): string => {
  if (!incident) return 'The incident no longer exists.';
  return incident.state === 'resolved'
    ? 'Checked again: the signal is quiet and the incident is resolved.'
    : `Checked again: still ${incident.severity} — ${incident.title}.`;
};
