import type { ManagementClient } from 'auth0';
import { resolveClient, type ClientSource } from './management-client.js';
import { z } from 'zod';
import type { ClientCredentialProof, ExchangeResult } from '../core/tenant/ports.js';
import type { RotationTenant } from '../core/rotation/ports.js';
import { AppError, isAppError } from '../errors.js';
import type { CallPolicy } from './auth0-management-tenant.js';
import { Auth0TenantAdmin } from './auth0-tenant-admin.js';

export interface RotationTenantOptions {
  readonly client: ClientSource;
  readonly policy: CallPolicy;
  readonly domain: string;
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
}

const credentialsSchema = z.array(
  z.object({
    id: z.string(),
    name: z
      .string()
      .nullish()
      .transform((v) => v ?? undefined),
  }),
);
const clientSchema = z.object({
  client_authentication_methods: z
    .object({
      private_key_jwt: z.object({ credentials: z.array(z.object({ id: z.string() })) }).nullish(),
    })
    .loose()
    .nullish(),
});
const createdSchema = z.object({ id: z.string().min(1) });

const parse = <T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError('invalid_input', `Auth0 returned an unexpected ${what}`);
};

/**
 * The Auth0 side of a rotation. Writes run once (`idempotent: false`): the rotation machine
 * persists its state before each and re-checks Auth0 on resume, so the policy must not resend
 * one unseen. Reads may be retried. A secret or key never appears in an error from here.
 */
export class Auth0RotationTenant implements RotationTenant {
  private readonly admin: Auth0TenantAdmin;

  constructor(private readonly o: RotationTenantOptions) {
    this.admin = new Auth0TenantAdmin(o);
  }

  private c(): Promise<ManagementClient> {
    return resolveClient(this.o.client);
  }

  exchange(clientId: string, proof: ClientCredentialProof, signal?: AbortSignal): Promise<ExchangeResult> {
    return this.admin.exchange(clientId, proof, signal);
  }

  setClientSecret(clientId: string, secret: string, signal?: AbortSignal): Promise<void> {
    return this.admin.setClientSecret(clientId, secret, signal);
  }

  listCredentials(
    clientId: string,
    signal?: AbortSignal,
  ): Promise<ReadonlyArray<{ id: string; name: string | undefined }>> {
    return this.call(true, 'clients.credentials.list', signal, async (abortSignal) =>
      parse(
        credentialsSchema,
        await (await this.c()).clients.credentials.list(clientId, { abortSignal }),
        'credential list',
      ),
    );
  }

  createCredential(
    clientId: string,
    input: { name: string; publicKeyPem: string; alg: 'RS256' },
    signal?: AbortSignal,
  ): Promise<{ id: string }> {
    return this.call(false, 'clients.credentials.create', signal, async (abortSignal) => {
      const created = await (
        await this.c()
      ).clients.credentials.create(
        clientId,
        { credential_type: 'public_key', name: input.name, pem: input.publicKeyPem, alg: input.alg },
        { abortSignal },
      );
      return { id: parse(createdSchema, created, 'credential').id };
    });
  }

  activeCredentialIds(clientId: string, signal?: AbortSignal): Promise<readonly string[]> {
    return this.call(true, 'clients.get', signal, async (abortSignal) => {
      const client = parse(
        clientSchema,
        await (await this.c()).clients.get(clientId, {}, { abortSignal }),
        'client',
      );
      return client.client_authentication_methods?.private_key_jwt?.credentials.map((c) => c.id) ?? [];
    });
  }

  async setActiveCredentials(clientId: string, ids: readonly string[], signal?: AbortSignal): Promise<void> {
    await this.call(false, 'clients.update(private_key_jwt)', signal, async (abortSignal) =>
      (await this.c()).clients.update(
        clientId,
        { client_authentication_methods: { private_key_jwt: { credentials: ids.map((id) => ({ id })) } } },
        { abortSignal },
      ),
    );
  }

  async deleteCredential(clientId: string, credentialId: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.call(false, 'clients.credentials.delete', signal, async (abortSignal) =>
        (await this.c()).clients.credentials.delete(clientId, credentialId, { abortSignal }),
      );
    } catch (error) {
      // Already gone (a resumed rotation deleting it again): the end state is the one we want.
      if (isAppError(error) && error.code === 'not_found') return;
      throw error;
    }
  }

  private call<T>(
    idempotent: boolean,
    operation: string,
    signal: AbortSignal | undefined,
    fn: (abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return this.o.policy.execute(fn, { idempotent, operation, ...(signal ? { signal } : {}) });
  }
}
