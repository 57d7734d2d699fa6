import { AppError } from '../errors.js';

/**
 * A GET of the heartbeat URL, as healthchecks.io, Cronitor and Better Stack all accept. The URL
 * is itself the credential (its UUID or token), so no error here names it.
 */
export const createHeartbeatPing =
  (url: string, options: { readonly timeoutMs?: number; readonly fetch?: typeof fetch } = {}) =>
  async (signal: AbortSignal): Promise<void> => {
    const doFetch = options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'GET',
        headers: { 'user-agent': 'auth0-oncall' },
        signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs ?? 10_000)]),
      });
    } catch (cause) {
      throw new AppError('dependency_failed', 'the heartbeat service did not answer', { cause });
    }
    await response.body?.cancel().catch(() => undefined);
    if (!response.ok)
      throw new AppError('dependency_failed', `the heartbeat service answered HTTP ${response.status}`);
  };
