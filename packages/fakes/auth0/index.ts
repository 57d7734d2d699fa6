export { FakeAuth0 } from './fake-auth0.js';
export { fetchVia } from './sdk-fetch.js';
export { ManualClock, type Now } from './clock.js';
export { ASSERTION_TYPE } from './client-assertion.js';
export { ALL_SCOPES, MAX_CREDENTIALS, type ClientRecord, type StoredCredential } from './clients.js';
export type {
  CertificateStatus,
  CustomDomain,
  CustomDomainInput,
  DomainCertificate,
} from './custom-domains.js';
export type { FailSpec, MalformedSpec } from './faults.js';
export type { SigningKeyView } from './keys.js';
export { PLAN_RATE_LIMITS } from './rate-limit.js';
export { TrafficGenerator, type BackgroundOptions, type GenerateOptions } from './traffic.js';
export type { BurstOptions } from './traffic-scenarios.js';
export type { ActionsErrorClass, AttackCode } from './traffic-events.js';
export type * from './types.js';
export {
  cloudEvent,
  eventBridgeEnvelope,
  organizationConnectionObject,
  userObject,
  type CloudEvent,
  type CloudEventOptions,
} from './event-streams.js';
