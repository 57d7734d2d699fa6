import { isIP } from 'node:net';
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

const clientSchema = {
  type: 'object',
  properties: { clientId: { type: 'string', description: 'The Auth0 client ID the incident is about' } },
  required: ['clientId'],
  additionalProperties: false,
} as const;
const ipSchema = {
  type: 'object',
  properties: { ip: { type: 'string', description: 'An IP address from the evidence' } },
  required: ['ip'],
  additionalProperties: false,
} as const;
const noParams = { type: 'object', properties: {}, additionalProperties: false } as const;

const clientParams = z.object({ clientId: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/) });
const ipParams = z.object({ ip: z.string().refine((v) => isIP(v) !== 0, 'not an IP address') });
const none = z.object({});

export const createTestCatalog = (): TestCatalog => {
  let runs = 0;
  const run = () => {
    runs += 1;
    return Promise.resolve({ outcome: 'failure' as const, summary: 'the test catalog never runs' });
  };
  const define = <P>(
    name: ActionName,
    params: z.ZodType<P>,
    paramsJsonSchema: Readonly<Record<string, unknown>>,
    check: ActionDefinition<P>['check'],
    destructive = false,
  ) =>
    catalogEntry<P>({
      name,
      title: name,
      description: `Test action ${name}`,
      destructive,
      params,
      paramsJsonSchema,
      check,
      run,
      recover: run,
    });
  const client = (name: ActionName, destructive = false) =>
    define(
      name,
      clientParams,
      clientSchema,
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
    define('unblock_ip', ipParams, ipSchema, (p, ctx) =>
      p.ip === ctx.evidence.singleSourceIp || (ctx.evidence.topIps ?? []).some((t) => t.value === p.ip)
        ? undefined
        : 'ip must be in evidence.topIps or singleSourceIp',
    ),
    define('list_signing_keys', none, noParams, () => undefined),
    define('revoke_previous_signing_key', none, noParams, () => undefined, true),
    define('recheck_signal', none, noParams, () => undefined),
  ];
  return { catalog: new Map(entries.map((e) => [e.name, e])), runs: () => runs };
};
