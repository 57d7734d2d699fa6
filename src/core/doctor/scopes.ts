/**
 * Every Management API call the app makes, the feature it serves, and the scopes Auth0 documents
 * for that endpoint and field. The README's scope list, the doctor's scope check and the test that
 * holds the fake tenant to the same rules all read this table (docs/decisions/0009-one-scope-table.md).
 */
export type FeatureId =
  | 'log_polling'
  | 'signing_key_watch'
  | 'certificate_watch'
  | 'credential_watch'
  | 'rollback_client_secret'
  | 'revoke_signing_key'
  | 'unblock_ip'
  | 'rotation_client_secret'
  | 'rotation_private_key_jwt';

export interface ManagementCall {
  /** The adapter's operation name (src/auth0/), e.g. `clients.update(client_secret)`. */
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path under /api/v2, `{id}` for path parameters. */
  readonly path: string;
  /** The body or response field that needs more than the endpoint's own scope. */
  readonly field?: string;
  /** All of these are needed for the call to work. */
  readonly scopes: readonly string[];
}

export interface FeatureScopes {
  readonly feature: FeatureId;
  /** What a person calls it. */
  readonly name: string;
  /** What stops working without the scopes. */
  readonly breaks: string;
  readonly calls: readonly ManagementCall[];
}

const logsRead: ManagementCall = {
  operation: 'logs.checkpoint',
  method: 'GET',
  path: '/logs',
  scopes: ['read:logs'],
};
const patchSecret: ManagementCall = {
  operation: 'clients.update(client_secret)',
  method: 'PATCH',
  path: '/clients/{id}',
  field: 'client_secret',
  scopes: ['update:clients', 'update:client_keys'],
};
const listCredentials: ManagementCall = {
  operation: 'clients.credentials.list',
  method: 'GET',
  path: '/clients/{id}/credentials',
  scopes: ['read:client_credentials'],
};

export const SCOPE_TABLE: readonly FeatureScopes[] = [
  {
    feature: 'log_polling',
    name: 'log polling and detection',
    breaks: 'no log is read, so no incident is ever opened',
    calls: [logsRead, { ...logsRead, operation: 'logs.search' }],
  },
  {
    feature: 'signing_key_watch',
    name: 'signing-key watching',
    breaks: 'a rotated or revoked signing key goes unnoticed, and `list_signing_keys` fails',
    calls: [
      { operation: 'keys.signing.list', method: 'GET', path: '/keys/signing', scopes: ['read:signing_keys'] },
    ],
  },
  {
    feature: 'certificate_watch',
    name: 'custom-domain certificate watching',
    breaks: 'a failing certificate renewal goes unnoticed',
    calls: [
      {
        operation: 'customDomains.list',
        method: 'GET',
        path: '/custom-domains',
        scopes: ['read:custom_domains'],
      },
    ],
  },
  {
    feature: 'credential_watch',
    name: 'credential expiry watching',
    breaks: 'a private_key_jwt credential expires without warning',
    calls: [
      {
        operation: 'clients.list',
        method: 'GET',
        path: '/clients',
        field: 'client_authentication_methods',
        scopes: ['read:clients', 'read:client_credentials'],
      },
      listCredentials,
    ],
  },
  {
    feature: 'rollback_client_secret',
    name: 'the `rollback_client_secret` runbook action',
    breaks: 'rolling a client back to its previous secret fails with 403',
    calls: [patchSecret],
  },
  {
    feature: 'revoke_signing_key',
    name: 'the `revoke_previous_signing_key` runbook action',
    breaks: 'revoking the previous signing key fails with 403',
    calls: [
      {
        operation: 'keys.signing.revoke',
        method: 'PUT',
        path: '/keys/signing/{kid}/revoke',
        scopes: ['update:signing_keys'],
      },
    ],
  },
  {
    feature: 'unblock_ip',
    name: 'the `unblock_ip` runbook action',
    breaks: 'unblocking an IP fails with 403',
    calls: [
      {
        operation: 'anomaly.blocks.checkIp',
        method: 'GET',
        path: '/anomaly/blocks/ips/{ip}',
        scopes: ['read:anomaly_blocks'],
      },
      {
        operation: 'anomaly.blocks.unblockIp',
        method: 'DELETE',
        path: '/anomaly/blocks/ips/{ip}',
        scopes: ['delete:anomaly_blocks'],
      },
    ],
  },
  {
    feature: 'rotation_client_secret',
    name: 'client-secret rotation',
    breaks: 'rotating a client secret fails with 403 at Auth0, and the rotation rolls back',
    calls: [
      // The doctor's check that the target exists.
      { operation: 'clients.get(exists)', method: 'GET', path: '/clients/{id}', scopes: ['read:clients'] },
      patchSecret,
    ],
  },
  {
    feature: 'rotation_private_key_jwt',
    name: 'private_key_jwt credential rotation',
    breaks: 'rotating a private_key_jwt credential fails with 403 at Auth0',
    calls: [
      {
        operation: 'clients.get',
        method: 'GET',
        path: '/clients/{id}',
        field: 'client_authentication_methods',
        scopes: ['read:clients', 'read:client_credentials'],
      },
      listCredentials,
      {
        operation: 'clients.credentials.create',
        method: 'POST',
        path: '/clients/{id}/credentials',
        scopes: ['create:client_credentials'],
      },
      {
        operation: 'clients.update(private_key_jwt)',
        method: 'PATCH',
        path: '/clients/{id}',
        field: 'client_authentication_methods',
        scopes: ['update:clients', 'update:client_credentials'],
      },
      {
        operation: 'clients.credentials.delete',
        method: 'DELETE',
        path: '/clients/{id}/credentials/{credentialId}',
        scopes: ['delete:client_credentials'],
      },
    ],
  },
];

/** The scopes a feature needs: the union over its calls, in table order. */
export const scopesFor = (feature: FeatureScopes): string[] => [
  ...new Set(feature.calls.flatMap((c) => c.scopes)),
];

/** Every scope any feature needs, in table order: what the README lists. */
export const allScopes = (): string[] => [...new Set(SCOPE_TABLE.flatMap(scopesFor))];
