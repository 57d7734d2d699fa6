import { z } from 'zod';
import type { RotationTarget } from '../rotation/target.js';
import type { SecretStore } from '../secrets/ports.js';
import type { ActionContext, ActionDefinition, ActionResult } from './action.js';
import type { ClientCredentialProof, ExchangeResult, TenantAdmin } from '../tenant/ports.js';
import type { RotationStarter } from '../rotation/ports.js';

export interface CredentialActionDeps {
  readonly targets: readonly RotationTarget[];
  readonly secrets: SecretStore | undefined;
  readonly admin: TenantAdmin;
  readonly rotation: RotationStarter | undefined;
  /** Auth0 may accept the old secret for ~30 s after a change: how long to keep trying. */
  readonly propagation: { readonly attempts: number; readonly delayMs: number };
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

const clientParams = z.strictObject({
  clientId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,128}$/)
    .describe('The Auth0 client ID the incident is about'),
});
type ClientParams = z.infer<typeof clientParams>;

const targetOf = (deps: CredentialActionDeps, clientId: string) =>
  deps.targets.find((t) => t.clientId === clientId);

/** The client must be this incident's subject: its scope, or a client in its evidence. */
const aboutThisIncident = (clientId: string, ctx: Pick<ActionContext, 'incident' | 'evidence'>): boolean =>
  ctx.incident.scope === `client:${clientId}` ||
  ctx.incident.scope.startsWith(`client:${clientId}/`) ||
  (ctx.evidence.topClients ?? []).some((c) => c.value === clientId);

const checkTarget = (
  deps: CredentialActionDeps,
  p: ClientParams,
  ctx: Pick<ActionContext, 'incident' | 'evidence'>,
) => {
  if (!deps.secrets) return 'Secrets Manager is not configured (set AWS_REGION and ROTATION_TARGETS)';
  if (!targetOf(deps, p.clientId))
    return `client ${p.clientId} is not in ROTATION_TARGETS, so its credential is not in Secrets Manager`;
  if (!aboutThisIncident(p.clientId, ctx)) return `client ${p.clientId} is not what this incident is about`;
  return undefined;
};

const proofOf = (target: RotationTarget, value: string): ClientCredentialProof =>
  target.strategy === 'client_secret'
    ? { kind: 'secret', secret: value }
    : { kind: 'private_key_jwt', pem: value };

const describe = (r: ExchangeResult) =>
  r.ok ? ('note' in r ? r.note : 'Auth0 issued a token') : `Auth0 refused it (HTTP ${r.status} ${r.error})`;

/** Exchanges until Auth0 accepts or the propagation window is over. */
const exchangeWithin = async (
  deps: CredentialActionDeps,
  clientId: string,
  proof: ClientCredentialProof,
  signal: AbortSignal,
) => {
  let last = await deps.admin.exchange(clientId, proof, signal);
  for (let i = 1; i < deps.propagation.attempts && !last.ok; i += 1) {
    await deps.sleep(deps.propagation.delayMs, signal);
    last = await deps.admin.exchange(clientId, proof, signal);
  }
  return last;
};

const verify = (deps: CredentialActionDeps): ActionDefinition<ClientParams> => {
  const run = async (p: ClientParams, ctx: ActionContext): Promise<ActionResult> => {
    const target = targetOf(deps, p.clientId);
    const current = target && (await deps.secrets?.get(target.secretId, 'AWSCURRENT', ctx.signal));
    if (!target || !current)
      return { outcome: 'failure', summary: `No AWSCURRENT credential found for ${p.clientId}` };
    const result = await deps.admin.exchange(p.clientId, proofOf(target, current.value), ctx.signal);
    return {
      outcome: result.ok ? 'success' : 'failure',
      summary: `The credential in Secrets Manager (AWSCURRENT) for ${p.clientId}: ${describe(result)}`,
      detail: { versionId: current.versionId, status: result.ok ? 200 : result.status },
    };
  };
  return {
    name: 'verify_client_credentials',
    title: 'Verify the client credentials',
    description:
      "A real token exchange with the client's credential as stored in Secrets Manager (AWSCURRENT).",
    destructive: false,
    params: clientParams,
    check: (p, ctx) => checkTarget(deps, p, ctx),
    run,
    // Read-only: running it again after a crash is safe.
    recover: run,
  };
};

const rollback = (deps: CredentialActionDeps): ActionDefinition<ClientParams> => ({
  name: 'rollback_client_secret',
  title: 'Roll back to the previous secret',
  description:
    'Puts the AWSPREVIOUS secret back on the Auth0 client and makes it AWSCURRENT again, then verifies it.',
  destructive: true,
  params: clientParams,
  check: (p, ctx) => {
    const problem = checkTarget(deps, p, ctx);
    if (problem) return problem;
    return targetOf(deps, p.clientId)?.strategy === 'client_secret'
      ? undefined
      : `${p.clientId} uses private_key_jwt: roll back by rotation`;
  },
  run: async (p, ctx) => {
    const target = targetOf(deps, p.clientId);
    const secrets = deps.secrets;
    if (!target || !secrets) return { outcome: 'failure', summary: 'Not configured' };
    const previous = await secrets.get(target.secretId, 'AWSPREVIOUS', ctx.signal);
    const current = await secrets.get(target.secretId, 'AWSCURRENT', ctx.signal);
    if (!previous || !current)
      return {
        outcome: 'failure',
        summary: `There is no AWSPREVIOUS secret for ${p.clientId} to roll back to`,
      };
    // Auth0 first: if Secrets Manager then fails, consumers still read AWSCURRENT, which Auth0
    // keeps accepting during the propagation window, and recover() finds the half-done state.
    await deps.admin.setClientSecret(p.clientId, previous.value, ctx.signal);
    await secrets.moveStage(target.secretId, 'AWSCURRENT', previous.versionId, current.versionId, ctx.signal);
    const check = await exchangeWithin(
      deps,
      p.clientId,
      { kind: 'secret', secret: previous.value },
      ctx.signal,
    );
    return {
      outcome: check.ok ? 'success' : 'failure',
      summary: `Rolled ${p.clientId} back to version ${previous.versionId.slice(0, 8)}…; verification: ${describe(check)}`,
      detail: { restoredVersion: previous.versionId, replacedVersion: current.versionId },
    };
  },
  recover: async (p, ctx) => {
    // Never re-run blindly: verify what AWSCURRENT is now and say so.
    const target = targetOf(deps, p.clientId);
    const current = target && (await deps.secrets?.get(target.secretId, 'AWSCURRENT', ctx.signal));
    if (!target || !current) return { outcome: 'failure', summary: 'Interrupted; no AWSCURRENT to check' };
    const check = await deps.admin.exchange(p.clientId, proofOf(target, current.value), ctx.signal);
    return {
      outcome: check.ok ? 'success' : 'failure',
      summary: `Interrupted by a restart. AWSCURRENT is version ${current.versionId.slice(0, 8)}…: ${describe(check)}.${check.ok ? '' : ' Run the rollback again with Retry.'}`,
    };
  },
});

const rotate = (deps: CredentialActionDeps): ActionDefinition<ClientParams> => {
  const run = async (p: ClientParams, ctx: ActionContext): Promise<ActionResult> => {
    const target = targetOf(deps, p.clientId);
    if (!deps.rotation || !target) {
      return {
        outcome: 'failure',
        summary:
          'Credential rotation is not configured in this version: rotate in the Auth0 dashboard and update the secret.',
      };
    }
    const r = await deps.rotation.rotate(target, ctx.actor, ctx.signal);
    return { outcome: r.ok ? 'success' : 'failure', summary: r.summary };
  };
  return {
    name: 'rotate_client_credential',
    title: "Rotate the client's credential",
    description:
      'Starts a safe rotation of the client credential through Secrets Manager (verify before promote).',
    destructive: true,
    params: clientParams,
    check: (p, ctx) => checkTarget(deps, p, ctx),
    run,
    // The rotation service persists its own state machine and resumes it; asking it again is safe.
    recover: run,
  };
};

export const credentialActions = (deps: CredentialActionDeps) =>
  [verify(deps), rollback(deps), rotate(deps)] as const;
