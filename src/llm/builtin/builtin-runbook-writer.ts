import type { DetectionSignal } from '../../core/detection/model.js';
import type { ProposedStep, RunbookRequest, RunbookWriter } from '../../core/runbooks/model.js';
import {
  auth0Unreachable,
  credentialExpiry,
  m2mTokenFailures,
  rotationFailed,
  signingKey,
  webTokenFailures,
} from './credentials.js';
import { ATTACK_RUNBOOKS } from './attacks.js';
import { certificate, customDomain, unknownSignal } from './domains.js';
import { kitFor, type Kit, type Step } from './kit.js';
import { OUTAGE_RUNBOOKS } from './outages.js';
import { SECURITY_RUNBOOKS } from './security.js';
import { actionsFailures, attackProtection, failedLogins, rateLimit } from './traffic.js';
import { massUserBlocking, massUserDeletion, organizationConnections, signupBurst } from './user-events.js';

/**
 * The embedded runbook library (docs/decisions/0005-built-in-runbooks-as-the-last-writer.md): a written runbook for every detection signal, used when
 * no model is configured and whenever the models fail. Steps are guidance for a non-expert plus
 * catalog actions whose parameters come only from the incident scope and evidence, validated
 * (see builtin/kit.ts). Its output goes through the same checks as a model's.
 */
const BUILTIN_RUNBOOKS: Readonly<Record<DetectionSignal, (kit: Kit) => Step[]>> = {
  failed_logins: failedLogins,
  m2m_token_failures: m2mTokenFailures,
  web_token_failures: webTokenFailures,
  rate_limit: rateLimit,
  attack_protection: attackProtection,
  actions_failures: actionsFailures,
  signing_key: signingKey,
  certificate,
  credential_expiry: credentialExpiry,
  custom_domain: customDomain,
  auth0_unreachable: auth0Unreachable,
  rotation_failed: rotationFailed,
  ...ATTACK_RUNBOOKS,
  ...OUTAGE_RUNBOOKS,
  ...SECURITY_RUNBOOKS,
  mass_user_deletion: massUserDeletion,
  mass_user_blocking: massUserBlocking,
  signup_burst: signupBurst,
  organization_connections: organizationConnections,
};

const isDetectionSignal = (signal: string): signal is DetectionSignal =>
  Object.hasOwn(BUILTIN_RUNBOOKS, signal);

/** The steps for this incident; an unknown signal gets a generic runbook. */
export const builtinRunbook = (request: RunbookRequest): ProposedStep[] => {
  const kit = kitFor(request);
  const signal = request.incident.signal;
  const recipe = isDetectionSignal(signal) ? BUILTIN_RUNBOOKS[signal] : unknownSignal;
  return recipe(kit).filter((step): step is ProposedStep => step !== undefined);
};

export class BuiltinRunbookWriter implements RunbookWriter {
  readonly name = 'builtin' as const;

  write(request: RunbookRequest): Promise<unknown> {
    return Promise.resolve({ steps: builtinRunbook(request) });
  }
}
