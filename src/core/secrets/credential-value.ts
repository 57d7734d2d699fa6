import { AppError } from '../../errors.js';
import type { RotationTarget } from '../rotation/target.js';
import type { SecretStore, SecretVersion } from './ports.js';

/**
 * The two forms a rotation target's Secrets Manager value may take (docs/production.md, "Secrets
 * Manager values"):
 *
 * - bare: the value is the credential itself (the client secret, or the PKCS#8 PEM);
 * - JSON: an object whose `client_secret` (client_secret targets) or `private_key`
 *   (private_key_jwt targets) is the credential; an optional `client_id` must be the target's;
 *   any other keys belong to the secret's consumers and are kept as they are.
 *
 * A new version is written in the form AWSCURRENT has, so consumers keep parsing it the way they do.
 */
export type CredentialField = 'client_secret' | 'private_key';

export type CredentialFormat =
  { readonly kind: 'bare' } | { readonly kind: 'json'; readonly object: Readonly<Record<string, unknown>> };

const credentialFieldOf = (target: Pick<RotationTarget, 'strategy'>): CredentialField =>
  target.strategy === 'client_secret' ? 'client_secret' : 'private_key';

const asObject = (raw: string): Record<string, unknown> | undefined => {
  if (!raw.trimStart().startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** Messages name the secret, the key and the client IDs, never a value. */
const unsupported = (target: RotationTarget, why: string): AppError =>
  new AppError(
    'invalid_input',
    `Secrets Manager secret "${target.secretId}" ${why}: store the bare ${target.strategy === 'client_secret' ? 'client secret' : 'PKCS#8 private key'} or a JSON object with "${credentialFieldOf(target)}" (and optionally "client_id": "${target.clientId}")`,
  );

/** The credential in a stored value, and the form it was found in. */
export const decodeCredential = (
  target: RotationTarget,
  raw: string,
): { readonly credential: string; readonly format: CredentialFormat } => {
  const object = asObject(raw);
  if (object === undefined) {
    if (raw.trimStart().startsWith('{'))
      throw unsupported(target, 'starts with "{" but is not a JSON object');
    return { credential: raw, format: { kind: 'bare' } };
  }
  const field = credentialFieldOf(target);
  const credential = object[field];
  if (typeof credential !== 'string' || credential === '') {
    throw unsupported(target, `is a JSON object without a "${field}" string`);
  }
  const clientId = object.client_id;
  if (clientId !== undefined && clientId !== target.clientId) {
    throw unsupported(
      target,
      `names client_id ${JSON.stringify(typeof clientId === 'string' ? clientId.slice(0, 64) : clientId)}, not the target's ${target.clientId}`,
    );
  }
  return { credential, format: { kind: 'json', object } };
};

/** A new credential in the given form: the JSON keeps every other key, and its key order. */
export const encodeCredential = (
  target: RotationTarget,
  credential: string,
  format: CredentialFormat,
): string =>
  format.kind === 'bare'
    ? credential
    : JSON.stringify({ ...format.object, [credentialFieldOf(target)]: credential });

/**
 * The SecretStore rotation, the runbook actions and the bot's own credential use: for a target's
 * secret it reads the credential out of either form, and writes a new version in AWSCURRENT's
 * form. Other secrets pass through untouched.
 */
export const credentialSecretStore = (
  inner: SecretStore,
  targets: readonly RotationTarget[],
): SecretStore => {
  const targetOf = (secretId: string) => targets.find((t) => t.secretId === secretId);
  const decoded = (secretId: string, version: SecretVersion | undefined): SecretVersion | undefined => {
    const target = targetOf(secretId);
    if (version === undefined || target === undefined) return version;
    return { ...version, value: decodeCredential(target, version.value).credential };
  };
  return {
    get: async (secretId, stage, signal) => decoded(secretId, await inner.get(secretId, stage, signal)),
    getVersion: async (secretId, versionId, signal) =>
      decoded(secretId, await inner.getVersion(secretId, versionId, signal)),
    describe: (secretId, signal) => inner.describe(secretId, signal),
    putPending: async (secretId, token, value, signal) => {
      const target = targetOf(secretId);
      if (target === undefined) return inner.putPending(secretId, token, value, signal);
      // Deterministic for a given AWSCURRENT, so a resumed put under the same token matches.
      const current = await inner.get(secretId, 'AWSCURRENT', signal);
      const format =
        current === undefined ? { kind: 'bare' as const } : decodeCredential(target, current.value).format;
      return inner.putPending(secretId, token, encodeCredential(target, value, format), signal);
    },
    moveStage: (secretId, stage, to, from, signal) => inner.moveStage(secretId, stage, to, from, signal),
  };
};
