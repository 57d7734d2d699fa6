import type { KnownBlock } from '@slack/types';
import type { Evidence, Suspect, TopItem } from '../../../../src/core/detection/model.js';
import type { Incident, IncidentStep } from '../../../../src/core/incidents/model.js';

/** Builders for the incident block tests: realistic defaults, each field overridable. */

export const NOW = new Date('2024-05-01T10:20:00.000Z');

export const anIncident = (over: Partial<Incident> = {}): Incident => ({
  id: 'inc-42',
  signal: 'm2m_token_failures',
  scope: 'billing-worker',
  severity: 'high',
  state: 'open',
  title: 'M2M token failures for billing-worker',
  openedAt: '2024-05-01T10:00:00.000Z',
  updatedAt: '2024-05-01T10:05:00.000Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  escalatedAt: null,
  escalatedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  resolution: null,
  slackChannel: 'C0ALERTS',
  slackTs: '1714557600.000100',
  evidence: {},
  runbookProvider: 'builtin',
  owner: null,
  severitySetBy: null,
  detectedSeverity: 'high',
  ...over,
});

export const someEvidence = (over: Partial<Evidence> = {}): Evidence => ({
  window: { from: '2024-05-01T09:55:00.000Z', to: '2024-05-01T10:00:00.000Z', minutes: 5 },
  failures: 240,
  successes: 60,
  ratio: 0.8,
  rate: 48,
  baseline: 0.5,
  topClients: [{ value: 'billing-worker', count: 240 }],
  topIps: [{ value: '203.0.113.7', count: 230 }],
  suspects: [],
  ...over,
});

export const aStep = (over: Partial<IncidentStep> = {}): IncidentStep => ({
  incidentId: 'inc-42',
  stepId: 'verify',
  position: 0,
  kind: 'action',
  title: 'Verify the client credentials',
  body: 'Runs a real client-credentials exchange for billing-worker.',
  action: 'verify_client_credentials',
  params: { clientId: 'abc' },
  destructive: false,
  state: 'pending',
  lastKey: null,
  updatedAt: '2024-05-01T10:01:00.000Z',
  ...over,
});

export const aSuspect = (over: Partial<Suspect> = {}): Suspect => ({
  at: '2024-05-01T09:56:00.000Z',
  kind: 'tenant_change',
  who: 'deploy-bot',
  what: 'PATCH /api/v2/clients/abc',
  expected: false,
  ...over,
});

export const manyItems = (n: number, value: (i: number) => string): TopItem[] =>
  Array.from({ length: n }, (_, i) => ({ value: value(i), count: n - i }));

/** Every `text` string anywhere in the blocks: what Slack counts towards `msg_blocks_too_long`. */
export const allTexts = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(allTexts);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === 'text' && typeof v === 'string' ? [v] : allTexts(v),
  );
};

export const mrkdwnTexts = (blocks: readonly KnownBlock[]): string[] => {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      if (record.type === 'mrkdwn' && typeof record.text === 'string') out.push(record.text);
      Object.values(record).forEach(walk);
    }
  };
  walk(blocks);
  return out;
};

interface ButtonLike {
  readonly action_id: string;
  readonly value?: string;
  readonly style?: string;
  readonly text: { readonly text: string };
  readonly confirm?: unknown;
}

const isButton = (value: unknown): value is ButtonLike =>
  typeof value === 'object' && value !== null && 'type' in value && value.type === 'button';

/** Every button in the blocks, in order: section accessories and actions elements. */
export const buttons = (blocks: readonly KnownBlock[]): ButtonLike[] =>
  blocks.flatMap((b): ButtonLike[] => {
    if (b.type === 'section') return isButton(b.accessory) ? [b.accessory] : [];
    if (b.type === 'actions') return b.elements.flatMap((e) => (isButton(e) ? [e] : []));
    return [];
  });
