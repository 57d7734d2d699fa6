import { Counter, Gauge, type Registry } from 'prom-client';

export interface OutboxMetrics {
  hookDelivery(outcome: 'delivered' | 'failed' | 'retry'): void;
}

/** The outboxes' backlog (read at scrape time) and the JWKS-refresh hooks' attempts. */
export const createOutboxMetrics = (
  registry: Registry,
  pending: () => { readonly slack: number; readonly jwks_hooks: number },
): OutboxMetrics => {
  const registers = [registry];
  new Gauge({
    name: 'auth0oncall_outbox_pending',
    help: 'Messages waiting in an outbox: Slack lines and cards (slack), JWKS-refresh hook deliveries (jwks_hooks).',
    labelNames: ['outbox'],
    registers,
    collect() {
      const now = pending();
      this.set({ outbox: 'slack' }, now.slack);
      this.set({ outbox: 'jwks_hooks' }, now.jwks_hooks);
    },
  });
  const hooks = new Counter({
    name: 'auth0oncall_jwks_hook_deliveries_total',
    help: 'JWKS-refresh hook attempts by outcome: delivered (2xx), retry, failed (refused or given up).',
    labelNames: ['outcome'],
    registers,
  });
  for (const outcome of ['delivered', 'failed', 'retry']) hooks.inc({ outcome }, 0);
  return {
    hookDelivery: (outcome) => {
      hooks.inc({ outcome });
    },
  };
};
