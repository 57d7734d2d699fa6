import { openIncident } from '../../../helpers/incident-fixture.js';
import { describe, expect, it } from 'vitest';
import { actionSpecs, createActionCatalog } from '../../../../src/core/actions/catalog.js';
import type { Evidence } from '../../../../src/core/detection/model.js';
import type { Incident } from '../../../../src/core/incidents/model.js';
import { createRunbookChain } from '../../../../src/core/runbooks/chain.js';
import type { RunbookWriter } from '../../../../src/core/runbooks/model.js';

/**
 * pause_rotation / resume_rotation and revoke_previous_signing_key are bound to the incident when
 * a runbook is proposed: the real catalog behind the runbook chain drops a step about a client or
 * a key the incident does not name, however the writer (a model) phrased it.
 */

const SCOPED = 'Zx81billing';
const UNRELATED = 'Qq42payroll'; // a rotation target too, but not what the incident is about
const PREVIOUS_KID = 'kid-previous-00001';
const OTHER_KID = 'kid-unrelated-0009';
const T0 = '2026-03-01T12:00:00.000Z';

const catalog = createActionCatalog({
  targets: [
    { clientId: SCOPED, strategy: 'client_secret', secretId: 'prod/billing' },
    { clientId: UNRELATED, strategy: 'client_secret', secretId: 'prod/payroll' },
  ],
  secrets: undefined,
  rotation: undefined,
  propagation: { attempts: 1, delayMs: 1 },
  sleep: () => Promise.resolve(),
  admin: {
    exchange: () => Promise.resolve({ ok: true }),
    setClientSecret: () => Promise.resolve(),
    revokeSigningKey: () => Promise.resolve(),
    unblockIp: () => Promise.resolve(),
    isIpBlocked: () => Promise.resolve(false),
  },
  keys: { listSigningKeys: () => Promise.resolve([]) },
  rotationControl: { isPaused: () => false, setPaused: () => undefined },
  rechecker: { recheck: () => Promise.resolve('still firing') },
});

const incident = (signal: Incident['signal'], scope: string): Incident =>
  openIncident({ signal, scope, openedAt: T0, updatedAt: T0 });

const evidence = (over: Partial<Evidence> = {}): Evidence => ({
  window: { from: '2026-03-01T11:55:00.000Z', to: T0, minutes: 5 },
  failures: 40,
  rate: 8,
  suspects: [],
  ...over,
});

const step = (action: string, params: Record<string, unknown>) => ({
  kind: 'action',
  title: `${action} ${JSON.stringify(params)}`,
  body: 'as proposed',
  action,
  params,
});

/** What survives the chain when a writer proposes `steps` for this incident. */
const vetted = async (inc: Incident, ev: Evidence, steps: unknown[]) => {
  const writer: RunbookWriter = { name: 'anthropic', write: () => Promise.resolve({ steps }) };
  const dropped: string[] = [];
  const chain = createRunbookChain({
    writers: [writer],
    catalog,
    timeoutMs: 1_000,
    now: () => new Date(T0),
    onDropped: (reason) => dropped.push(reason),
  });
  const request = {
    incident: { id: inc.id, signal: inc.signal, scope: inc.scope, severity: inc.severity, title: inc.title },
    evidence: ev,
    actions: actionSpecs(catalog),
    tenant: { domain: 'acme.eu.auth0.com' },
  };
  const runbook = await chain.write(request, { incident: inc, evidence: ev });
  return { titles: runbook.steps.map((s) => s.title), provider: runbook.provider, dropped };
};

describe('actions bound to the incident at proposal time', () => {
  it('keeps pause/resume of the client in scope and drops them for an unrelated rotation target', async () => {
    const inc = incident('m2m_token_failures', `client:${SCOPED}`);
    const r = await vetted(inc, evidence({ topClients: [{ value: SCOPED, count: 40 }] }), [
      step('pause_rotation', { clientId: SCOPED }),
      step('pause_rotation', { clientId: UNRELATED }),
      step('resume_rotation', { clientId: UNRELATED }),
    ]);
    expect(r.provider).toBe('anthropic');
    expect(r.titles).toEqual([`pause_rotation {"clientId":"${SCOPED}"}`]);
    expect(r.dropped).toEqual([
      `step 2 (pause_rotation): client ${UNRELATED} is not in this incident's scope`,
      `step 3 (resume_rotation): client ${UNRELATED} is not in this incident's scope`,
    ]);
  });

  it("keeps a client named among the evidence's clients of a tenant-wide incident", async () => {
    const inc = incident('m2m_token_failures', 'tenant');
    const r = await vetted(inc, evidence({ topClients: [{ value: UNRELATED, count: 3 }] }), [
      step('resume_rotation', { clientId: UNRELATED }),
      step('resume_rotation', { clientId: SCOPED }),
    ]);
    expect(r.titles).toEqual([`resume_rotation {"clientId":"${UNRELATED}"}`]);
  });

  it('keeps revoking the kid the signing-key evidence names and drops any other kid', async () => {
    const inc = incident('signing_key', 'tenant');
    const ev = evidence({
      summary: `The tenant's signing key was rotated: kid-current-000001 is current (was ${PREVIOUS_KID}).`,
      suspects: [
        {
          at: T0,
          kind: 'signing_key_rotation',
          who: 'signing-key watcher',
          what: `signing key rotated to kid-current-000001 (was ${PREVIOUS_KID})`,
          expected: false,
        },
      ],
    });
    const r = await vetted(inc, ev, [
      step('revoke_previous_signing_key', { kid: PREVIOUS_KID }),
      step('revoke_previous_signing_key', { kid: OTHER_KID }),
      // A prefix of a named kid is not the kid.
      step('revoke_previous_signing_key', { kid: 'kid-previous' }),
    ]);
    expect(r.titles).toEqual([`revoke_previous_signing_key {"kid":"${PREVIOUS_KID}"}`]);
    expect(r.dropped).toHaveLength(2);
    expect(r.dropped[0]).toMatch(/is not named by this incident's evidence/);
  });

  it('drops revoking a key when the incident has nothing to do with signing keys', async () => {
    const inc = incident('failed_logins', 'tenant');
    const r = await vetted(inc, evidence({ summary: `mentions ${PREVIOUS_KID} in passing` }), [
      step('revoke_previous_signing_key', { kid: PREVIOUS_KID }),
      step('recheck_signal', {}),
    ]);
    expect(r.titles).toEqual(['recheck_signal {}']);
  });
});
