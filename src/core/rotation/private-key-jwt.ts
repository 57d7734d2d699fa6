import { AppError } from '../../errors.js';
import type { ForwardResult } from './client-secret.js';
import { KEY_STATES } from './deps.js';
import { detailString, detailStrings, moveTo, pendingValue, promote, verify, type Run } from './run.js';

const at = (state: string): number => KEY_STATES.indexOf(state as (typeof KEY_STATES)[number]);

/** The credential's name carries the token, so a resume finds one whose id was never recorded. */
const credentialName = (run: Run): string => `rotation-${run.token}`;

/** The new credential's id: recorded, or found by name (created, then a crash before recording). */
const findNewCredential = async (run: Run): Promise<string | undefined> => {
  const recorded = detailString(run, 'newCredentialId');
  if (recorded !== undefined) return recorded;
  const listed = await run.deps.tenant.listCredentials(run.target.clientId, run.signal);
  return listed.find((c) => c.name === credentialName(run))?.id;
};

const missing = (run: Run, key: string): AppError =>
  new AppError('internal', `rotation ${run.rotation.id} lost "${key}"`);

const requireString = (run: Run, key: string): string => {
  const value = detailString(run, key);
  if (value === undefined) throw missing(run, key);
  return value;
};

const requireStrings = (run: Run, key: string): string[] => {
  const value = detailStrings(run, key);
  if (value === undefined) throw missing(run, key);
  return value;
};

/**
 * created → credential_added → enabled_both → tested → finished → cleanup_pending (the last is
 * done by `keyCleanup`). Zero downtime: the old key keeps working until after the grace period.
 */
export const keyForward = async (run: Run): Promise<ForwardResult> => {
  const { secrets, tenant } = run.deps;
  const { clientId, secretId } = run.target;
  const from = at(run.rotation.state);
  if (from <= 0) {
    if (run.pending !== undefined) await secrets.putPending(secretId, run.token, run.pending, run.signal);
    await pendingValue(run);
    const old = await tenant.activeCredentialIds(clientId, run.signal);
    moveTo(run, 'credential_added', { oldCredentialIds: old });
  }
  if (from <= 1) {
    const publicKeyPem = requireString(run, 'publicKeyPem');
    const id =
      (await findNewCredential(run)) ??
      (
        await tenant.createCredential(
          clientId,
          { name: credentialName(run), publicKeyPem, alg: 'RS256' },
          run.signal,
        )
      ).id;
    moveTo(run, 'enabled_both', { newCredentialId: id });
  }
  if (from <= 2) {
    const old = requireStrings(run, 'oldCredentialIds');
    const id = requireString(run, 'newCredentialId');
    await tenant.setActiveCredentials(clientId, [...old.filter((x) => x !== id), id], run.signal);
    moveTo(run, 'tested');
  }
  if (from <= 3) {
    const refusal = await verify(run, await pendingValue(run));
    if (refusal !== undefined) return { kind: 'test_failed', refusal };
    moveTo(run, 'finished');
  }
  if (from <= 4) await promote(run);
  return { kind: 'promoted' };
};

/** After promotion: wait out the grace period, then only the new key stays; the old ones go. */
export const keyCleanup = async (run: Run): Promise<void> => {
  const { tenant, now, sleep, keyGraceMs } = run.deps;
  const { clientId } = run.target;
  if (run.rotation.state !== 'cleanup_pending') {
    moveTo(run, 'cleanup_pending', { graceUntil: new Date(now().getTime() + keyGraceMs).toISOString() });
  }
  const id = (await findNewCredential(run)) ?? requireString(run, 'newCredentialId');
  const waitMs = Date.parse(requireString(run, 'graceUntil')) - now().getTime();
  if (waitMs > 0) await sleep(waitMs, run.signal);
  await tenant.setActiveCredentials(clientId, [id], run.signal);
  for (const old of detailStrings(run, 'oldCredentialIds') ?? []) {
    if (old !== id) await tenant.deleteCredential(clientId, old, run.signal);
  }
};

/** Detaches and deletes the new credential, if it was ever created. */
export const keyUndoAuth0 = async (run: Run, fromState: string): Promise<void> => {
  if (at(fromState) < at('credential_added')) return;
  const { tenant } = run.deps;
  const { clientId } = run.target;
  const id = await findNewCredential(run);
  if (id === undefined) return;
  const active = await tenant.activeCredentialIds(clientId, run.signal);
  if (active.includes(id)) {
    await tenant.setActiveCredentials(
      clientId,
      active.filter((x) => x !== id),
      run.signal,
    );
  }
  await tenant.deleteCredential(clientId, id, run.signal);
};
