import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SlackMetrics } from '../slack/app.js';

export interface AppMetrics {
  readonly registry: Registry;
  readonly slack: SlackMetrics;
  countCommand(subcommand: string): void;
}

/** One registry per app instance (no global default), so tests can build several side by side. */
export const createMetrics = ({ version }: { version: string }): AppMetrics => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  new Gauge({
    name: 'auth0oncall_build_info',
    help: 'Always 1; labels carry the running version.',
    labelNames: ['version', 'node'],
    registers,
  }).set({ version, node: process.version }, 1);
  const ackLatency = new Histogram({
    name: 'auth0oncall_ack_latency_seconds',
    help: 'Time from a Socket Mode envelope arriving to its ack (Slack allows 3 s).',
    labelNames: ['envelope_type'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers,
  });
  const socketConnected = new Gauge({
    name: 'auth0oncall_slack_socket_connected',
    help: '1 while the Socket Mode connection is up.',
    registers,
  });
  const errors = new Counter({
    name: 'auth0oncall_errors_total',
    help: 'Errors reaching the error sink, by code.',
    labelNames: ['code'],
    registers,
  });
  const droppedEnvelopes = new Counter({
    name: 'auth0oncall_dropped_envelopes_total',
    help: 'Socket Mode envelopes dropped because they were malformed or the SDK threw on them.',
    labelNames: ['reason'],
    registers,
  });
  const commands = new Counter({
    name: 'auth0oncall_slack_commands_total',
    help: '/auth0 invocations by subcommand.',
    labelNames: ['subcommand'],
    registers,
  });
  socketConnected.set(0);

  return {
    registry,
    slack: {
      observeAckLatency: (seconds, envelopeType) => {
        ackLatency.observe({ envelope_type: envelopeType }, seconds);
      },
      setSocketConnected: (connected) => {
        socketConnected.set(connected ? 1 : 0);
      },
      countError: (code) => {
        errors.inc({ code });
      },
      countDroppedEnvelope: (reason) => {
        droppedEnvelopes.inc({ reason });
      },
    },
    countCommand: (subcommand) => {
      commands.inc({ subcommand });
    },
  };
};
