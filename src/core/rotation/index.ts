export { createRotationService } from './machine.js';
export { KEY_STATES, ROLLING_BACK, SECRET_STATES } from './deps.js';
export type { KeyPair, RotationEvent, RotationServiceDeps } from './deps.js';
export type { RotationResult, RotationService, RotationTenant } from './ports.js';
