import { Counter, type Registry } from 'prom-client';

export interface RunbookMetrics {
  written(provider: string): void;
  dropped(writer: string): void;
  fallback(writer: string): void;
}

/** Which writer produced each runbook, and how often a writer's proposal was refused. */
export const createRunbookMetrics = (registry: Registry): RunbookMetrics => {
  const registers = [registry];
  const written = new Counter({
    name: 'auth0oncall_runbooks_total',
    help: 'Runbooks attached, by provider.',
    labelNames: ['provider'],
    registers,
  });
  const dropped = new Counter({
    name: 'auth0oncall_runbook_actions_dropped_total',
    help: 'Proposed actions dropped: not in the catalog, bad parameters, or not fitting the incident.',
    labelNames: ['writer'],
    registers,
  });
  const fallback = new Counter({
    name: 'auth0oncall_runbook_fallbacks_total',
    help: 'Times a runbook writer failed and the next one was tried.',
    labelNames: ['writer'],
    registers,
  });
  return {
    written: (provider) => {
      written.inc({ provider });
    },
    dropped: (writer) => {
      dropped.inc({ writer });
    },
    fallback: (writer) => {
      fallback.inc({ writer });
    },
  };
};
