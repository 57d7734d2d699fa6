import { recheck, type Kit, type Step } from './kit.js';

/** Runbooks about credentials and keys: M2M and web token failures, signing keys, expiring credentials. */

const LOGS = 'Auth0 Dashboard → Monitoring → Logs';

const secretChangeNote = (kit: Kit): string => {
  const c = kit.facts.correlation;
  if (c?.kind !== 'secret_change') return '';
  return ` Auth0 logged a change to this application's secret${c.at ? ` at ${c.at}` : ''}, just before the failures started: that change is the most likely cause.`;
};

/** The JWKS steps shared by the signing-key runbook and token failures that follow a rotation. */
const keyRotationSteps = (kit: Kit): Step[] => [
  kit.act(
    'list_signing_keys',
    'See which signing keys are current, previous and next',
    "Lists the tenant's signing keys with their key ID (kid) and state. Compare the current kid with the " +
      "kid in the header of a token your API rejects (decode the token's first part, e.g. on jwt.io).",
  ),
  kit.act(
    'resend_jwks_refresh_hooks',
    'Tell your APIs again to reload the JWKS',
    'Re-sends the signed notification to every JWKS_REFRESH_WEBHOOKS receiver, so APIs that cache the ' +
      'JWKS drop their cache and read the new key. The result says which receivers acknowledged; one ' +
      'that did not still holds the old keys (next step).',
  ),
  kit.guide(
    'Make your APIs load the new key',
    'Find the services that validate Auth0 tokens (API gateways, backends using jwks-rsa, express-jwt, ' +
      `Spring Security…). Restart them or clear their key cache so they read ` +
      `https://${kit.domain}/.well-known/jwks.json again (and the JWKS of your custom domain, if apps use ` +
      'one). Remove any certificate or public key pasted ' +
      'into configuration: verifiers should look keys up in the JWKS by kid. It worked when the 401 ' +
      '"invalid signature" / "no matching key" errors stop in those services.',
  ),
  kit.guide(
    'Do not revoke the previous key yet',
    'Revoking the previous signing key invalidates every token it signed: users are logged out and ' +
      'services holding older tokens fail. Revoke it only if the key may be compromised, and only after ' +
      'your APIs accept tokens signed with the new key.',
  ),
];

export const m2mTokenFailures = (kit: Kit): Step[] => [
  kit.guide(
    'Understand what is failing',
    `The service that uses ${kit.client} cannot get access tokens from Auth0 (client-credentials grant), ` +
      'so its calls to your APIs fail. The usual cause is a secret that changed on one side only: it was ' +
      'rotated in Auth0 but the service still uses the old one, or the service was deployed with a wrong ' +
      `value.${secretChangeNote(kit)}`,
  ),
  kit.act(
    'verify_client_credentials',
    'Test the secret stored in Secrets Manager',
    `Runs a real token exchange for ${kit.client} with the credential stored in AWS Secrets Manager ` +
      '(AWSCURRENT). Nothing is changed. If it works, Auth0 and Secrets Manager agree and the service has a ' +
      'stale copy (next step). If it fails, the stored secret no longer matches Auth0 (the step after).',
  ),
  kit.guide(
    'If the stored secret works: make the service reload it',
    `Restart or redeploy the service that uses ${kit.client} so it reads the current secret. Check that it ` +
      'reads AWSCURRENT from Secrets Manager and does not keep a copy in an environment variable or a config ' +
      'file. It worked when its token requests succeed again (the failure count on this card stops growing).',
  ),
  kit.act(
    'rollback_client_secret',
    'If the stored secret fails: roll back to the previous secret',
    `Only when the secret changed recently${kit.facts.hasSuspects ? ' (see the suspects on this card)' : ''} and ${kit.offers('verify_client_credentials') ? 'the test above failed' : 'a token request with the stored secret fails'}. ` +
      'Puts the previous secret (AWSPREVIOUS) back on the Auth0 application, makes it current in Secrets ' +
      'Manager and verifies it. Services that already use the new secret will then fail, so first ask who ' +
      'made the change.',
  ),
  ...(kit.facts.correlation?.kind === 'signing_key_rotation' ? keyRotationSteps(kit) : []),
  kit.guide(
    'Check the other causes in the logs',
    `In ${LOGS}, search for type:feccft and open a few entries for this client. "Unauthorized" or "invalid ` +
      'client" means a wrong secret or key. "Client has not been granted scopes" or "not authorized to access ' +
      'resource server" means the application lost its grant: Applications → APIs → your API → Machine to ' +
      'Machine Applications, authorize it again. "Grant type not allowed" means the Client Credentials grant ' +
      "was switched off in the application's Advanced Settings → Grant Types.",
  ),
  recheck(kit),
];

export const webTokenFailures = (kit: Kit): Step[] => [
  kit.guide(
    'Understand what is failing',
    `The application ${kit.client} is failing to exchange authorization codes or refresh tokens at ` +
      `Auth0, so users who log in are sent back to the login page or logged out.${secretChangeNote(kit)}`,
  ),
  ...(kit.facts.correlation?.kind === 'signing_key_rotation' ? keyRotationSteps(kit) : []),
  kit.guide(
    'Read the failure reason',
    `In ${LOGS}, search for type:feacft OR type:fertft and open a few entries. "Unauthorized" or "invalid ` +
      `client credentials": the app's client secret is wrong${kit.offers('verify_client_credentials') ? ' (test it in the next step)' : ''}. "Invalid authorization code": ` +
      'the app reuses codes or retries in a loop; check its latest deploy. "Unknown or invalid refresh ' +
      'token": refresh tokens were revoked (password change, logout everywhere, rotation reuse detection) and ' +
      'users must log in again. "redirect_uri mismatch": compare the callback URL with Allowed Callback URLs.',
  ),
  kit.act(
    'verify_client_credentials',
    "Test the app's secret stored in Secrets Manager",
    `Runs a real token exchange for ${kit.client} with the credential in AWS Secrets Manager (AWSCURRENT). ` +
      'Nothing is changed. If it works, redeploy or restart the web app so it uses that secret.',
  ),
  kit.facts.correlation?.kind === 'secret_change'
    ? kit.act(
        'rollback_client_secret',
        'If the secret change broke it: roll back to the previous secret',
        'Puts the previous secret (AWSPREVIOUS) back on the Auth0 application, makes it current in Secrets ' +
          `Manager and verifies it. Use it when ${kit.offers('verify_client_credentials') ? 'the test above failed' : 'a token request with the stored secret fails'} and nobody needs the new secret yet.`,
      )
    : undefined,
  kit.guide(
    'Check the latest deploy of the app',
    'A deploy that changed AUTH0_CLIENT_SECRET, the callback URL or the Auth0 SDK version is a common cause. ' +
      'Roll it back if the failures started with it.',
  ),
  recheck(kit),
];

export const signingKey = (kit: Kit): Step[] => [
  kit.guide(
    'Understand what changed',
    "Auth0 signs tokens with the tenant's signing key. It was rotated or revoked: new tokens carry a new key " +
      'ID (kid). APIs and apps that cached the old public key, or pinned it in their configuration, now ' +
      'reject valid tokens with 401 errors.',
  ),
  kit.facts.kid === undefined
    ? undefined
    : kit.guide(
        'The JWKS does not publish the current key',
        `The tenant's JWKS (/.well-known/jwks.json) does not list ${kit.facts.kid}, the key that signs ` +
          'tokens now, so every verifier rejects them. Check status.auth0.com and any CDN or proxy caching the ' +
          'JWKS in front of your custom domain; contact Auth0 support if it lasts more than a few minutes.',
      ),
  ...keyRotationSteps(kit),
  kit.facts.hasSuspects
    ? kit.guide(
        'Find out who rotated the key',
        `If nobody on your team planned this rotation, find the change in ${LOGS} (search type:sapi around ` +
          'the time on this card) and ask the person or application that made it.',
      )
    : undefined,
  recheck(kit),
];

export const credentialExpiry = (kit: Kit): Step[] => [
  kit.guide(
    'Understand what is expiring',
    `A credential of ${kit.client} (a private key or a client secret with an expiry date) expires soon or ` +
      'has expired. Once it expires, the service using it can no longer get tokens.',
  ),
  kit.act(
    'rotate_client_credential',
    'Rotate the credential now',
    'Starts a safe rotation through Secrets Manager: a new credential is created, stored as AWSPENDING, ' +
      'verified with a real token exchange, then promoted to AWSCURRENT. For private_key_jwt the old key ' +
      'stays valid for a grace period, so services have time to pick up the new one.',
  ),
  kit.guide(
    'If the bot does not rotate this application',
    'In Auth0 Dashboard → Applications → the application → Credentials, add a new credential (for ' +
      'private_key_jwt, generate a key pair and upload the public key), deploy the new private key or secret ' +
      'to the service, confirm it gets tokens, then delete the old credential. Give the new one an expiry ' +
      'date and put a reminder in your calendar.',
  ),
  kit.act(
    'verify_client_credentials',
    'Verify the credential in Secrets Manager works',
    'A real token exchange with the credential stored as AWSCURRENT. Nothing is changed.',
  ),
  recheck(kit),
];

export const auth0Unreachable = (kit: Kit): Step[] => [
  kit.guide(
    'Understand what this means',
    'The bot itself cannot call the Auth0 Management API, so it cannot poll logs or watch keys, ' +
      'certificates and credentials until this is fixed. Customer logins are not necessarily affected.',
  ),
  kit.guide(
    "Check Auth0's status",
    "Open https://status.auth0.com and look for an incident in your tenant's region. If there is one, wait: " +
      'the bot retries by itself and resolves this incident when calls succeed again.',
  ),
  kit.guide(
    "Check the bot's own credential",
    'If the reason on this card is "credential refused" (HTTP 401/403), the bot\'s M2M application ' +
      '(AUTH0_CLIENT_ID) may have a new secret or key, have been deleted, or have lost its grant. In Auth0 ' +
      'Dashboard → Applications → APIs → Auth0 Management API → Machine to Machine Applications, check the bot ' +
      'is authorized with the scopes in the README, and that AUTH0_CLIENT_SECRET or AUTH0_PRIVATE_KEY in the ' +
      "bot's configuration matches the application. Restart the bot after fixing its configuration.",
  ),
  kit.guide(
    'Check the network',
    'From where the bot runs, check that your Auth0 domain resolves and answers over HTTPS: ' +
      `curl -sI https://${kit.domain}/.well-known/openid-configuration. New proxy, firewall or DNS ` +
      'rules are the usual suspects.',
  ),
  kit.guide(
    'Watch it recover',
    '/auth0 status shows the Auth0 circuit breaker. It tries again on its own (half-open) and closes this ' +
      'incident once a call succeeds.',
  ),
];

export const rotationFailed = (kit: Kit): Step[] => [
  kit.guide(
    'Understand what happened',
    `A credential rotation of ${kit.client} did not finish. The bot rolls back by itself when the new ` +
      'credential fails its test; the thread and the card say whether it did. What matters now is that the ' +
      'credential in Secrets Manager (AWSCURRENT) works at Auth0, because that is what your services read.',
  ),
  kit.act(
    'verify_client_credentials',
    'Test the credential your services read',
    `Runs a real token exchange for ${kit.client} with AWSCURRENT from Secrets Manager. If it works, your ` +
      'services are fine and you can retry the rotation later (/auth0 rotate).',
  ),
  kit.act(
    'rollback_client_secret',
    'If it fails: put the previous secret back',
    'Restores AWSPREVIOUS on both sides (Auth0 and Secrets Manager) and verifies it. Use it only when ' +
      `${kit.offers('verify_client_credentials') ? 'the test above fails' : 'a token request with AWSCURRENT fails'}.`,
  ),
  kit.guide(
    'Find out why it failed',
    'The thread and `/auth0 audit` name the step that failed. Common causes: the bot lacks the ' +
      '`update:clients` (or `*:client_credentials`) scope on the Management API; its AWS role lacks ' +
      '`secretsmanager:PutSecretValue` or `UpdateSecretVersionStage`; the client already has two credentials ' +
      '(private_key_jwt allows at most two); or Auth0 was unreachable. Fix the cause before rotating again.',
  ),
  kit.act(
    'pause_rotation',
    'Pause scheduled rotation until the cause is fixed',
    'Stops the weekly schedule from trying again for this client. Resume it from the runbook of a later ' +
      'incident or after fixing the cause (for example a missing Management API scope for the bot).',
  ),
];
