import { z } from 'zod';
import type { RotationTarget } from '../rotation/target.js';
import type { Tenant } from '../tenant/ports.js';
import type { ActionContext, ActionDefinition, ActionResult } from './action.js';
import type { RotationControl } from '../rotation/ports.js';
import { clientInScope, kidNamedByEvidence } from './evidence-binding.js';
import type { SignalRechecker } from './ports.js';
import type { TenantAdmin } from '../tenant/ports.js';

export interface TenantActionDeps {
  readonly keys: Pick<Tenant, 'listSigningKeys'>;
  readonly admin: TenantAdmin;
  readonly targets: readonly RotationTarget[];
  readonly rotationControl: RotationControl;
  readonly rechecker: SignalRechecker;
}

const none = z.strictObject({});
const short = (kid: string) => (kid.length > 12 ? `${kid.slice(0, 6)}…${kid.slice(-4)}` : kid);

const listKeys = (deps: TenantActionDeps): ActionDefinition<z.infer<typeof none>> => {
  const run = async (_p: unknown, ctx: ActionContext): Promise<ActionResult> => {
    const keys = await deps.keys.listSigningKeys(ctx.signal);
    const describe = (k: (typeof keys)[number]) =>
      `${short(k.kid)} ${[k.current && 'current', k.next && 'next', k.previous && 'previous', k.revoked && 'revoked'].filter(Boolean).join('/') || 'inactive'}`;
    return {
      outcome: 'success',
      summary: `Signing keys: ${keys.map(describe).join('; ') || 'none'}`,
      detail: { count: keys.length },
    };
  };
  return {
    name: 'list_signing_keys',
    title: 'List the signing keys',
    description: "Lists the tenant's signing keys: current, next, previous and revoked.",
    destructive: false,
    params: none,
    check: () => undefined,
    run,
    recover: run,
  };
};

const kidParams = z.strictObject({
  kid: z.string().min(1).max(128).describe('kid of the PREVIOUS signing key'),
});
const revokePrevious = (deps: TenantActionDeps): ActionDefinition<z.infer<typeof kidParams>> => ({
  name: 'revoke_previous_signing_key',
  title: 'Revoke the previous signing key',
  description: 'Revokes the previous signing key, so tokens it signed stop validating. Irreversible.',
  destructive: true,
  params: kidParams,
  // Bound to the incident when proposed: only a kid its evidence names. Whether that kid is the
  // tenant's previous key is verified against the live list at run time.
  check: (p, ctx) =>
    kidNamedByEvidence(p.kid, ctx)
      ? undefined
      : `key ${short(p.kid)} is not named by this incident's evidence`,
  run: async (p, ctx) => {
    const key = (await deps.keys.listSigningKeys(ctx.signal)).find((k) => k.kid === p.kid);
    if (!key) return { outcome: 'failure', summary: `No signing key ${short(p.kid)} in the tenant` };
    if (key.revoked) return { outcome: 'success', summary: `Key ${short(p.kid)} was already revoked` };
    if (!key.previous || key.current || key.next) {
      return {
        outcome: 'failure',
        summary: `Key ${short(p.kid)} is not the previous key: only the previous key may be revoked`,
      };
    }
    await deps.admin.revokeSigningKey(p.kid, ctx.signal);
    return { outcome: 'success', summary: `Revoked the previous signing key ${short(p.kid)}` };
  },
  recover: async (p, ctx) => {
    const key = (await deps.keys.listSigningKeys(ctx.signal)).find((k) => k.kid === p.kid);
    return key?.revoked
      ? { outcome: 'success', summary: `Key ${short(p.kid)} is revoked (checked after a restart)` }
      : {
          outcome: 'failure',
          summary: `Interrupted: key ${short(p.kid)} is not revoked. Use Retry to run it again.`,
        };
  },
});

/**
 * An IPv4 or IPv6 address, as patterns both zod and the JSON Schema apply (a `.refine` would be
 * invisible to the model's schema; zod's own ipv6 check parses a URL, which its pattern does not
 * say). Forms the pattern leaves out (IPv4-mapped, zone IDs) cannot be unblocked from a runbook.
 */
const ipAddress = z.union([z.ipv4(), z.string().regex(z.regexes.ipv6)], { error: 'not an IP address' });
const ipParams = z.strictObject({ ip: ipAddress.describe("An IP from the incident's evidence") });
const unblock = (deps: TenantActionDeps): ActionDefinition<z.infer<typeof ipParams>> => ({
  name: 'unblock_ip',
  title: 'Unblock the IP address',
  description: 'Removes an attack-protection block on an IP (e.g. an office NAT).',
  destructive: true,
  params: ipParams,
  // The IP must actually appear in this incident's evidence: a writer cannot pick one.
  check: (p, ctx) =>
    ctx.evidence.singleSourceIp === p.ip || (ctx.evidence.topIps ?? []).some((i) => i.value === p.ip)
      ? undefined
      : `IP ${p.ip} does not appear in this incident's evidence`,
  run: async (p, ctx) => {
    await deps.admin.unblockIp(p.ip, ctx.signal);
    return { outcome: 'success', summary: `Unblocked ${p.ip} in attack protection` };
  },
  recover: async (p, ctx) =>
    (await deps.admin.isIpBlocked(p.ip, ctx.signal))
      ? { outcome: 'failure', summary: `Interrupted: ${p.ip} is still blocked. Use Retry to run it again.` }
      : { outcome: 'success', summary: `${p.ip} is not blocked (checked after a restart)` },
});

const targetParams = z.strictObject({
  clientId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,128}$/)
    .describe('A client from ROTATION_TARGETS'),
});
const setPaused = (
  deps: TenantActionDeps,
  paused: boolean,
): ActionDefinition<z.infer<typeof targetParams>> => {
  const run = (p: z.infer<typeof targetParams>, ctx: ActionContext): Promise<ActionResult> => {
    deps.rotationControl.setPaused(p.clientId, paused, ctx.actor, ctx.now.toISOString());
    return Promise.resolve({
      outcome: 'success',
      summary: `Scheduled rotation of ${p.clientId} ${paused ? 'paused' : 'resumed'}`,
    });
  };
  return {
    name: paused ? 'pause_rotation' : 'resume_rotation',
    title: paused ? 'Pause scheduled rotation' : 'Resume scheduled rotation',
    description: paused
      ? 'Stops the schedule rotating this client until resumed.'
      : 'Lets the schedule rotate this client again.',
    destructive: false,
    params: targetParams,
    check: (p, ctx) => {
      if (!deps.targets.some((t) => t.clientId === p.clientId))
        return `client ${p.clientId} is not in ROTATION_TARGETS`;
      // Bound to the incident: a runbook may pause only a client this incident is about.
      return clientInScope(p.clientId, ctx)
        ? undefined
        : `client ${p.clientId} is not in this incident's scope`;
    },
    run,
    recover: run,
  };
};

const recheck = (deps: TenantActionDeps): ActionDefinition<z.infer<typeof none>> => {
  const run = async (_p: unknown, ctx: ActionContext): Promise<ActionResult> => ({
    outcome: 'success',
    summary: await deps.rechecker.recheck(ctx.incident.id),
  });
  return {
    name: 'recheck_signal',
    title: 'Check the signal again now',
    description: "Runs detection for this incident's scope now and reports whether it is still firing.",
    destructive: false,
    params: none,
    check: () => undefined,
    run,
    recover: run,
  };
};

export const tenantActions = (deps: TenantActionDeps) =>
  [
    listKeys(deps),
    revokePrevious(deps),
    unblock(deps),
    setPaused(deps, true),
    setPaused(deps, false),
    recheck(deps),
  ] as const;
