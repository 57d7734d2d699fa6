export { createRotationService } from './machine.js';
export { createRotationStarter } from './starter.js';
