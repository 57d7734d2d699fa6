import { OWN_USER_AGENT } from '../core/logs/classification.js';
import type { RateLimitReading } from '../core/tenant/rate-limit-budget.js';

const num = (value: string | null): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

const bucketOf = (path: string): RateLimitReading['bucket'] =>
  path.startsWith('/api/v2/logs') ? 'logs' : path.startsWith('/oauth/') ? 'token' : 'management';

export interface Auth0FetchOptions {
  /** The tenant domain the SDK builds URLs from. */
  readonly domain: string;
  /** Where requests really go (AUTH0_BASE_URL), e.g. a local fake; `https://<domain>` in production. */
  readonly baseUrl: string;
  readonly onResponse?: (reading: RateLimitReading) => void;
  readonly fetch?: typeof fetch;
}

/**
 * The auth0 SDK hard-codes `https://<domain>` and has no baseUrl option; a fetch that rewrites
 * the origin covers both the token request and every API call. It is also the one place that
 * sees every response, so the rate-limit budget is read here.
 */
export const createAuth0Fetch = (options: Auth0FetchOptions): typeof fetch => {
  const target = new URL(options.baseUrl);
  const domainOrigin = `https://${options.domain}`;
  const inner = options.fetch ?? fetch;
  return async (input, init) => {
    const original = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let url = original;
    if (original.startsWith(domainOrigin)) {
      const rest = new URL(original);
      url = `${target.origin}${target.pathname.replace(/\/$/, '')}${rest.pathname}${rest.search}`;
    }
    const request = typeof input === 'string' || input instanceof URL ? url : new Request(url, input);
    // Every request the bot makes says so: Auth0 logs the user agent of token exchanges and API
    // calls, so detection can leave the bot's own traffic (its test token requests) out.
    const headers = new Headers(init?.headers ?? (typeof request === 'string' ? undefined : request.headers));
    const sdk = headers.get('user-agent');
    headers.set('user-agent', sdk === null ? OWN_USER_AGENT : `${OWN_USER_AGENT} ${sdk}`);
    const response = await inner(request, { ...init, headers });
    if (options.onResponse) {
      const h = response.headers;
      options.onResponse({
        bucket: bucketOf(new URL(url).pathname.replace(target.pathname.replace(/\/$/, ''), '')),
        status: response.status,
        limit: num(h.get('x-ratelimit-limit')),
        remaining: num(h.get('x-ratelimit-remaining')),
        reset: num(h.get('x-ratelimit-reset')),
      });
    }
    return response;
  };
};
