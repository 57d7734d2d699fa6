/** The /api/v2 pipeline: rate limit, Bearer token, route, scope; plus `api_limit` logging. */
import { anomalyRoutes } from './anomaly.js';
import { clientRoutes } from './clients-routes.js';
import { credentialRoutes } from './credentials-routes.js';
import { apiError, bearerToken } from './http.js';
import { keyRoutes } from './keys-routes.js';
import { logRoutes } from './logs-routes.js';
import type { RateDecision, RateLimiter } from './rate-limit.js';
import { Router, type RequestContext } from './router.js';
import type { Tenant } from './tenant.js';
import type { Reply } from './types.js';

const WARNING_SHARE = 0.8;
const WARNING_EVERY_MS = 60_000;

export class ManagementApi {
  private readonly router: Router;
  private readonly lastWarning = new Map<string, number>();

  constructor(
    private readonly tenant: Tenant,
    readonly rateLimiter: RateLimiter,
    private readonly options: { logRateLimits: boolean },
  ) {
    this.router = new Router([
      ...logRoutes(tenant.logs, tenant.domain),
      ...clientRoutes(tenant),
      ...credentialRoutes(tenant),
      ...keyRoutes(tenant),
      ...tenant.customDomains.routes(),
      ...anomalyRoutes(tenant),
    ]);
  }

  async handle(ctx: RequestContext): Promise<Reply> {
    const lookup = this.tenant.tokens.lookup(bearerToken(ctx.headers.authorization));
    if (lookup.ok) ctx.caller = lookup.caller;
    // Rate limits are checked before anything else; the customer's own calls draw on them too.
    const decision = this.rateLimiter.check(ctx.method, ctx.path);
    this.logLimit(ctx, decision);
    const reply = decision.allowed
      ? await this.route(ctx, lookup.ok ? undefined : lookup.message)
      : this.tooMany();
    return { ...reply, headers: { ...decision.headers, ...reply.headers } };
  }

  private async route(ctx: RequestContext, authError: string | undefined): Promise<Reply> {
    if (authError !== undefined) return apiError(401, authError);
    const match = this.router.match(ctx.method, ctx.path);
    if (match.kind === 'not_found') return apiError(404, 'Not Found');
    if (match.kind === 'method_not_allowed')
      return apiError(405, `${ctx.method} is not allowed on ${ctx.path}`);
    const scopes = ctx.caller?.scopes ?? [];
    if (!scopes.includes(match.route.scope)) {
      return apiError(403, `Insufficient scope, expected any of: ${match.route.scope}`, 'insufficient_scope');
    }
    ctx.params = match.params;
    return match.route.handler(ctx);
  }

  private tooMany(): Reply {
    // No Retry-After: Management API 429s are only known to carry the x-ratelimit-* headers.
    return {
      status: 429,
      body: { statusCode: 429, error: 'Too Many Requests', message: 'Global limit has been reached' },
    };
  }

  /** `api_limit` on every 429; `api_limit_warning` at 80 % of the burst, at most once a minute. */
  private logLimit(ctx: RequestContext, decision: RateDecision): void {
    if (!this.options.logRateLimits) return;
    const limit = {
      bucket: `management-api:${decision.bucket}`,
      global: decision.bucket === 'management',
      size: decision.limits.burst,
    };
    const base = {
      client_id: ctx.caller?.clientId ?? null,
      client_name: ctx.caller?.clientName ?? '',
      hostname: this.tenant.domain,
      user_id: '',
      user_name: '',
    };
    const request = { method: ctx.method, path: ctx.path };
    if (!decision.allowed) {
      this.tenant.logs.append([
        {
          type: 'api_limit',
          description: `You passed the limit of allowed calls to '${ctx.path}'`,
          ...base,
          details: { limit, request },
        },
      ]);
      return;
    }
    const at = this.tenant.now();
    const last = this.lastWarning.get(decision.bucket) ?? -Infinity;
    if (decision.used < decision.limits.burst * WARNING_SHARE || at - last < WARNING_EVERY_MS) return;
    this.lastWarning.set(decision.bucket, at);
    this.tenant.logs.append([
      {
        type: 'api_limit_warning',
        description: `You are about to reach the limit of allowed calls to '${ctx.path}'`,
        ...base,
        details: { limit: { ...limit, usage: decision.used }, request },
      },
    ]);
  }
}
