/** private_key_jwt: verifies a client assertion the way Auth0 does. */
import { decodeProtectedHeader, errors, importSPKI, importX509, jwtVerify, type JWTPayload } from 'jose';
import { isCredentialAlg, type ClientRecord, type StoredCredential } from './clients.js';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const MAX_ASSERTION_BYTES = 2048;
const MAX_LIFETIME_SECONDS = 300;

export interface AssertionCheck {
  assertion: string;
  client: ClientRecord;
  /** The client's active credentials: attached and not expired. */
  credentials: StoredCredential[];
  domain: string;
  now: number;
  /** `clientId:jti` → expiry (ms) of assertions already used. */
  usedJtis: Map<string, number>;
}

export type AssertionResult = { ok: true; credentialId: string } | { ok: false; reason: string };

async function verifyWith(
  check: AssertionCheck,
  credential: StoredCredential,
): Promise<{ payload: JWTPayload } | { reason: string } | 'bad_signature'> {
  const key = credential.pem.includes('BEGIN CERTIFICATE')
    ? await importX509(credential.pem, credential.alg)
    : await importSPKI(credential.pem, credential.alg);
  try {
    const { payload } = await jwtVerify(check.assertion, key, {
      algorithms: [credential.alg],
      issuer: check.client.clientId,
      subject: check.client.clientId,
      // With the trailing slash: `https://tenant/` without it is rejected.
      audience: `https://${check.domain}/`,
      currentDate: new Date(check.now),
      requiredClaims: ['exp', 'jti', 'iss', 'sub', 'aud'],
    });
    return { payload };
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
    if (error instanceof errors.JOSEError) return { reason: `Invalid client_assertion: ${error.message}` };
    throw error;
  }
}

function consumeJti(check: AssertionCheck, payload: JWTPayload): string | undefined {
  for (const [key, expiresAt] of check.usedJtis) if (expiresAt <= check.now) check.usedJtis.delete(key);
  const exp = payload.exp ?? 0;
  if (exp - check.now / 1000 > MAX_LIFETIME_SECONDS) {
    return `Invalid client_assertion: exp must be at most ${MAX_LIFETIME_SECONDS} seconds in the future`;
  }
  const key = `${check.client.clientId}:${payload.jti ?? ''}`;
  if (check.usedJtis.has(key)) return 'Invalid client_assertion: jti has already been used';
  check.usedJtis.set(key, exp * 1000);
  return undefined;
}

export async function verifyClientAssertion(check: AssertionCheck): Promise<AssertionResult> {
  if (Buffer.byteLength(check.assertion) > MAX_ASSERTION_BYTES) {
    return { ok: false, reason: `Invalid client_assertion: longer than ${MAX_ASSERTION_BYTES} bytes` };
  }
  let header;
  try {
    header = decodeProtectedHeader(check.assertion);
  } catch {
    return { ok: false, reason: 'Invalid client_assertion: not a JWT' };
  }
  const alg = header.alg;
  if (!isCredentialAlg(alg))
    return { ok: false, reason: `Invalid client_assertion: alg ${String(alg)} is not allowed` };
  const candidates = check.credentials.filter(
    (credential) => credential.alg === alg && (header.kid === undefined || header.kid === credential.kid),
  );
  if (candidates.length === 0) return { ok: false, reason: `No active credential for alg ${alg}` };
  for (const credential of candidates) {
    const verified = await verifyWith(check, credential);
    if (verified === 'bad_signature') continue;
    if ('reason' in verified) return { ok: false, reason: verified.reason };
    const replay = consumeJti(check, verified.payload);
    return replay === undefined ? { ok: true, credentialId: credential.id } : { ok: false, reason: replay };
  }
  return { ok: false, reason: 'Invalid client_assertion: signature verification failed' };
}
