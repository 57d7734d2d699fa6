import { randomUUID } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import type { ClientCredentialProof } from '../core/tenant/ports.js';

export interface TokenEndpoint {
  readonly domain: string;
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
}

const assertion = async (domain: string, clientId: string, pem: string): Promise<string> => {
  const key = await importPKCS8(pem, 'RS256');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(`https://${domain}/`)
    .setIssuedAt()
    .setExpirationTime('60s')
    .setJti(randomUUID())
    .sign(key);
};

/** A client_credentials request for the Management API audience, with a secret or a private_key_jwt assertion. */
export const requestToken = async (
  endpoint: TokenEndpoint,
  clientId: string,
  proof: ClientCredentialProof,
  signal?: AbortSignal,
): Promise<Response> => {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    audience: `https://${endpoint.domain}/api/v2/`,
  });
  if (proof.kind === 'secret') body.set('client_secret', proof.secret);
  else {
    body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    body.set('client_assertion', await assertion(endpoint.domain, clientId, proof.pem));
  }
  return endpoint.fetch(`${endpoint.baseUrl.replace(/\/$/, '')}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
    ...(signal ? { signal } : {}),
  });
};
