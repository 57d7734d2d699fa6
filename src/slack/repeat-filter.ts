/**
 * Lets the same notice through once per window: the first time a key is seen, and again once the
 * window since it was last let through has passed.
 *
 * Slack users double-click, and an impatient one clicks a slow button five times. Each click is
 * still handled and audited; what this spares them is the same private reply five times over. The
 * key names the person, the button and the text, so a reply that says something new (the step
 * finished since) always goes out.
 *
 * Memory is bounded: keys whose window has passed are dropped as new ones arrive (oldest first, in
 * the Map's insertion order), and past `maxKeys` the oldest go regardless.
 */
export const createRepeatFilter = (
  windowMs: number,
  now: () => number = Date.now,
  maxKeys = 10_000,
): ((key: string) => boolean) => {
  const said = new Map<string, number>();
  return (key) => {
    const t = now();
    for (const [oldest, at] of said) {
      if (t - at < windowMs && said.size < maxKeys) break;
      said.delete(oldest);
    }
    if (said.has(key)) return false;
    said.set(key, t);
    return true;
  };
};
