import { inspect } from 'node:util';

/** Polling until a probe yields a value: the one way tests wait on asynchronous app behaviour. */

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Resolves with the probe's first result that is not `undefined`, `null` or `false`. A probe that
 * throws counts as "not yet", so `expect(...)` works inside it; its last error explains a timeout.
 */
export async function waitFor<T>(
  probe: () => T | undefined | null | false,
  opts: WaitOptions = {},
): Promise<T> {
  // Generous: a loaded 2-core CI machine is slow, and a passing probe returns at once anyway.
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const intervalMs = opts.intervalMs ?? 10;
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() >= deadline) {
      const detail =
        lastError === undefined
          ? ''
          : `; last error: ${lastError instanceof Error ? lastError.message : inspect(lastError)}`;
      throw new Error(`waitFor timed out after ${timeoutMs} ms${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
