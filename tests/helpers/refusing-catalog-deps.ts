import type { CatalogDeps } from '../../src/core/actions/catalog.js';
import type { RotationTarget } from '../../src/core/rotation/target.js';

const refuse = (): Promise<never> => Promise.reject(new Error('nothing runs in this test'));

/** Deps for the production catalog where nothing may run: every port refuses. */
export const refusingCatalogDeps = (targets: readonly RotationTarget[] = []): CatalogDeps => ({
  targets,
  secrets: { get: refuse, getVersion: refuse, describe: refuse, putPending: refuse, moveStage: refuse },
  admin: {
    exchange: refuse,
    setClientSecret: refuse,
    revokeSigningKey: refuse,
    unblockIp: refuse,
    isIpBlocked: refuse,
  },
  rotation: undefined,
  propagation: { attempts: 1, delayMs: 0 },
  sleep: refuse,
  keys: { listSigningKeys: refuse },
  rotationControl: { isPaused: () => false, setPaused: () => undefined },
  rechecker: { recheck: refuse },
  jwksHooks: { resend: refuse, status: () => undefined },
});
