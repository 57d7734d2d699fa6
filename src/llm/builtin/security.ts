import type { DetectionSignal } from '../../core/detection/model.js';
import { unknownSignal } from './domains.js';
import type { Kit, Step } from './kit.js';

type SecuritySignal = Extract<DetectionSignal, 'security_weakened' | 'secret_exposure'>;

export const SECURITY_RUNBOOKS: Readonly<Record<SecuritySignal, (kit: Kit) => Step[]>> = {
  security_weakened: unknownSignal,
  secret_exposure: unknownSignal,
};
