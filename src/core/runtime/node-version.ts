/**
 * The oldest Node the app runs on. package.json "engines" and .ci/run say the same (a test keeps
 * them equal). This module imports nothing, so an entry point can load it, and check, before
 * loading anything that needs a newer Node (on Node 20 undici fails deep inside with no hint).
 */
export const MINIMUM_NODE = '22.12.0';

/** Exit code of an entry point that refuses the running Node: a setup problem, as in README "Run it". */
export const NODE_TOO_OLD_EXIT_CODE = 78;

const parts = (version: string): number[] =>
  version
    .replace(/^v/, '')
    .split('.')
    .map((p) => Number.parseInt(p, 10) || 0);

/** One line naming the Node needed and how to get it, or undefined when `running` is new enough. */
export const nodeVersionProblem = (running: string): string | undefined => {
  const have = parts(running);
  const need = parts(MINIMUM_NODE);
  for (let i = 0; i < need.length; i += 1) {
    const h = have[i] ?? 0;
    const n = need[i] ?? 0;
    if (h > n) return undefined;
    if (h < n) {
      return (
        `Node ${running.replace(/^v/, '')} is too old: auth0-oncall needs Node ${MINIMUM_NODE} or newer ` +
        '(24 LTS recommended); install it from https://nodejs.org/ or with `fnm install 24` / `nvm install 24` ' +
        '(README "Node version")'
      );
    }
  }
  return undefined;
};
