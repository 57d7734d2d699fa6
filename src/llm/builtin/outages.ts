import type { DetectionSignal } from '../../core/detection/model.js';
import { unknownSignal } from './domains.js';
import type { Kit, Step } from './kit.js';

type OutageSignal = Extract<
  DetectionSignal,
  'connection_down' | 'notification_failures' | 'cors_failures' | 'deprecation_notices' | 'platform_failures'
>;

export const OUTAGE_RUNBOOKS: Readonly<Record<OutageSignal, (kit: Kit) => Step[]>> = {
  connection_down: unknownSignal,
  notification_failures: unknownSignal,
  cors_failures: unknownSignal,
  deprecation_notices: unknownSignal,
  platform_failures: unknownSignal,
};
