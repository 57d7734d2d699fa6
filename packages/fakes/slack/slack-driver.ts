/** Drives the app the way people in Slack would: commands, clicks, submissions, Home visits, thread replies. */
import { applySubmissionAck, messageSurface, recordCommandReply, viewSurface } from './driver-surfaces.js';
import type {
  ButtonTarget,
  ClickResult,
  CommandResult,
  PostResult,
  SlackDriverOptions,
  SubmitResult,
} from './driver-types.js';
import type { EventDelivery, FakeSlack } from './fake-slack.js';
import {
  blockActionsPayload,
  commandPayload,
  findActionElement,
  userMessageEvent,
  userRef,
  viewSubmissionPayload,
} from './interaction-payloads.js';
import { viewJson } from './method-context.js';
import type { AckResult, ResponseUrlPost } from './types.js';
import { buildStateValues, type StateValuesInput } from './view-state.js';
import type { WaitOptions } from './wait-for.js';

export class SlackDriver {
  private readonly defaultCommand: string;
  private readonly defaultChannel: string;

  constructor(
    readonly fake: FakeSlack,
    options: SlackDriverOptions = {},
  ) {
    this.defaultCommand = options.command ?? '/oncall';
    this.defaultChannel = options.channelId ?? fake.options.channels[0] ?? 'C0ALERTS';
  }

  async command(
    userId: string,
    text: string,
    opts: { command?: string; channelId?: string } = {},
  ): Promise<CommandResult> {
    const channelId = opts.channelId ?? this.defaultChannel;
    const triggerId = this.fake.issueTriggerId(userId);
    const responseUrl = this.fake.issueResponseUrl({ userId, channelId, source: 'slash_command' });
    const command = opts.command ?? this.defaultCommand;
    const payload = commandPayload(this.fake.workspace, {
      userId,
      command,
      text,
      channelId,
      responseUrl,
      triggerId,
    });
    const ack = await this.fake.sendEnvelope('slash_commands', payload);
    const reply = recordCommandReply(this.fake.workspace, { userId, channel: channelId }, ack);
    return { ack, ...(reply ? { reply } : {}), responseUrl, triggerId, channelId };
  }

  /** The files shared in a thread of the default channel (or `channel`), oldest first, with their text. */
  threadFiles(threadTs: string, channel = this.defaultChannel) {
    return this.fake.threadFiles(channel, threadTs);
  }

  /** Posts to a response_url so far, accepted or not, oldest first. */
  responsesFor(target: string | { responseUrl: string }): ResponseUrlPost[] {
    const url = typeof target === 'string' ? target : target.responseUrl;
    return this.fake.responses.filter((r) => r.url === url);
  }

  /** Waits for the `count`-th accepted post (default the first) to a response_url. */
  waitForResponse(
    target: string | { responseUrl: string },
    opts: WaitOptions & { count?: number } = {},
  ): Promise<ResponseUrlPost> {
    const count = opts.count ?? 1;
    return this.fake.waitFor(() => this.responsesFor(target).filter((r) => r.accepted)[count - 1], opts);
  }

  /** Clicks a button that exists in a stored message or view; its value is used unless `value` overrides it. */
  async clickButton(userId: string, target: ButtonTarget): Promise<ClickResult> {
    const triggerId = this.fake.issueTriggerId(userId);
    const located =
      'viewId' in target
        ? viewSurface(this.fake, userId, target.viewId)
        : messageSurface(this.fake, userId, target.channelId, target.messageTs);
    const found = findActionElement(located.blocks, target.actionId);
    if (!found) throw new Error(`fake Slack: no element with action_id ${target.actionId} to click`);
    const { element } = found;
    const value = target.value ?? (typeof element.value === 'string' ? element.value : undefined);
    const action =
      element.type === 'static_select' || element.type === 'overflow'
        ? chosenOption(element, target.actionId, found.blockId, value, this.fake.workspace.nextTs())
        : {
            type: element.type,
            action_id: target.actionId,
            block_id: found.blockId,
            ...(element.text !== undefined ? { text: element.text } : {}),
            ...(value !== undefined ? { value } : {}),
            ...(element.style !== undefined ? { style: element.style } : {}),
            action_ts: this.fake.workspace.nextTs(),
          };
    const payload = blockActionsPayload(this.fake.workspace, {
      userId,
      triggerId,
      container: located.container,
      extra: located.extra,
      action,
    });
    const ack = await this.fake.sendEnvelope('interactive', payload);
    return { ack, triggerId, ...(located.responseUrl ? { responseUrl: located.responseUrl } : {}) };
  }

  /**
   * A block_actions envelope for any action_id on a message, whether or not the message shows that
   * button: what a forged click, a stale card or a Slack redelivery looks like on the socket.
   */
  async rawClick(
    userId: string,
    target: { actionId: string; messageTs: string; channelId?: string; value?: string },
  ): Promise<AckResult> {
    const channelId = target.channelId ?? this.defaultChannel;
    const surface = messageSurface(this.fake, userId, channelId, target.messageTs);
    const payload = blockActionsPayload(this.fake.workspace, {
      userId,
      triggerId: this.fake.issueTriggerId(userId),
      container: surface.container,
      extra: surface.extra,
      action: {
        type: 'button',
        action_id: target.actionId,
        block_id: 'b0',
        text: { type: 'plain_text', text: 'Run step' },
        value: target.value ?? 'anything',
        action_ts: this.fake.workspace.nextTs(),
      },
    });
    return await this.fake.sendEnvelope('interactive', payload);
  }

  /** Submits an open modal with the given input values and applies the ack's response_action. */
  async submitView(userId: string, viewId: string, values: StateValuesInput = {}): Promise<SubmitResult> {
    const stored = this.fake.view(viewId);
    if (!stored || stored.type !== 'modal' || !stored.open || stored.userId !== userId) {
      throw new Error(`fake Slack: ${userId} has no open modal ${viewId}`);
    }
    const view = {
      ...viewJson(stored, this.fake.workspace),
      state: { values: buildStateValues(stored.view.blocks, values) },
    };
    const triggerId = this.fake.issueTriggerId(userId);
    const ack = await this.fake.sendEnvelope(
      'interactive',
      viewSubmissionPayload(this.fake.workspace, { userId, triggerId, view }),
    );
    return { ack, outcome: applySubmissionAck(this.fake.workspace, stored, ack) };
  }

  /** The user closes a modal with Cancel: Slack sends `view_closed` when the view asked for it. */
  async closeModal(userId: string, viewId: string): Promise<AckResult> {
    const stored = this.fake.view(viewId);
    if (!stored?.open) throw new Error(`fake Slack: no open modal ${viewId}`);
    stored.open = false;
    const { teamId, appId } = this.fake.options;
    return await this.fake.sendEnvelope('interactive', {
      type: 'view_closed',
      team: { id: teamId, domain: 'fake' },
      user: userRef(this.fake.workspace, userId),
      api_app_id: appId,
      token: 'fake-verification-token',
      view: viewJson(stored, this.fake.workspace),
      is_cleared: false,
      is_enterprise_install: false,
      enterprise: null,
    });
  }

  /** The user opens the app's Home tab: `app_home_opened`, with the published view if there is one. */
  openHome(userId: string, opts: { tab?: 'home' | 'messages' } = {}): Promise<EventDelivery> {
    const { workspace } = this.fake;
    const home = workspace.homeView(userId);
    return this.fake.sendEvent({
      type: 'app_home_opened',
      user: userId,
      channel: workspace.dmChannelFor(userId),
      tab: opts.tab ?? 'home',
      event_ts: workspace.nextTs(),
      ...(home ? { view: viewJson(home, workspace) } : {}),
    });
  }

  postMessage(userId: string, channelId: string, text: string): Promise<PostResult> {
    return this.post(userId, channelId, text);
  }

  postInThread(userId: string, channelId: string, threadTs: string, text: string): Promise<PostResult> {
    const parent = this.fake.message(channelId, threadTs);
    if (!parent) throw new Error(`fake Slack: no message ${threadTs} in ${channelId} to reply to`);
    return this.post(userId, channelId, text, parent.threadTs ?? parent.ts);
  }

  /** Stores the user's message, then delivers `message` and (on a bot mention) `app_mention` together. */
  private async post(
    userId: string,
    channelId: string,
    text: string,
    threadTs?: string,
  ): Promise<PostResult> {
    const { workspace } = this.fake;
    if (!workspace.resolveChannel(channelId)) throw new Error(`fake Slack: unknown channel ${channelId}`);
    const ts = workspace.nextTs();
    workspace.messages.push({
      channel: channelId,
      ts,
      user: userId,
      text,
      ...(threadTs ? { threadTs } : {}),
      edits: 0,
      deleted: false,
      reactions: [],
    });
    const parentUserId =
      threadTs !== undefined ? workspace.findMessage(channelId, threadTs)?.user : undefined;
    const message = userMessageEvent(workspace, {
      userId,
      channelId,
      text,
      ts,
      ...(threadTs ? { threadTs, parentUserId } : {}),
    });
    const sends = [this.fake.sendEvent(message)];
    if (text.includes(`<@${workspace.options.botUserId}>`)) {
      const { channel_type: _channelType, team: _team, parent_user_id: _parent, ...rest } = message;
      sends.push(this.fake.sendEvent({ ...rest, type: 'app_mention' }));
    }
    return { ts, deliveries: await Promise.all(sends) };
  }

  /** Slack's redelivery: the same event_callback (same event_id) in a new envelope with retry fields. */
  async redeliver(
    delivery: EventDelivery,
    opts: { retryAttempt?: number; retryReason?: string } = {},
  ): Promise<EventDelivery> {
    const ack = await this.fake.sendEnvelope('events_api', delivery.payload, {
      retryAttempt: opts.retryAttempt ?? 1,
      retryReason: opts.retryReason ?? 'timeout',
    });
    return { ...delivery, ack };
  }
}

/**
 * What Slack sends when a user picks an option of a static_select or an overflow menu: the
 * option as the app defined it in `selected_option` (no `value` at the top), and the select's
 * placeholder. Picking a value the menu does not offer is impossible in Slack, so it is an error.
 */
function chosenOption(
  element: Record<string, unknown>,
  actionId: string,
  blockId: string,
  value: string | undefined,
  actionTs: string,
): Record<string, unknown> {
  const options = Array.isArray(element.options) ? (element.options as unknown[]) : [];
  const picked = options.find(
    (o): o is Record<string, unknown> =>
      typeof o === 'object' && o !== null && 'value' in o && o.value === value,
  );
  if (value === undefined || picked === undefined)
    throw new Error(`fake Slack: ${actionId} offers no option with value ${String(value)}`);
  return {
    type: element.type,
    action_id: actionId,
    block_id: blockId,
    selected_option: picked,
    ...(element.type === 'static_select' && element.placeholder !== undefined
      ? { placeholder: element.placeholder }
      : {}),
    action_ts: actionTs,
  };
}
