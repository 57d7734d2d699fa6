import { z } from 'zod';
import type { JwksHookResender, ResendOutcome } from '../jwks-hooks/resend.js';
import type { ActionContext, ActionDefinition, ActionResult } from './action.js';

/** Incidents a stale JWKS cache explains: the key changed, or tokens fail after it did. */
const KEY_SIGNALS = new Set(['signing_key', 'm2m_token_failures', 'web_token_failures']);

const none = z.strictObject({});

/** In the catalog only when JWKS_REFRESH_WEBHOOKS is set. Not destructive: receivers reload a cache. */
export const resendJwksHooks = (resender: JwksHookResender): ActionDefinition<z.infer<typeof none>> => {
  const result = (r: ResendOutcome, suffix = ''): ActionResult => ({
    outcome: r.noneAcknowledged ? 'failure' : 'success',
    summary: `${r.summary}${suffix}`,
    detail: { finished: r.finished },
  });
  return {
    name: 'resend_jwks_refresh_hooks',
    title: 'Re-send the JWKS refresh hooks',
    description:
      'Tells every JWKS_REFRESH_WEBHOOKS receiver again to reload the JWKS (APIs that cache it still refuse new tokens).',
    destructive: false,
    params: none,
    check: (_p, ctx) =>
      KEY_SIGNALS.has(ctx.incident.signal) ? undefined : 'only for signing-key and token-failure incidents',
    run: async (_p, ctx: ActionContext) => {
      return result(await resender.resend(ctx.incident.id, ctx.key, ctx.signal));
    },
    // The re-send is keyed by the run: after a crash it is found again, never queued twice.
    recover: async (_p, ctx) => {
      const r = resender.status(ctx.key) ?? (await resender.resend(ctx.incident.id, ctx.key, ctx.signal));
      return result(r, ' (checked after a restart)');
    },
  };
};
