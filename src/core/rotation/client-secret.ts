import { SECRET_STATES } from './deps.js';
import { currentValue, moveTo, pendingValue, promote, verify, type Run } from './run.js';

export type ForwardResult =
  { readonly kind: 'promoted' } | { readonly kind: 'test_failed'; readonly refusal: string };

const at = (state: string): number => SECRET_STATES.indexOf(state as (typeof SECRET_STATES)[number]);

/**
 * created → set → tested → finished, from `run.rotation.state` on. Each state is written before
 * its side effect, so a resume re-runs that effect: every one of them is repeatable (putPending by
 * its token, the PATCH of the same value, an exchange, the stage moves).
 */
export const secretForward = async (run: Run): Promise<ForwardResult> => {
  const { secrets, tenant } = run.deps;
  const { clientId, secretId } = run.target;
  const from = at(run.rotation.state);
  if (from <= 0) {
    // Safe order: the value is stored before Auth0 ever sees it (see
    // docs/decisions/0003-client-secret-rotation-by-patch.md).
    if (run.pending !== undefined) await secrets.putPending(secretId, run.token, run.pending, run.signal);
    const value = await pendingValue(run);
    // Which version Auth0's secret is about to stop matching: a stuck attempt's incident names it.
    const labels = await secrets.describe(secretId, run.signal);
    const current = Object.entries(labels).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
    moveTo(run, 'set', current === undefined ? {} : { currentVersionId: current });
    await tenant.setClientSecret(clientId, value, run.signal);
    moveTo(run, 'tested');
  } else if (from === 1) {
    await tenant.setClientSecret(clientId, await pendingValue(run), run.signal);
    moveTo(run, 'tested');
  }
  if (from <= 2) {
    const refusal = await verify(run, await pendingValue(run));
    if (refusal !== undefined) return { kind: 'test_failed', refusal };
    moveTo(run, 'finished');
  }
  await promote(run);
  return { kind: 'promoted' };
};

/** Puts AWSCURRENT's value back on the Auth0 client, if Auth0 may have been given the pending one. */
export const secretUndoAuth0 = async (run: Run, fromState: string): Promise<void> => {
  if (at(fromState) < at('set')) return;
  await run.deps.tenant.setClientSecret(run.target.clientId, await currentValue(run), run.signal);
};
