import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';
import { boltAppFor } from './quiet-logger.js';

interface Seen {
  clicks: Array<{ value: string | undefined; container: unknown; hasResponseUrl: boolean }>;
  mentions: Array<{ eventId: string; retryNum: number | undefined }>;
  messagesFrom: string[];
  closed: string[];
}

const section = (text: string) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text } });
const ackButton = {
  type: 'button' as const,
  action_id: 'ack',
  value: 'inc-1',
  text: { type: 'plain_text' as const, text: 'Ack' },
};
const runbookModal = {
  type: 'modal' as const,
  callback_id: 'runbook',
  title: { type: 'plain_text' as const, text: 'Runbook' },
  submit: { type: 'plain_text' as const, text: 'Run' },
  blocks: [
    {
      type: 'input' as const,
      block_id: 'reason',
      label: { type: 'plain_text' as const, text: 'Why' },
      element: { type: 'plain_text_input' as const, action_id: 'text' },
    },
  ],
};

/** A small Bolt app wired the way the real one is: Socket Mode, every call aimed at the fake. */
function buildApp(fake: FakeSlack, seen: Seen): App {
  const app = boltAppFor(fake);
  app.command('/oncall', async ({ ack, command, respond, client }) => {
    if (command.text === 'runbook') {
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: runbookModal });
      return;
    }
    await ack({
      response_type: 'ephemeral',
      text: 'status',
      blocks: [section('All quiet'), { type: 'actions', elements: [ackButton] }],
    });
    await respond({ response_type: 'ephemeral', text: 'later' });
  });
  app.action<BlockAction<ButtonAction>>('ack', async ({ ack, body, action, respond }) => {
    await ack();
    // Clicks in views carry no response_url on the wire, whatever the type says.
    const hasResponseUrl = 'response_url' in body;
    seen.clicks.push({ value: action.value, container: body.container, hasResponseUrl });
    if (hasResponseUrl) await respond({ replace_original: true, text: `acked by ${body.user.id}` });
  });
  app.view('runbook', async ({ ack, view }) => {
    const reason = view.state.values.reason?.text?.value;
    await (reason ? ack() : ack({ response_action: 'errors', errors: { reason: 'Say why' } }));
  });
  app.view({ callback_id: 'runbook', type: 'view_closed' }, async ({ ack, view }) => {
    await ack();
    seen.closed.push(view.id);
  });
  app.event('app_home_opened', async ({ event, client }) => {
    await client.views.publish({
      user_id: event.user,
      view: { type: 'home', blocks: [section('Home'), { type: 'actions', elements: [ackButton] }] },
    });
  });
  app.event('app_mention', async ({ event, body, context, say }) => {
    seen.mentions.push({ eventId: body.event_id, retryNum: context.retryNum });
    if (context.retryNum === undefined) await say({ text: 'on it', thread_ts: event.thread_ts ?? event.ts });
  });
  app.message(({ message }) => {
    seen.messagesFrom.push('user' in message ? String(message.user) : 'none');
    return Promise.resolve();
  });
  return app;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

let fake: FakeSlack;
let app: App;
let driver: SlackDriver;
let seen: Seen;

beforeEach(async () => {
  fake = await FakeSlack.start();
  seen = { clicks: [], mentions: [], messagesFrom: [], closed: [] };
  app = buildApp(fake, seen);
  await app.start();
  driver = new SlackDriver(fake);
});

afterEach(async () => {
  await app.stop();
  await fake.stop();
});

describe('SlackDriver against a real Bolt app', () => {
  it('returns a command reply from the ack and records what arrives later at the response_url', async () => {
    const result = await driver.command('U0OPERATOR', 'status');
    expect(result.ack.acked).toBe(true);
    expect(result.reply).toMatchObject({ text: 'status', responseType: 'ephemeral' });
    expect(result.reply?.messageTs).toMatch(/^\d+\.\d{6}$/);
    const later = await driver.waitForResponse(result);
    expect(later.body).toEqual({ response_type: 'ephemeral', text: 'later' });
    expect(fake.limitViolations).toEqual([]);
  });

  it('clicks a button in the ephemeral reply and sees respond() replace it', async () => {
    const result = await driver.command('U0OPERATOR', 'status');
    const messageTs = result.reply!.messageTs!;
    const click = await driver.clickButton('U0OPERATOR', {
      actionId: 'ack',
      channelId: result.channelId,
      messageTs,
    });
    await driver.waitForResponse(click.responseUrl!);
    expect(seen.clicks).toEqual([
      {
        value: 'inc-1',
        container: { type: 'message', message_ts: messageTs, channel_id: 'C0ALERTS', is_ephemeral: true },
        hasResponseUrl: true,
      },
    ]);
    expect(fake.ephemeralsFor('U0OPERATOR').find((e) => e.messageTs === messageTs)?.text).toBe(
      'acked by U0OPERATOR',
    );
  });

  it('refuses to click a button the message does not have', async () => {
    const result = await driver.command('U0OPERATOR', 'status');
    await expect(
      driver.clickButton('U0OPERATOR', {
        actionId: 'nope',
        channelId: 'C0ALERTS',
        messageTs: result.reply!.messageTs!,
      }),
    ).rejects.toThrow(/no element with action_id nope/);
  });

  it('sends a raw click for an action_id the message does not show, as a stale card would', async () => {
    const plain = await app.client.chat.postMessage({ channel: 'C0ALERTS', text: 'no buttons here' });
    const ack = await driver.rawClick('U0OPERATOR', {
      actionId: 'ack',
      messageTs: plain.ts!,
      value: 'inc-9',
    });
    expect(ack.acked).toBe(true);
    expect(seen.clicks).toEqual([
      {
        value: 'inc-9',
        container: { type: 'message', message_ts: plain.ts, channel_id: 'C0ALERTS', is_ephemeral: false },
        hasResponseUrl: true,
      },
    ]);
    await expect(driver.rawClick('U0OPERATOR', { actionId: 'ack', messageTs: '1.000001' })).rejects.toThrow(
      /sees no message/,
    );
  });

  it('closes a modal with Cancel: the view is gone and the app hears view_closed', async () => {
    await driver.command('U0OPERATOR', 'runbook');
    const modal = await fake.waitFor(() => fake.openModals('U0OPERATOR')[0]);
    const ack = await driver.closeModal('U0OPERATOR', modal.id);
    expect(ack.acked).toBe(true);
    expect(fake.openModals('U0OPERATOR')).toEqual([]);
    expect(seen.closed).toEqual([modal.id]);
    await expect(driver.closeModal('U0OPERATOR', modal.id)).rejects.toThrow(/no open modal/);
  });

  it('opens a modal with the command trigger_id, keeps it open on errors and closes it on success', async () => {
    const result = await driver.command('U0OPERATOR', 'runbook');
    const modal = await fake.waitFor(() => fake.openModals('U0OPERATOR')[0]);
    expect(fake.callsTo('views.open')[0]?.args.trigger_id).toBe(result.triggerId);
    const empty = await driver.submitView('U0OPERATOR', modal.id);
    expect(empty.outcome).toEqual({ kind: 'errors', errors: { reason: 'Say why' } });
    const filled = await driver.submitView('U0OPERATOR', modal.id, { reason: { text: 'rotate the key' } });
    expect(filled.outcome).toEqual({ kind: 'closed' });
    expect(fake.openModals('U0OPERATOR')).toEqual([]);
  });

  it('publishes Home when the tab opens, and a Home click carries a view container', async () => {
    await driver.openHome('U0VIEWER');
    const home = await fake.waitFor(() => fake.homeView('U0VIEWER'));
    await driver.clickButton('U0VIEWER', { actionId: 'ack', viewId: home.id });
    expect(seen.clicks).toEqual([
      { value: 'inc-1', container: { type: 'view', view_id: home.id }, hasResponseUrl: false },
    ]);
  });

  it('delivers a mention in a thread as message and app_mention, ignores the bot echo and flags redelivery', async () => {
    const parent = await app.client.chat.postMessage({ channel: 'C0ALERTS', text: 'incident' });
    const posted = await driver.postInThread('U0VIEWER', 'C0ALERTS', parent.ts!, '<@UBOT> what happened?');
    expect(posted.deliveries.map((d) => d.event.type)).toEqual(['message', 'app_mention']);
    const answer = await fake.waitFor(() =>
      fake.threadReplies('C0ALERTS', parent.ts!).find((m) => m.user === 'UBOT'),
    );
    expect(answer.text).toBe('on it');
    const mention = posted.deliveries[1]!;
    const again = await driver.redeliver(mention);
    expect(again.ack.acked).toBe(true);
    await fake.waitFor(() => seen.mentions.length === 2);
    expect(seen.mentions).toEqual([
      { eventId: mention.eventId, retryNum: undefined },
      { eventId: mention.eventId, retryNum: 1 },
    ]);
    // Both bot posts were echoed and acked, yet ignoreSelf kept them from the app's message listener.
    const botEchoes = () =>
      fake.envelopes.filter((e) => isRecord(e.payload.event) && e.payload.event.user === 'UBOT' && e.ack);
    await fake.waitFor(() => botEchoes().length === 2);
    expect(seen.messagesFrom).toEqual(['U0VIEWER']);
  });
});
