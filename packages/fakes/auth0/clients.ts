/** Registered applications: secrets with a propagation window, private_key_jwt credentials. */
import { createHash, createPublicKey, randomBytes, timingSafeEqual, X509Certificate } from 'node:crypto';
import { toMillis, type Now } from './clock.js';
import type { AppType, ClientSpec, CredentialAlg, CredentialSpec, SecretAuthMethod } from './types.js';

/** Every scope the fake's routes check; clients get all of them unless `scopes` says otherwise. */
export const ALL_SCOPES = [
  'read:logs',
  'read:clients',
  'update:clients',
  'read:client_keys',
  'update:client_keys',
  'read:client_credentials',
  'create:client_credentials',
  'update:client_credentials',
  'delete:client_credentials',
  'read:signing_keys',
  'create:signing_keys',
  'update:signing_keys',
  'read:custom_domains',
  'read:anomaly_blocks',
  'delete:anomaly_blocks',
];

export const CREDENTIAL_ALGS: readonly CredentialAlg[] = ['RS256', 'RS384', 'PS256'];
export const MAX_CREDENTIALS = 2;

export function isCredentialAlg(alg: unknown): alg is CredentialAlg {
  return typeof alg === 'string' && (CREDENTIAL_ALGS as readonly string[]).includes(alg);
}

export interface StoredCredential {
  id: string;
  name: string;
  kid: string;
  alg: CredentialAlg;
  credential_type: 'public_key';
  pem: string;
  created_at: string;
  updated_at: string;
  expires_at?: string;
}

export interface ClientRecord {
  clientId: string;
  name: string;
  appType: AppType;
  /** null when the client authenticates with private_key_jwt (the two are mutually exclusive). */
  tokenEndpointAuthMethod: SecretAuthMethod | null;
  /** Ids listed in `client_authentication_methods.private_key_jwt.credentials`; null when unset. */
  activeCredentialIds: string[] | null;
  secret: string | undefined;
  grants: string[];
  scopes: string[];
  credentials: StoredCredential[];
  /** Other PATCHed fields, echoed back as they were sent. */
  extra: Record<string, unknown>;
}

export type Result<T = undefined> = { ok: true; value: T } | { ok: false; status: number; message: string };

function generatedId(length: number): string {
  return randomBytes(length).toString('base64url').replace(/[-_]/g, 'x').slice(0, length);
}

export function generateSecret(): string {
  return randomBytes(48).toString('base64url');
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Validates a PEM as an RSA 2048–4096 public key (SPKI or X.509), as Auth0 requires. */
function checkPublicKeyPem(pem: string): Result<{ kid: string }> {
  try {
    const key = pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (key.asymmetricKeyType !== 'rsa' || bits < 2048 || bits > 4096) {
      return { ok: false, status: 400, message: 'pem must be an RSA public key of 2048 to 4096 bits' };
    }
    const der = key.export({ type: 'spki', format: 'der' });
    return { ok: true, value: { kid: createHash('sha256').update(der).digest('base64url') } };
  } catch {
    return { ok: false, status: 400, message: 'pem is not a valid public key or certificate' };
  }
}

export class ClientRegistry {
  private readonly clients = new Map<string, ClientRecord>();
  private readonly previousSecrets = new Map<string, { value: string; until: number }[]>();

  constructor(
    private readonly now: Now,
    public propagationMs: number,
  ) {}

  add(spec: ClientSpec): ClientRecord {
    const appType = spec.appType ?? 'non_interactive';
    const usesJwt =
      spec.authMethod === 'private_key_jwt' ||
      (spec.authMethod === undefined && spec.credentials !== undefined);
    const secretMethod: SecretAuthMethod =
      spec.authMethod === 'client_secret_basic' ? 'client_secret_basic' : 'client_secret_post';
    const record: ClientRecord = {
      clientId: spec.clientId ?? generatedId(32),
      name: spec.name,
      appType,
      tokenEndpointAuthMethod: usesJwt ? null : secretMethod,
      activeCredentialIds: usesJwt ? [] : null,
      secret: spec.secret ?? (usesJwt ? undefined : generateSecret()),
      grants:
        spec.grants ??
        (appType === 'non_interactive' ? ['client_credentials'] : ['authorization_code', 'refresh_token']),
      scopes: spec.scopes ?? [...ALL_SCOPES],
      credentials: [],
      extra: {},
    };
    if (this.clients.has(record.clientId)) throw new Error(`fake Auth0: client ${record.clientId} exists`);
    this.clients.set(record.clientId, record);
    for (const credential of spec.credentials ?? []) this.addFromSpec(record, credential);
    return record;
  }

  get(clientId: string): ClientRecord | undefined {
    return this.clients.get(clientId);
  }

  list(): ClientRecord[] {
    return [...this.clients.values()];
  }

  /** Constant-time comparison against the secret and any previous one still propagating. */
  checkSecret(client: ClientRecord, presented: string): boolean {
    const wanted = digest(presented);
    const candidates = [client.secret, ...this.propagating(client.clientId)];
    let matched = false;
    for (const candidate of candidates) {
      if (candidate !== undefined && timingSafeEqual(digest(candidate), wanted)) matched = true;
    }
    return matched;
  }

  /** Replaces the secret; the old one keeps working for `propagationMs`. */
  setSecret(client: ClientRecord, secret: string): void {
    if (client.secret !== undefined && client.secret !== secret) {
      const at = this.now();
      const kept = (this.previousSecrets.get(client.clientId) ?? []).filter((old) => old.until > at);
      this.previousSecrets.set(client.clientId, [
        ...kept,
        { value: client.secret, until: at + this.propagationMs },
      ]);
    }
    client.secret = secret;
  }

  /** Credentials the token endpoint accepts: attached to the client and not expired. */
  activeCredentials(client: ClientRecord): StoredCredential[] {
    const active = client.activeCredentialIds ?? [];
    return client.credentials.filter(
      (credential) =>
        active.includes(credential.id) &&
        (credential.expires_at === undefined || Date.parse(credential.expires_at) > this.now()),
    );
  }

  addCredential(client: ClientRecord, input: CredentialSpec): Result<StoredCredential> {
    if (client.credentials.length >= MAX_CREDENTIALS) {
      return { ok: false, status: 400, message: `A client can have at most ${MAX_CREDENTIALS} credentials` };
    }
    const alg = input.alg ?? 'RS256';
    if (!isCredentialAlg(alg))
      return { ok: false, status: 400, message: `alg must be one of ${CREDENTIAL_ALGS.join(', ')}` };
    const checked = checkPublicKeyPem(input.pem);
    if (!checked.ok) return checked;
    const at = new Date(this.now()).toISOString();
    const credential: StoredCredential = {
      id: input.id ?? `cred_${generatedId(22)}`,
      name: input.name ?? '',
      kid: checked.value.kid,
      alg,
      credential_type: 'public_key',
      pem: input.pem,
      created_at: at,
      updated_at: at,
    };
    if (input.expiresAt !== undefined)
      credential.expires_at = new Date(toMillis(input.expiresAt)).toISOString();
    client.credentials.push(credential);
    return { ok: true, value: credential };
  }

  /** Replaces the attached credential list; ids must exist on the client, at most 2. */
  attachCredentials(client: ClientRecord, ids: string[]): Result {
    if (ids.length > MAX_CREDENTIALS)
      return { ok: false, status: 400, message: `At most ${MAX_CREDENTIALS} credentials can be enabled` };
    const unknown = ids.find((id) => !client.credentials.some((credential) => credential.id === id));
    if (unknown !== undefined)
      return { ok: false, status: 400, message: `Credential ${unknown} does not exist on this client` };
    client.activeCredentialIds = [...new Set(ids)];
    client.tokenEndpointAuthMethod = null;
    return { ok: true, value: undefined };
  }

  deleteCredential(client: ClientRecord, id: string): Result {
    const index = client.credentials.findIndex((credential) => credential.id === id);
    if (index < 0) return { ok: false, status: 404, message: 'The credential does not exist' };
    if (client.activeCredentialIds?.includes(id) === true) {
      return {
        ok: false,
        status: 400,
        message: 'The credential is in use by client_authentication_methods; detach it first',
      };
    }
    client.credentials.splice(index, 1);
    return { ok: true, value: undefined };
  }

  private addFromSpec(client: ClientRecord, spec: CredentialSpec): void {
    const added = this.addCredential(client, spec);
    if (!added.ok) throw new Error(`fake Auth0: credential for ${client.clientId}: ${added.message}`);
    if (spec.active !== false) {
      const attached = this.attachCredentials(client, [
        ...(client.activeCredentialIds ?? []),
        added.value.id,
      ]);
      if (!attached.ok) throw new Error(`fake Auth0: credential for ${client.clientId}: ${attached.message}`);
    }
  }

  private propagating(clientId: string): string[] {
    const at = this.now();
    return (this.previousSecrets.get(clientId) ?? []).filter((old) => old.until > at).map((old) => old.value);
  }
}
