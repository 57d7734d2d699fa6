export { createRotationService } from './machine.js';
