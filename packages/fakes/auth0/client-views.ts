/** The JSON shapes of clients and credentials on the Management API. */
import type { ClientRecord, StoredCredential } from './clients.js';

export function credentialView(credential: StoredCredential): Record<string, unknown> {
  const { pem: _pem, ...view } = credential;
  return { ...view };
}

export function clientView(tenantName: string, client: ClientRecord): Record<string, unknown> {
  const view: Record<string, unknown> = {
    tenant: tenantName,
    global: false,
    is_token_endpoint_ip_header_trusted: false,
    name: client.name,
    client_id: client.clientId,
    app_type: client.appType,
    is_first_party: true,
    oidc_conformant: true,
    grant_types: client.grants,
    callbacks: [],
    allowed_origins: [],
    web_origins: [],
    allowed_logout_urls: [],
    jwt_configuration: { alg: 'RS256', lifetime_in_seconds: 36000, secret_encoded: false },
    sso_disabled: false,
    cross_origin_authentication: false,
    custom_login_page_on: true,
  };
  if (client.secret !== undefined) view.client_secret = client.secret;
  // token_endpoint_auth_method and client_authentication_methods are mutually exclusive.
  if (client.tokenEndpointAuthMethod !== null)
    view.token_endpoint_auth_method = client.tokenEndpointAuthMethod;
  if (client.activeCredentialIds !== null) {
    view.client_authentication_methods = {
      private_key_jwt: { credentials: client.activeCredentialIds.map((id) => ({ id })) },
    };
  }
  return { ...view, ...client.extra };
}
