import { describe, expect, it } from 'vitest';
import { actionSpecs, createActionCatalog } from '../../../src/core/actions/catalog.js';
import type { DetectionSignal } from '../../../src/core/detection/model.js';
import { createRunbookChain } from '../../../src/core/runbooks/chain.js';
import { BuiltinRunbookWriter } from '../../../src/llm/builtin/builtin-runbook-writer.js';
import { refusingCatalogDeps } from '../../helpers/refusing-catalog-deps.js';
import { baseEvidence, OFFICE_IP, requestFor, SCOPED_CLIENT } from './fixtures.js';

/** Nothing may run here: every port refuses. Only parameter schemas and checks are exercised. */
const deps = refusingCatalogDeps([
  { clientId: SCOPED_CLIENT, strategy: 'client_secret', secretId: 'auth0/m2m/billing' },
]);

const CASES: [DetectionSignal, string, ReturnType<typeof baseEvidence>, readonly string[]][] = [
  [
    'm2m_token_failures',
    `client:${SCOPED_CLIENT}`,
    baseEvidence(),
    ['verify_client_credentials', 'rollback_client_secret', 'recheck_signal'],
  ],
  [
    'attack_protection',
    'tenant',
    baseEvidence({ singleSourceIp: OFFICE_IP }),
    ['unblock_ip', 'recheck_signal'],
  ],
  [
    'credential_expiry',
    `client:${SCOPED_CLIENT}/credential:cred_1`,
    baseEvidence(),
    ['rotate_client_credential', 'verify_client_credentials', 'recheck_signal'],
  ],
  [
    'signing_key',
    'tenant',
    baseEvidence(),
    ['list_signing_keys', 'resend_jwks_refresh_hooks', 'recheck_signal'],
  ],
];

describe('the built-in runbooks against the production action catalog', () => {
  const catalog = createActionCatalog(deps);

  it.each(CASES)(
    '%s: every proposed action binds and passes its check',
    async (signal, scope, evidence, expected) => {
      const { request, incident } = requestFor({ signal, scope, evidence });
      const dropped: string[] = [];
      const chain = createRunbookChain({
        writers: [new BuiltinRunbookWriter()],
        catalog,
        timeoutMs: 1_000,
        now: () => new Date('2025-03-01T10:00:00.000Z'),
        onDropped: (reason) => dropped.push(reason),
      });

      const runbook = await chain.write(
        { ...request, actions: actionSpecs(catalog) },
        { incident, evidence },
      );

      expect(dropped).toEqual([]);
      expect(runbook.steps.flatMap((s) => (s.kind === 'action' ? [s.action] : []))).toEqual(expected);
    },
  );
});
