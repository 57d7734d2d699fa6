/** Results and targets of the SlackDriver's user actions. */
import type { EventDelivery } from './fake-slack.js';
import type { AckResult, StoredView } from './types.js';

export interface SlackDriverOptions {
  /** Default slash command, e.g. '/oncall'. */
  command?: string;
  /** Default channel for commands; the fake's first channel otherwise. */
  channelId?: string;
}

export interface CommandReply {
  text?: string;
  blocks?: unknown[];
  responseType?: 'ephemeral' | 'in_channel';
  /** Where the fake recorded the reply, so its buttons can be clicked. */
  messageTs?: string;
}

export interface CommandResult {
  ack: AckResult;
  reply?: CommandReply;
  responseUrl: string;
  triggerId: string;
  channelId: string;
}

export type ButtonTarget =
  | { actionId: string; value?: string; channelId: string; messageTs: string }
  | { actionId: string; value?: string; viewId: string };

export interface ClickResult {
  ack: AckResult;
  triggerId: string;
  /** Absent for clicks in views, as on Slack. */
  responseUrl?: string;
}

export type ViewOutcome =
  | { kind: 'closed' }
  | { kind: 'cleared' }
  | { kind: 'errors'; errors: Record<string, string> }
  | { kind: 'updated'; view: StoredView }
  | { kind: 'pushed'; view: StoredView }
  | { kind: 'not_acked' };

export interface SubmitResult {
  ack: AckResult;
  outcome: ViewOutcome;
}

export interface PostResult {
  ts: string;
  /** The `message` event, then `app_mention` when the text mentions the bot. */
  deliveries: EventDelivery[];
}
