import { describe, expect, it } from 'vitest';
import { checkViewLimits, viewByteLength } from '@auth0-oncall/fakes/slack';
import type { AuditEntry } from '../../../../src/core/audit/ports.js';
import type { Incident, Severity } from '../../../../src/core/incidents/model.js';
import type { IncidentStats } from '../../../../src/core/incidents/incident-stats.js';
import { homeView, type HomeViewInput } from '../../../../src/slack/blocks/home-view.js';
import { anIncident, NOW } from './incident-fixtures.js';

const NASTY = `<!channel> *bold* \u202eevil\u200b ${'&<>|'.repeat(400)} ${'🔥'.repeat(300)}`;

const stats = (days: number, mttaMs?: number): IncidentStats => {
  const none = { count: 0, mttaMs: undefined, mttrMs: undefined };
  return {
    days,
    open: { high: 0, medium: 0, low: 0, info: 0 },
    bySeverity: {
      all: { count: 3, mttaMs, mttrMs: 7_200_000 },
      high: { count: 1, mttaMs, mttrMs: 3_600_000 },
      medium: none,
      low: none,
      info: none,
    },
  };
};

const anEntry = (id: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at: '2024-05-01T10:10:00.000Z',
  actor: 'U0OPERATOR',
  action: 'incident.ack',
  outcome: 'success',
  summary: `acknowledged incident ${id}`,
  incidentId: null,
  stepId: null,
  idempotencyKey: null,
  durationMs: null,
  detail: {},
  ...over,
});

const input = (over: Partial<HomeViewInput> = {}): HomeViewInput => ({
  incidents: [anIncident()],
  permalink: (i) => `https://acme.slack.com/archives/C0ALERTS/p${i.id}`,
  dependencies: [
    { name: 'Auth0', state: 'closed', lastSuccess: new Date('2024-05-01T10:19:00.000Z') },
    {
      name: 'Secrets Manager',
      state: 'open',
      lastFailure: { at: new Date('2024-05-01T10:18:00.000Z'), reason: 'ThrottlingException' },
    },
    { name: 'LLM', state: 'half_open' },
    { name: 'Slack', state: 'closed' },
  ],
  intake: [
    {
      title: 'Auth0',
      items: [
        { label: 'log poll', value: '20s ago, caught up', level: 'ok' },
        { label: 'rate limit (logs)', value: '40 of 50 left', level: 'ok' },
      ],
    },
  ],
  rotation: {
    title: 'Rotation',
    items: [{ label: 'billing-worker', value: 'succeeded 2d ago (schedule); next in 5d', level: 'ok' }],
  },
  stats: { week: stats(7, 240_000), month: stats(30) },
  audit: [anEntry(1), anEntry(2)],
  now: NOW,
  isOperator: false,
  ...over,
});

const text = (view: unknown) => JSON.stringify(view);
const severities: Severity[] = ['info', 'low', 'medium', 'high'];

const worstCase = (isOperator: boolean): HomeViewInput => {
  const incidents: Incident[] = Array.from({ length: 40 }, (_, n) =>
    anIncident({
      id: `inc-${n}`,
      severity: severities[n % 4]!,
      title: `${NASTY} ${n}`,
      state: n % 3 === 0 ? 'acknowledged' : 'open',
      acknowledgedBy: n % 3 === 0 ? NASTY : null,
      escalatedAt: n % 5 === 0 ? '2024-05-01T10:15:00.000Z' : null,
    }),
  );
  return input({
    isOperator,
    incidents,
    permalink: (i) => `https://acme.slack.com/archives/C0ALERTS/p${i.id}${'x'.repeat(900)}`,
    dependencies: Array.from({ length: 14 }, (_, n) => ({
      name: `${NASTY}${n}`,
      state: 'open' as const,
      lastSuccess: NOW,
      lastFailure: { at: NOW, reason: NASTY },
    })),
    intake: Array.from({ length: 6 }, () => ({
      title: NASTY,
      items: Array.from({ length: 25 }, () => ({ label: NASTY, value: NASTY, level: 'warn' as const })),
    })),
    rotation: {
      title: 'Rotation',
      items: Array.from({ length: 20 }, (_, n) => ({
        label: `client-${n}-${NASTY}`,
        value: NASTY,
        level: 'error' as const,
      })),
    },
    audit: Array.from({ length: 50 }, (_, n) => anEntry(n, { summary: NASTY, actor: NASTY })),
  });
};

describe('the App Home view', () => {
  it.each([true, false])(
    'stays within Slack’s Home limits with 40 incidents, 20 targets and hostile text (operator: %s)',
    (isOperator) => {
      const view = homeView(worstCase(isOperator));
      expect(checkViewLimits(view)).toEqual([]);
      expect(view.blocks.length).toBeLessThanOrEqual(60);
      expect(viewByteLength(view)).toBeLessThan(60_000);
      const all = text(view);
      expect(all).toContain('… 25 more'); // 40 incidents, 15 shown
      expect(all).toContain('… 10 more'); // 20 rotation targets, 10 shown
      expect(all).not.toContain('<!channel>');
      expect(all).not.toContain('\\u202e');
    },
  );

  it('lists open incidents highest severity first, linked to their cards, with state and age', () => {
    const view = homeView(
      input({
        incidents: [
          anIncident({ id: 'low-1', severity: 'low', title: 'Low one' }),
          anIncident({
            id: 'high-1',
            severity: 'high',
            title: 'High one',
            state: 'acknowledged',
            acknowledgedBy: 'U0ACKER',
            escalatedAt: '2024-05-01T10:10:00.000Z',
          }),
          anIncident({ id: 'gone', title: 'Resolved one', state: 'resolved' }),
        ],
      }),
    );
    const all = text(view);
    expect(all).toContain('Open incidents (2)');
    expect(all.indexOf('High one')).toBeLessThan(all.indexOf('Low one'));
    expect(all).not.toContain('Resolved one');
    expect(all).toContain('<https://acme.slack.com/archives/C0ALERTS/phigh-1|High one>');
    expect(all).toContain('owner <@U0ACKER>');
    expect(all).toContain('escalated');
    expect(all).toContain('open 20 min');
    expect(all).toMatch(/<!date\^\d+\^/);
  });

  it('shows each dependency’s breaker state, poller lag, budget, rotation and MTTA/MTTR', () => {
    const all = text(homeView(input()));
    expect(all).toContain('*Auth0*\\n:large_green_circle: healthy');
    expect(all).toContain('unreachable (circuit open)');
    expect(all).toContain('ThrottlingException');
    expect(all).toContain('recovering (half-open)');
    expect(all).toContain('40 of 50 left');
    expect(all).toContain('billing-worker');
    expect(all).toContain('Last 7 days');
    expect(all).toContain('MTTA 4 min');
    expect(all).toContain('Last 30 days');
    expect(all).toContain('MTTA —');
    expect(all).toContain('"action_id":"home:refresh"');
  });

  it('shows the latest audit entries to operators only', () => {
    expect(text(homeView(input({ isOperator: true })))).toContain('acknowledged incident 2');
    const plain = text(homeView(input({ isOperator: false })));
    expect(plain).not.toContain('acknowledged incident');
    expect(plain).not.toContain('Recent audit entries');
  });

  it('says so when there is nothing to show', () => {
    const view = homeView(
      input({
        incidents: [],
        dependencies: [],
        intake: [{ title: 'Auth0', items: [] }],
        rotation: { title: 'Rotation', items: [] },
        audit: [],
        isOperator: true,
      }),
    );
    const all = text(view);
    expect(all).toContain('No open incidents');
    expect(all).toContain('No dependencies reported');
    expect(all).toContain('Nothing reported yet');
    expect(all).toContain('No rotation targets configured');
    expect(all).toContain('Nothing audited yet');
    expect(checkViewLimits(view)).toEqual([]);
  });

  it('does not link a card whose permalink is not a plain https URL', () => {
    const all = text(homeView(input({ permalink: () => 'https://evil|x>' })));
    expect(all).not.toContain('https://evil');
    expect(all).toContain('*M2M token failures for billing-worker*');
  });
});
