import { z } from 'zod';
import { catalogEntry, type ActionCatalog, type ActionDefinition } from '../../../src/core/actions/action.js';
import type { ActionName } from '../../../src/core/runbooks/model.js';

/**
 * A catalog with the real action names whose checks enforce what the production catalog must:
 * a client ID must be the incident's client scope, an IP must be in the evidence. Nothing here
 * ever runs: `run` counts calls so a test can prove that.
 */
export interface TestCatalog {
  readonly catalog: ActionCatalog;
  readonly runs: () => number;
}

const clientParams = z.strictObject({
  clientId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,128}$/)
    .describe('The Auth0 client ID the incident is about'),
});
const ipParams = z.strictObject({
  ip: z
    .union([z.ipv4(), z.string().regex(z.regexes.ipv6)], { error: 'not an IP address' })
    .describe('An IP address from the evidence'),
});
const none = z.strictObject({});

export const createTestCatalog = (): TestCatalog => {
  let runs = 0;
  const run = () => {
    runs += 1;
    return Promise.resolve({ outcome: 'failure' as const, summary: 'the test catalog never runs' });
  };
  const define = <P>(
    name: ActionName,
    params: z.ZodType<P>,
    check: ActionDefinition<P>['check'],
    destructive = false,
  ) =>
    catalogEntry<P>({
      name,
      title: name,
      description: `Test action ${name}`,
      destructive,
      params,
      check,
      run,
      recover: run,
    });
  const client = (name: ActionName, destructive = false) =>
    define(
      name,
      clientParams,
      (p, ctx) =>
        ctx.incident.scope === `client:${p.clientId}` ||
        ctx.incident.scope.startsWith(`client:${p.clientId}/`)
          ? undefined
          : "clientId must be the incident's client scope",
      destructive,
    );
  const entries = [
    client('verify_client_credentials'),
    client('rollback_client_secret', true),
    client('rotate_client_credential', true),
    client('pause_rotation'),
    client('resume_rotation'),
    define('unblock_ip', ipParams, (p, ctx) =>
      p.ip === ctx.evidence.singleSourceIp || (ctx.evidence.topIps ?? []).some((t) => t.value === p.ip)
        ? undefined
        : 'ip must be in evidence.topIps or singleSourceIp',
    ),
    define('list_signing_keys', none, () => undefined),
    define('revoke_previous_signing_key', none, () => undefined, true),
    define('recheck_signal', none, () => undefined),
  ];
  return { catalog: new Map(entries.map((e) => [e.name, e])), runs: () => runs };
};
