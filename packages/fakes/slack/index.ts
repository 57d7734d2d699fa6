export { FakeSlack, type EventDelivery } from './fake-slack.js';
export { SlackDriver } from './slack-driver.js';
export type {
  ButtonTarget,
  ClickResult,
  CommandReply,
  CommandResult,
  PostResult,
  SlackDriverOptions,
  SubmitResult,
  ViewOutcome,
} from './driver-types.js';
export {
  BLOCK_KIT_LIMITS,
  checkBlockKitLimits,
  checkViewLimits,
  viewByteLength,
  type BlockKitSurface,
} from './block-kit-limits.js';
export { waitFor, type WaitOptions } from './wait-for.js';
export type { StateValueInput, StateValuesInput } from './view-state.js';
export type { ResolvedOptions } from './workspace.js';
export type * from './types.js';
