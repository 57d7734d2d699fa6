import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits, checkViewLimits } from '@auth0-oncall/fakes/slack';
import { actionSpecs } from '../../../../src/core/actions/catalog.js';
import type { Decision } from '../../../../src/core/detection/model.js';
import { evidenceOf, evidenceRecord } from '../../../../src/core/incidents/evidence-codec.js';
import type { Incident, IncidentStep } from '../../../../src/core/incidents/model.js';
import { auth0LogsUrl, logSearchQuery } from '../../../../src/core/tenant/dashboard-link.js';
import { builtinRunbook } from '../../../../src/llm/builtin/builtin-runbook-writer.js';
import { detailsModal } from '../../../../src/slack/blocks/details-modal.js';
import { incidentCard } from '../../../../src/slack/blocks/incident-card.js';
import { openIncident } from '../../../helpers/incident-fixture.js';
import { loadScenario, scenarioEntries, scenarioNames } from '../../../helpers/scenarios.js';
import { createWorld, NOW } from '../../core/detection/world.js';
import { createTestCatalog } from '../../llm/test-catalog.js';
import { allTexts } from './incident-fixtures.js';

/**
 * Every card the detection corpus (tests/fixtures/auth0-scenarios) opens, rendered as Slack would
 * get it — open, acknowledged and escalated, resolved — with its built-in runbook, its dashboard
 * link and its Details modal: each stays within Block Kit's limits.
 */

const actions = actionSpecs(createTestCatalog().catalog);
const TENANT = { region: 'eu', tenant: 'acme' } as const;

type Opened = Extract<Decision, { kind: 'open' }>;

const openedBy = (name: string): Opened[] => {
  const world = createWorld();
  world.normal(120);
  world.raw(scenarioEntries(loadScenario(name), NOW.getTime()));
  return world
    .detector()
    .evaluate([])
    .filter((d): d is Opened => d.kind === 'open');
};

const stepsFor = (incident: Incident, d: Opened): IncidentStep[] =>
  builtinRunbook({
    incident: { id: incident.id, signal: d.signal, scope: d.scope, severity: d.severity, title: d.title },
    evidence: d.evidence,
    actions,
    tenant: { domain: 'acme.eu.auth0.com' },
  }).map((s, i) => ({
    incidentId: incident.id,
    stepId: `s${String(i)}`,
    position: i,
    kind: s.kind,
    title: s.title,
    body: s.body,
    action: s.kind === 'action' ? s.action : null,
    params: s.kind === 'action' ? s.params : {},
    destructive: false,
    state: i === 0 ? 'succeeded' : 'pending',
    lastKey: null,
    updatedAt: NOW.toISOString(),
  }));

const states = (base: Incident): Incident[] => [
  base,
  {
    ...base,
    state: 'acknowledged',
    acknowledgedBy: 'U0ACK',
    acknowledgedAt: NOW.toISOString(),
    escalatedBy: 'U0ESC',
    escalatedAt: NOW.toISOString(),
  },
  { ...base, state: 'resolved', resolvedBy: 'system', resolvedAt: NOW.toISOString(), resolution: 'auto' },
];

describe('every card of the detection corpus', () => {
  const names = scenarioNames();

  it.each(names)('%s: every card and its Details stay within Block Kit limits', (name) => {
    const opened = openedBy(name);
    expect(opened.length).toBe(loadScenario(name).expect.cards.length);
    for (const d of opened) {
      // Through the stored form, as the card is rebuilt from the incident row.
      const base = openIncident({
        id: `inc_${d.signal}`,
        signal: d.signal,
        scope: d.scope,
        severity: d.severity,
        title: d.title,
        openedAt: NOW.toISOString(),
        evidence: evidenceRecord(d.evidence),
        runbookProvider: 'builtin',
      });
      const evidence = evidenceOf(base.evidence, base.openedAt);
      expect(evidence).toEqual(d.evidence);
      const steps = stepsFor(base, d);
      const logsUrl = auth0LogsUrl(TENANT, evidence.logQuery);
      for (const incident of states(base)) {
        const card = incidentCard({ incident, evidence, steps, logsUrl, now: NOW });
        expect(
          checkBlockKitLimits(card.blocks, { surface: 'message' }),
          `${d.signal} ${incident.state}`,
        ).toEqual([]);
        expect(allTexts(card.blocks).join('').length).toBeLessThan(12_000);
        const query = evidence.logQuery === undefined ? '' : logSearchQuery(evidence.logQuery);
        const view = detailsModal({ incident, evidence, steps, logs: { url: logsUrl, query } });
        expect(checkViewLimits(view), `${d.signal} details`).toEqual([]);
      }
    }
  });
});
