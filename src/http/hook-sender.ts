import type { HookOutcome, HookSender } from '../core/jwks-hooks/ports.js';
import { parseRetryAfter } from '../resilience/index.js';

export interface FetchHookSenderOptions {
  /** Per request; a receiver that answers later is retried like one that did not answer. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  readonly userAgent?: string;
}

/** Node's fetch error codes sit on the cause; the message alone says "fetch failed". */
const networkReason = (error: unknown): string => {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  const cause = error instanceof Error ? error.cause : undefined;
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
      ? cause.code
      : undefined;
  return `network error${code ? ` (${code})` : ''}`;
};

/**
 * POSTs a hook with Node's fetch. A 2xx acknowledges it; 408, 429 and 5xx are worth another try
 * (Retry-After respected); any other 4xx is the receiver refusing this request. Reasons name
 * neither the URL nor a header, so they are safe to log and to show.
 */
export const createFetchHookSender = (options: FetchHookSenderOptions = {}): HookSender => {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? (() => new Date());
  return {
    async post(url, body, headers): Promise<HookOutcome> {
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          body,
          headers: { ...headers, 'user-agent': options.userAgent ?? 'auth0-oncall' },
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        return { ok: false, permanent: false, status: null, reason: networkReason(error) };
      }
      // The body is not read beyond this: a receiver's answer carries nothing we act on.
      await response.body?.cancel().catch(() => undefined);
      const status = response.status;
      if (status >= 200 && status < 300) return { ok: true, status };
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after') ?? undefined, now());
      const transient = status === 408 || status === 429 || status >= 500;
      return {
        ok: false,
        permanent: !transient,
        status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        reason: `HTTP ${status}`,
      };
    },
  };
};
