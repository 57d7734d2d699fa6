/** Shared wiring for the fake Auth0 tests: the real SDK aimed at the fake, keys, schema checks. */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ManagementClient } from 'auth0';
import type { FakeAuth0 } from '@auth0-oncall/fakes/auth0';

// ajv-formats is CommonJS with a default export; under NodeNext its callable is `.default`.
const addFormats = addFormatsModule.default;

export type Credentials =
  | { token: string }
  | { clientId: string; clientSecret: string }
  | { clientId: string; clientAssertionSigningKey: string; clientAssertionSigningAlg?: string };

/** Retries off: the SDK retries 408/429/5xx on every method, which would hide what the fake said. */
export function managementClient(
  fake: FakeAuth0,
  credentials: Credentials,
  opts: { maxRetries?: number } = {},
): ManagementClient {
  return new ManagementClient({
    domain: fake.domain,
    ...credentials,
    fetch: fake.fetch,
    maxRetries: opts.maxRetries ?? 0,
    timeoutInSeconds: 5,
  });
}

export interface RsaKeyPair {
  publicPem: string;
  /** PKCS#8, as the auth0 SDK requires. */
  privatePem: string;
}

export function rsaKeyPair(): RsaKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicPem: publicKey, privatePem: privateKey };
}

/** POSTs a token request the way the SDK does (form body) and returns status and JSON. */
export async function tokenRequest(
  fake: FakeAuth0,
  fields: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${fake.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      audience: `https://${fake.domain}/api/v2/`,
      ...fields,
    }),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

export async function getJson(
  fake: FakeAuth0,
  path: string,
  token: string,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${fake.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
    headers: response.headers,
  };
}

interface LogSchemaFile {
  components: { schemas: Record<string, object> };
}

/** Validates entries against tests/fixtures/auth0-log-schemas.json; returns one line per problem. */
export function createLogValidator(): (entry: unknown) => string[] {
  const file = JSON.parse(
    readFileSync(new URL('../../../fixtures/auth0-log-schemas.json', import.meta.url), 'utf8'),
  ) as LogSchemaFile;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const compiled = new Map<string, ValidateFunction>();
  return (entry) => {
    const type = typeof entry === 'object' && entry !== null && 'type' in entry ? String(entry.type) : '';
    const schema = file.components.schemas[type];
    if (schema === undefined) return [`unknown log type "${type}"`];
    let validate = compiled.get(type);
    if (validate === undefined) {
      validate = ajv.compile(schema);
      compiled.set(type, validate);
    }
    return validate(entry)
      ? []
      : (validate.errors ?? []).map((error) => `${type}${error.instancePath} ${error.message ?? ''}`);
  };
}
