import type { DetectionSignal } from '../../core/detection/model.js';
import { unknownSignal } from './domains.js';
import type { Kit, Step } from './kit.js';

type AttackSignal = Extract<
  DetectionSignal,
  | 'credential_stuffing'
  | 'refresh_token_reuse'
  | 'ip_blocked'
  | 'breached_password'
  | 'mfa_abuse'
  | 'signup_fraud'
>;

export const ATTACK_RUNBOOKS: Readonly<Record<AttackSignal, (kit: Kit) => Step[]>> = {
  credential_stuffing: unknownSignal,
  refresh_token_reuse: unknownSignal,
  ip_blocked: unknownSignal,
  breached_password: unknownSignal,
  mfa_abuse: unknownSignal,
  signup_fraud: unknownSignal,
};
