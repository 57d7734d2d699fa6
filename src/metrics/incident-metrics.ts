import { Gauge, type Registry } from 'prom-client';
import type { IncidentStats } from '../core/incidents/incident-stats.js';

export interface IncidentMetrics {
  update(stats: IncidentStats): void;
}

/** auth0oncall_incidents_open and MTTA / MTTR over the stats' period, by severity. */
export const createIncidentMetrics = (registry: Registry): IncidentMetrics => {
  const registers = [registry];
  const open = new Gauge({
    name: 'auth0oncall_incidents_open',
    help: 'Unresolved incidents, by severity.',
    labelNames: ['severity'],
    registers,
  });
  const mtta = new Gauge({
    name: 'auth0oncall_incident_mtta_seconds',
    help: 'Mean time to acknowledge over the last 7 days, by severity.',
    labelNames: ['severity'],
    registers,
  });
  const mttr = new Gauge({
    name: 'auth0oncall_incident_mttr_seconds',
    help: 'Mean time to resolve over the last 7 days, by severity.',
    labelNames: ['severity'],
    registers,
  });
  return {
    update(stats) {
      for (const [severity, count] of Object.entries(stats.open)) open.set({ severity }, count);
      for (const [severity, s] of Object.entries(stats.bySeverity)) {
        if (s.mttaMs !== undefined) mtta.set({ severity }, s.mttaMs / 1000);
        if (s.mttrMs !== undefined) mttr.set({ severity }, s.mttrMs / 1000);
      }
    },
  };
};
