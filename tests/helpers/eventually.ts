/** Polls an async probe until it yields a value (not undefined), or fails with the last reason. */
export const eventually = async <T>(
  probe: () => Promise<T | undefined>,
  opts: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> => {
  const deadline = performance.now() + (opts.timeoutMs ?? 5_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (performance.now() > deadline) {
      throw new Error(`eventually: no value within ${opts.timeoutMs ?? 5_000} ms`, { cause: last });
    }
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs ?? 50));
  }
};
