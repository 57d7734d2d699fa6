import { describe, expect, it } from 'vitest';
import { createListenerTable } from '../../../src/slack/listener-table.js';
import { offlineBoltApp } from './offline-bolt-app.js';

/** A real Bolt App with the table installed; `heard` lists which handler got which payload. */
const setup = () => {
  const errors: unknown[] = [];
  const app = offlineBoltApp();
  app.error((error) => {
    errors.push(error);
    return Promise.resolve();
  });
  const table = createListenerTable();
  const heard: string[] = [];
  const { listeners } = table;
  listeners.action(/^step:/, async ({ ack, action }) => {
    heard.push(`step ${action.action_id}`);
    await ack();
  });
  listeners.action('home-refresh', async ({ ack }) => {
    await ack();
    heard.push('refresh');
  });
  listeners.action(/^step:inc_1:/, () => {
    heard.push('second step listener');
  });
  listeners.action('broken', () => Promise.reject(new Error('handler failed')));
  listeners.view('confirm', async ({ ack, view }) => {
    await ack();
    heard.push(`submitted ${view.callback_id}`);
  });
  listeners.view({ callback_id: 'confirm', type: 'view_closed' }, async ({ ack }) => {
    await ack();
    heard.push('closed confirm');
  });
  listeners.event('app_home_opened', ({ event }) => {
    heard.push(`home ${event.user}`);
  });
  listeners.event('app_mention', () => {
    heard.push('mention');
  });
  listeners.command('/auth0', async ({ ack, command }) => {
    await ack();
    heard.push(`command ${command.text}`);
  });
  table.install(app);
  const acks: unknown[] = [];
  const deliver = (body: Record<string, unknown>) =>
    app.processEvent({
      body,
      ack: (response?: unknown) => {
        acks.push(response ?? 'acked');
        return Promise.resolve();
      },
    });
  return { app, heard, errors, acks, deliver };
};

const click = (actionId: string) => ({
  type: 'block_actions',
  team: { id: 'T0TEAM' },
  user: { id: 'U0ALICE' },
  api_app_id: 'A0APP',
  token: 't',
  trigger_id: 'tr',
  container: { type: 'message', message_ts: '1.1', channel_id: 'C0' },
  channel: { id: 'C0', name: 'alerts' },
  actions: [
    {
      type: 'button',
      action_id: actionId,
      block_id: 'b0',
      action_ts: '1.2',
      text: { type: 'plain_text', text: 'x' },
    },
  ],
});

const view = (type: 'view_submission' | 'view_closed', callbackId: string) => ({
  type,
  team: { id: 'T0TEAM' },
  user: { id: 'U0ALICE' },
  api_app_id: 'A0APP',
  token: 't',
  view: { id: 'V1', callback_id: callbackId, private_metadata: '', state: { values: {} }, type: 'modal' },
});

const event = (type: string) => ({
  type: 'event_callback',
  team_id: 'T0TEAM',
  api_app_id: 'A0APP',
  event_id: `Ev${type}`,
  event_time: 1,
  event: { type, user: 'U0ALICE', channel: 'C0', text: 'hi', ts: '1.3', event_ts: '1.3', tab: 'home' },
});

describe('the listener table in Bolt', () => {
  it('finds block actions by action_id, string or pattern, and runs every handler that matches', async () => {
    const { heard, deliver, acks } = setup();
    await deliver(click('step:inc_1:verify'));
    await deliver(click('home-refresh'));
    await deliver(click('step:inc_2:verify'));
    expect(heard).toEqual([
      'step step:inc_1:verify',
      'second step listener',
      'refresh',
      'step step:inc_2:verify',
    ]);
    expect(acks).toHaveLength(3);
  });

  it('leaves an action nobody registered unanswered, as Bolt does without a listener', async () => {
    const { heard, deliver, acks, errors } = setup();
    await deliver(click('incident:inc_1:ack'));
    expect(heard).toEqual([]);
    expect(acks).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('tells a modal submission from its closing by type and callback_id', async () => {
    const { heard, deliver } = setup();
    await deliver(view('view_submission', 'confirm'));
    await deliver(view('view_closed', 'confirm'));
    await deliver(view('view_submission', 'other'));
    expect(heard).toEqual(['submitted confirm', 'closed confirm']);
  });

  it('finds events by type and commands by name', async () => {
    const { heard, deliver } = setup();
    await deliver(event('app_home_opened'));
    await deliver(event('app_mention'));
    await deliver(event('member_joined_channel'));
    await deliver({
      command: '/auth0',
      text: 'status',
      user_id: 'U0ALICE',
      channel_id: 'C0',
      team_id: 'T0TEAM',
      api_app_id: 'A0APP',
      token: 't',
      response_url: 'https://hooks.slack.test/r',
      trigger_id: 'tr',
    });
    expect(heard).toEqual(['home U0ALICE', 'mention', 'command status']);
  });

  it("hands a handler's failure to Bolt's error handler", async () => {
    const { deliver, errors } = setup();
    await deliver(click('broken')).catch(() => undefined);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('handler failed');
  });
});
