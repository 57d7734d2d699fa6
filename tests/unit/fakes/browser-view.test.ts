import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserState, UiResult } from '@auth0-oncall/fakes/slack/browser/contract';
import { FakeSlack } from '@auth0-oncall/fakes/slack';
import { boltAppFor } from './quiet-logger.js';

const CHANNEL = 'C0ALERTS';
const button = (actionId: string, value: string) => ({
  type: 'button' as const,
  action_id: actionId,
  value,
  text: { type: 'plain_text' as const, text: actionId },
});

/** A small Bolt app: `/oncall post` posts a card; its button replies in the thread and tells the clicker. */
function buildApp(fake: FakeSlack, clicks: string[]): App {
  const app = boltAppFor(fake);
  app.command('/oncall', async ({ ack, command, client }) => {
    await ack();
    if (command.text === 'post') {
      await client.chat.postMessage({
        channel: CHANNEL,
        text: 'Card',
        blocks: [{ type: 'actions', elements: [button('go', 'v1')] }],
      });
    }
    if (command.text === 'modal') {
      await client.views.open({
        trigger_id: command.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'why',
          title: { type: 'plain_text', text: 'Why' },
          submit: { type: 'plain_text', text: 'Send' },
          blocks: [
            {
              type: 'input',
              block_id: 'reason',
              label: { type: 'plain_text', text: 'Reason' },
              element: { type: 'plain_text_input', action_id: 'text' },
            },
          ],
        },
      });
    }
  });
  app.action<BlockAction<ButtonAction>>('go', async ({ ack, body, action, client }) => {
    await ack();
    clicks.push(`${body.user.id}:${action.value ?? ''}`);
    const ts = body.message?.ts;
    if (ts === undefined) return;
    await client.chat.postMessage({ channel: CHANNEL, thread_ts: ts, text: `clicked by <@${body.user.id}>` });
    await client.chat.postEphemeral({ channel: CHANNEL, user: body.user.id, text: 'only you see this' });
  });
  app.view('why', async ({ ack, view }) => {
    const reason = view.state.values.reason?.text?.value ?? '';
    await (reason === '' ? ack({ response_action: 'errors', errors: { reason: 'Say why' } }) : ack());
  });
  return app;
}

let fake: FakeSlack;
let app: App;
let clicks: string[];
let ranScenarios: string[];

beforeEach(async () => {
  fake = await FakeSlack.start();
  clicks = [];
  ranScenarios = [];
  fake.enableBrowserView({
    command: '/oncall',
    botName: 'oncall-bot',
    users: [
      { id: 'U0OPERATOR', role: 'operator' },
      { id: 'U0VIEWER', role: 'not an operator' },
    ],
    scenarios: {
      list: () => [
        { name: 'spike', title: 'Spike', explanation: 'logins fail' },
        { name: 'broken', title: 'Broken', explanation: 'throws' },
      ],
      run: (name) => {
        if (name === 'broken') return Promise.reject(new Error('the tenant said no'));
        ranScenarios.push(name);
        return Promise.resolve(`ran ${name}`);
      },
      notes: () => ['Tenant: up'],
    },
  });
  app = buildApp(fake, clicks);
  await app.start();
});

afterEach(async () => {
  await app.stop();
  await fake.stop();
});

const post = async (path: string, body: unknown, type = 'application/json') => {
  const res = await fetch(`${fake.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': type },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as UiResult };
};

const state = async (user: string): Promise<BrowserState> =>
  (await (await fetch(`${fake.baseUrl}/ui/state?user=${user}`)).json()) as BrowserState;

const postCard = async () => {
  expect((await post('/ui/command', { user: 'U0OPERATOR', text: 'post' })).body).toEqual({ ok: true });
  return fake.waitFor(() => fake.channelMessages(CHANNEL)[0]);
};

describe('the fake Slack browser view', () => {
  it('serves the page with a strict content security policy and the page modules compiled to JS', async () => {
    const page = await fetch(`${fake.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('/ui/app.js');
    const script = await fetch(`${fake.baseUrl}/ui/mrkdwn.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    const code = await script.text();
    expect(code).toContain('export');
    expect(code).not.toMatch(/:\s*string\)/);
    expect((await fetch(`${fake.baseUrl}/ui/nothing-here.js`)).status).not.toBe(200);
  });

  it('sends a real slash command and a real block_actions click, and shows the results per user', async () => {
    const card = await postCard();
    const clicked = await post('/ui/click', {
      user: 'U0VIEWER',
      actionId: 'go',
      channel: CHANNEL,
      ts: card.ts,
    });
    expect(clicked.body).toEqual({ ok: true });
    expect(clicks).toEqual(['U0VIEWER:v1']);
    const envelope = fake.envelopes.find((e) => e.type === 'interactive');
    expect(envelope?.payload).toMatchObject({ type: 'block_actions', user: { id: 'U0VIEWER' } });

    await fake.waitFor(() => fake.ephemeralsFor('U0VIEWER')[0]);
    const viewer = await state('U0VIEWER');
    expect(viewer.currentUser).toBe('U0VIEWER');
    expect(viewer.channel.messages).toHaveLength(1);
    expect(viewer.channel.messages[0]).toMatchObject({ isBot: true, text: 'Card' });
    expect(viewer.channel.messages[0]?.replies.map((r) => r.text)).toEqual(['clicked by <@U0VIEWER>']);
    expect(viewer.ephemerals.map((e) => e.text)).toEqual(['only you see this']);
    expect(viewer.scenarios.map((s) => s.name)).toEqual(['spike', 'broken']);
    expect(viewer.notes).toEqual(['Tenant: up']);
    expect(viewer.appConnected).toBe(true);

    // The other user sees the channel but not the viewer's ephemeral.
    const operator = await state('U0OPERATOR');
    expect(operator.channel.messages).toHaveLength(1);
    expect(operator.ephemerals).toEqual([]);
    // An unknown user falls back to the first one in the switcher.
    expect((await state('U0NOBODY')).currentUser).toBe('U0OPERATOR');
  });

  it('refuses bad requests with a precise 400 and changes nothing', async () => {
    const card = await postCard();
    const before = { envelopes: fake.envelopes.length, messages: fake.channelMessages(CHANNEL).length };
    const cases: Array<[string, unknown, RegExp, string?]> = [
      ['/ui/click', '{not json', /not valid JSON/],
      ['/ui/click', '[1,2]', /JSON object/],
      ['/ui/click', { user: 'U0OPERATOR', actionId: 'go' }, /send JSON/, 'application/x-www-form-urlencoded'],
      ['/ui/click', { user: 'U0OPERATOR' }, /actionId must be a non-empty string/],
      ['/ui/click', { user: 'U0NOBODY', actionId: 'go', channel: CHANNEL, ts: card.ts }, /unknown user/],
      ['/ui/click', { user: 'U0OPERATOR', actionId: 'go' }, /viewId, or a channel and ts/],
      [
        '/ui/click',
        { user: 'U0OPERATOR', actionId: 'nope', channel: CHANNEL, ts: card.ts },
        /no element with action_id nope/,
      ],
      [
        '/ui/click',
        { user: 'U0OPERATOR', actionId: 'go', channel: CHANNEL, ts: '1.000001' },
        /sees no message/,
      ],
      [
        '/ui/click',
        { user: 'U0OPERATOR', actionId: 'go', value: 7, channel: CHANNEL, ts: card.ts },
        /value must be a string/,
      ],
      ['/ui/command', { user: 'U0OPERATOR', text: 3 }, /text must be/],
      ['/ui/submit', { user: 'U0OPERATOR', viewId: 'V1', values: { a: { b: 1 } } }, /values\.a\.b must be/],
      ['/ui/submit', { user: 'U0OPERATOR', viewId: 'V404', values: {} }, /no open modal V404/],
      ['/ui/close', { user: 'U0OPERATOR', viewId: 'V404' }, /no open modal V404/],
      ['/ui/reply', { user: 'U0OPERATOR', text: '   ' }, /text must be a non-empty string/],
      ['/ui/frobnicate', { user: 'U0OPERATOR' }, /unknown route/],
      ['/ui/scenarios/nope', {}, /unknown scenario "nope"/],
    ];
    for (const [path, body, error, type] of cases) {
      const res = await post(path, body, type);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.ok).toBe(false);
      if (!res.body.ok) expect(res.body.error).toMatch(error);
    }
    const huge = await post('/ui/reply', { user: 'U0OPERATOR', text: 'x'.repeat(70_000) });
    expect(huge.status).toBe(400);
    expect(huge.body).toEqual({ ok: false, error: 'body over 65536 bytes' });
    expect({ envelopes: fake.envelopes.length, messages: fake.channelMessages(CHANNEL).length }).toEqual(
      before,
    );
    expect(clicks).toEqual([]);
  });

  it('opens, validates, submits and closes modals through the app', async () => {
    await post('/ui/command', { user: 'U0OPERATOR', text: 'modal' });
    const modal = await fake.waitFor(() => fake.openModals('U0OPERATOR')[0]);
    expect((await state('U0OPERATOR')).modals.map((m) => m.id)).toEqual([modal.id]);
    expect((await state('U0VIEWER')).modals).toEqual([]);

    const empty = await post('/ui/submit', { user: 'U0OPERATOR', viewId: modal.id, values: {} });
    expect(empty.body).toEqual({ ok: true, errors: { reason: 'Say why' } });
    expect(fake.view(modal.id)?.open).toBe(true);
    // Another user cannot submit someone else's modal.
    const foreign = await post('/ui/submit', { user: 'U0VIEWER', viewId: modal.id, values: {} });
    expect(foreign.status).toBe(400);

    const sent = await post('/ui/submit', {
      user: 'U0OPERATOR',
      viewId: modal.id,
      values: { reason: { text: 'because' } },
    });
    expect(sent.body).toEqual({ ok: true });
    expect(fake.view(modal.id)?.open).toBe(false);

    await post('/ui/command', { user: 'U0OPERATOR', text: 'modal' });
    const second = await fake.waitFor(() => fake.openModals('U0OPERATOR')[0]);
    expect((await post('/ui/close', { user: 'U0OPERATOR', viewId: second.id })).body).toEqual({ ok: true });
    expect(fake.openModals('U0OPERATOR')).toEqual([]);
  });

  it('posts user messages and thread replies, runs scenarios and reports their failures', async () => {
    const card = await postCard();
    expect(
      (await post('/ui/reply', { user: 'U0OPERATOR', text: 'looking', threadTs: card.ts })).body,
    ).toEqual({
      ok: true,
    });
    expect(fake.threadReplies(CHANNEL, card.ts).map((m) => m.text)).toEqual(['looking']);
    // A typed @name of the bot becomes a real mention, delivered as app_mention; unknown names stay text.
    await post('/ui/reply', { user: 'U0OPERATOR', text: '@oncall-bot and @nobody, look', threadTs: card.ts });
    expect(fake.threadReplies(CHANNEL, card.ts).at(-1)?.text).toBe('<@UBOT> and @nobody, look');
    await fake.waitFor(() =>
      fake.envelopes.find((e) => JSON.stringify(e.payload).includes('"type":"app_mention"')),
    );
    expect((await post('/ui/reply', { user: 'U0VIEWER', text: 'hello' })).body).toEqual({ ok: true });
    expect(fake.channelMessages(CHANNEL).map((m) => m.text)).toEqual(['Card', 'hello']);

    expect((await post('/ui/scenarios/spike', {})).body).toEqual({ ok: true, message: 'ran spike' });
    expect(ranScenarios).toEqual(['spike']);
    const broken = await post('/ui/scenarios/broken', {});
    expect(broken).toEqual({ status: 400, body: { ok: false, error: 'the tenant said no' } });
  });

  it('announces changes to open pages over Server-Sent Events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${fake.baseUrl}/ui/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const versions = async (atLeast: number): Promise<number[]> => {
      for (;;) {
        const found = [...received.matchAll(/event: change\ndata: \{"version":(\d+)\}/g)].map((m) =>
          Number(m[1]),
        );
        if (found.length >= atLeast) return found;
        const { value, done } = await reader.read();
        if (done) return found;
        received += decoder.decode(value);
      }
    };
    const [initial] = await versions(1);
    await postCard();
    const after = await versions(2);
    expect(after.at(-1)).toBeGreaterThan(initial!);
    controller.abort();
  });
});
