import { z } from 'zod';
import type { RotationTarget } from '../rotation/target.js';
import type { SecretStore } from '../secrets/ports.js';
import type { ActionContext, ActionDefinition, ActionResult } from './action.js';
import type { ClientCredentialProof, ExchangeResult, TenantAdmin } from '../tenant/ports.js';
import type { Rotation } from '../rotation/model.js';
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

/** What a rollback intends, recorded on its claim before Auth0 or Secrets Manager is touched. */
const rollbackPlan = z.object({ restore: z.string().min(1), replace: z.string().min(1) });
type RollbackPlan = z.infer<typeof rollbackPlan>;

const windowMs = (deps: CredentialActionDeps) =>
  Math.max(1, deps.propagation.attempts) * deps.propagation.delayMs;

/**
 * Judges a value only once Auth0's propagation window has passed for the value it replaced: inside
 * the window Auth0 still accepts the previous secret, so an earlier exchange proves nothing
 * (docs/decisions/0003-client-secret-rotation-by-patch.md).
 */
const settledExchange = async (
  deps: CredentialActionDeps,
  clientId: string,
  proof: ClientCredentialProof,
  signal: AbortSignal,
) => {
  await deps.sleep(windowMs(deps), signal);
  return exchangeWithin(deps, clientId, proof, signal);
};

/**
 * Completes a recorded rollback from wherever it stopped; every effect is repeatable: the PATCH
 * of the same value, and the stage move only when AWSCURRENT is not on the restored version yet.
 */
const completeRollback = async (
  deps: CredentialActionDeps,
  secrets: SecretStore,
  target: RotationTarget,
  plan: RollbackPlan,
  signal: AbortSignal,
): Promise<ActionResult> => {
  const restored = await secrets.getVersion(target.secretId, plan.restore, signal);
  if (!restored) {
    return {
      outcome: 'failure',
      summary: `Version ${plan.restore.slice(0, 8)}… of ${target.clientId}'s secret is gone: nothing to roll back to`,
    };
  }
  await deps.admin.setClientSecret(target.clientId, restored.value, signal);
  const stages = await secrets.describe(target.secretId, signal);
  if (!(stages[plan.restore] ?? []).includes('AWSCURRENT')) {
    const holder = Object.entries(stages).find(([, labels]) => labels.includes('AWSCURRENT'))?.[0];
    await secrets.moveStage(target.secretId, 'AWSCURRENT', plan.restore, holder, signal);
  }
  const check = await settledExchange(
    deps,
    target.clientId,
    { kind: 'secret', secret: restored.value },
    signal,
  );
  return {
    outcome: check.ok ? 'success' : 'failure',
    summary: `Rolled ${target.clientId} back to version ${plan.restore.slice(0, 8)}…, now AWSCURRENT and on Auth0; verified after the propagation window: ${describe(check)}`,
    detail: { restoredVersion: plan.restore, replacedVersion: plan.replace },
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
    // The plan is durable before either side changes: a crash between Auth0's PATCH and the stage
    // move is completed by recover() from it, never judged by a probe Auth0 may still accept.
    ctx.plan.record({ restore: previous.versionId, replace: current.versionId });
    return completeRollback(
      deps,
      secrets,
      target,
      { restore: previous.versionId, replace: current.versionId },
      ctx.signal,
    );
  },
  recover: async (p, ctx) => {
    const target = targetOf(deps, p.clientId);
    const secrets = deps.secrets;
    if (!target || !secrets) return { outcome: 'failure', summary: 'Interrupted; not configured' };
    const plan = rollbackPlan.safeParse(ctx.plan.recorded);
    if (!plan.success) {
      // Nothing was recorded, so nothing was changed: the run stopped before its first effect.
      return {
        outcome: 'failure',
        summary: `Interrupted by a restart before anything changed: ${p.clientId} was not rolled back. Run it again with Retry.`,
      };
    }
    const done = await completeRollback(deps, secrets, target, plan.data, ctx.signal);
    return {
      ...done,
      summary: `Interrupted by a restart and completed from its recorded plan. ${done.summary}`,
    };
  },
});

/** A rotation's recorded outcome, as a step result. */
const rotationOutcome = (clientId: string, rotation: Rotation): ActionResult => {
  if (rotation.outcome === null) {
    return {
      outcome: 'failure',
      summary: `The rotation of ${clientId} (${rotation.id}) is still unfinished in state ${rotation.state}; it is resumed automatically and its incident says which side holds which secret. Do not retry.`,
    };
  }
  const ok = rotation.outcome === 'succeeded';
  return {
    outcome: ok ? 'success' : 'failure',
    summary: ok
      ? `Rotated ${clientId}: version ${rotation.clientRequestToken ?? '?'} is AWSCURRENT (settled after a restart)`
      : `The rotation of ${clientId} ${rotation.outcome.replace('_', ' ')}: ${rotation.error ?? 'no detail recorded'}`,
  };
};

const rotate = (deps: CredentialActionDeps): ActionDefinition<ClientParams> => {
  const notConfigured: ActionResult = {
    outcome: 'failure',
    summary:
      'Credential rotation is not configured in this version: rotate in the Auth0 dashboard and update the secret.',
  };
  return {
    name: 'rotate_client_credential',
    title: "Rotate the client's credential",
    description:
      'Starts a safe rotation of the client credential through Secrets Manager (verify before promote).',
    destructive: true,
    params: clientParams,
    check: (p, ctx) => checkTarget(deps, p, ctx),
    run: async (p, ctx) => {
      const target = targetOf(deps, p.clientId);
      if (!deps.rotation || !target) return notConfigured;
      // The step's key goes on the rotation, so a recovery finds the rotation this run started.
      const r = await deps.rotation.rotate(target, ctx.actor, ctx.signal, ctx.key);
      return { outcome: r.ok ? 'success' : 'failure', summary: r.summary };
    },
    // Follows the rotation this run started (resumed before step recovery): never a second one.
    recover: (p, ctx) => {
      const target = targetOf(deps, p.clientId);
      if (!deps.rotation || !target) return Promise.resolve(notConfigured);
      const started = deps.rotation.startedBy(target.clientId, ctx.key);
      if (started) return Promise.resolve(rotationOutcome(target.clientId, started));
      return Promise.resolve({
        outcome: 'failure',
        summary: `Interrupted by a restart before the rotation of ${p.clientId} started: nothing was rotated. Run it again with Retry.`,
      });
    },
  };
};

export const credentialActions = (deps: CredentialActionDeps) =>
  [verify(deps), rollback(deps), rotate(deps)] as const;
