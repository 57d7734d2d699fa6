import { Counter, type Registry } from 'prom-client';

/** Fire-and-forget work owned by the background-task runner, by name and outcome. */
export const createBackgroundMetrics = (registry: Registry) => {
  const tasks = new Counter({
    name: 'auth0oncall_background_tasks_total',
    help: 'Background tasks (runbook writing, detection triggered by logs, async event listeners) by outcome.',
    labelNames: ['task', 'outcome'],
    registers: [registry],
  });
  return {
    settled(task: string, outcome: 'ok' | 'failed') {
      tasks.inc({ task, outcome });
    },
  };
};
