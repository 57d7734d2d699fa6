import { WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '@auth0-oncall/fakes/slack';
import { quietLogger } from './quiet-logger.js';

let fake: FakeSlack;
let client: WebClient;

beforeEach(async () => {
  fake = await FakeSlack.start();
  client = new WebClient(fake.options.botToken, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: quietLogger(),
  });
});

afterEach(async () => {
  await fake.stop();
});

function errorCode(error: unknown): string | undefined {
  const data = (error as Partial<WebAPIPlatformError> | undefined)?.data;
  return data?.error;
}

async function failure(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
  } catch (error) {
    return errorCode(error);
  }
  throw new Error('expected the call to fail');
}

const longSection = (length: number) => ({
  type: 'section',
  text: { type: 'mrkdwn', text: 'x'.repeat(length) },
});

describe('FakeSlack Web API', () => {
  it('serves auth.test to the real WebClient with the bot identity Bolt needs', async () => {
    const reply = await client.auth.test();
    expect(reply).toMatchObject({ ok: true, user_id: 'UBOT', bot_id: 'B0BOT', team_id: 'T0TEAM' });
    expect(fake.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it('records form-encoded calls with JSON-string args decoded', async () => {
    const blocks = [longSection(10)];
    const reply = await client.chat.postMessage({
      channel: 'C0ALERTS',
      text: 'fallback',
      blocks,
      metadata: { event_type: 'x', event_payload: {} },
    });
    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.contentType).toBe('application/x-www-form-urlencoded');
    expect(call?.token).toBe('xoxb-test-bot-token');
    expect(call?.args).toMatchObject({
      channel: 'C0ALERTS',
      text: 'fallback',
      blocks,
      metadata: { event_type: 'x' },
    });
    expect(call?.response).toMatchObject({ ok: true, ts: reply.ts });
  });

  it('accepts JSON bodies as Slack does', async () => {
    const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer xoxb-test-bot-token',
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify({ channel: 'C0ALERTS', text: 'hi', blocks: [longSection(5)] }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C0ALERTS' });
    expect(fake.callsTo('chat.postMessage')[0]).toMatchObject({
      contentType: 'application/json',
      args: { blocks: [longSection(5)] },
    });
  });

  it('answers a missing token with not_authed and a wrong one with invalid_auth', async () => {
    const anonymous = new WebClient(undefined, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: quietLogger(),
    });
    const wrong = new WebClient('xoxb-wrong', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: quietLogger(),
    });
    expect(await failure(anonymous.auth.test())).toBe('not_authed');
    expect(await failure(wrong.auth.test())).toBe('invalid_auth');
    expect(await failure(client.apps.connections.open({}))).toBe('invalid_auth');
    expect(await failure(client.apiCall('admin.nothing'))).toBe('unknown_method');
  });

  it('gives unique increasing timestamps and keeps threads', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0ALERTS', text: 'incident' });
    const reply = await client.chat.postMessage({
      channel: 'C0ALERTS',
      text: 'update',
      thread_ts: parent.ts!,
    });
    expect(Number(reply.ts)).toBeGreaterThan(Number(parent.ts));
    expect(fake.threadReplies('C0ALERTS', parent.ts!).map((m) => m.text)).toEqual(['update']);
    expect(fake.channelMessages('C0ALERTS').map((m) => m.text)).toEqual(['incident']);
    expect(await failure(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).toBe(
      'channel_not_found',
    );
  });

  it('applies chat.update edits and refuses unknown messages', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0ALERTS', text: 'pending' });
    await client.chat.update({ channel: 'C0ALERTS', ts: posted.ts!, text: 'done' });
    expect(fake.message('C0ALERTS', posted.ts!)).toMatchObject({ text: 'done', edits: 1 });
    expect(await failure(client.chat.update({ channel: 'C0ALERTS', ts: '1.000001', text: 'x' }))).toBe(
      'message_not_found',
    );
  });

  it('delivers ephemerals to known users only', async () => {
    const reply = await client.chat.postEphemeral({
      channel: 'C0ALERTS',
      user: 'U0OPERATOR',
      text: 'only you',
    });
    expect(fake.ephemeralsFor('U0OPERATOR')).toMatchObject([
      { messageTs: reply.message_ts, text: 'only you' },
    ]);
    expect(
      await failure(client.chat.postEphemeral({ channel: 'C0ALERTS', user: 'U0GHOST', text: 'x' })),
    ).toBe('user_not_in_channel');
  });

  it('pages conversations.replies with a cursor, parent first', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0ALERTS', text: 'p' });
    for (const text of ['r1', 'r2', 'r3'])
      await client.chat.postMessage({ channel: 'C0ALERTS', text, thread_ts: parent.ts! });
    const first = await client.conversations.replies({ channel: 'C0ALERTS', ts: parent.ts!, limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['p', 'r1']);
    expect(first.has_more).toBe(true);
    const next = await client.conversations.replies({
      channel: 'C0ALERTS',
      ts: parent.ts!,
      limit: 2,
      cursor: first.response_metadata!.next_cursor!,
    });
    expect(next.messages?.map((m) => m.text)).toEqual(['r2', 'r3']);
    expect(next).toMatchObject({ has_more: false, response_metadata: { next_cursor: '' } });
  });

  it('answers users.info, usergroups.users.list and reactions.add with their errors', async () => {
    const fakeWithGroups = await FakeSlack.start({
      users: [{ id: 'U1', name: 'ana', tz: 'Europe/Paris', isAdmin: true }],
      usergroups: { S1: ['U1'] },
    });
    const other = new WebClient(fakeWithGroups.options.botToken, {
      slackApiUrl: fakeWithGroups.apiUrl,
      retryConfig: { retries: 0 },
      logger: quietLogger(),
    });
    try {
      expect((await other.users.info({ user: 'U1' })).user).toMatchObject({
        id: 'U1',
        tz: 'Europe/Paris',
        is_admin: true,
        profile: { real_name: 'ana' },
      });
      expect(await failure(other.users.info({ user: 'U2' }))).toBe('user_not_found');
      expect((await other.usergroups.users.list({ usergroup: 'S1' })).users).toEqual(['U1']);
      expect(await failure(other.usergroups.users.list({ usergroup: 'S9' }))).toBe('no_such_subteam');
      const posted = await other.chat.postMessage({ channel: 'C0ALERTS', text: 'x' });
      await other.reactions.add({ channel: 'C0ALERTS', timestamp: posted.ts!, name: 'eyes' });
      expect(
        await failure(other.reactions.add({ channel: 'C0ALERTS', timestamp: posted.ts!, name: 'eyes' })),
      ).toBe('already_reacted');
    } finally {
      await fakeWithGroups.stop();
    }
  });

  it('rejects a message listing 200 IPs as fields, naming the path', async () => {
    const fields = Array.from({ length: 200 }, (_, i) => ({ type: 'mrkdwn' as const, text: `192.0.2.${i}` }));
    expect(
      await failure(
        client.chat.postMessage({ channel: 'C0ALERTS', text: 'ips', blocks: [{ type: 'section', fields }] }),
      ),
    ).toBe('invalid_blocks');
    expect(fake.limitViolations).toEqual(['chat.postMessage: blocks[0].fields: 200 > 10']);
    expect(fake.channelMessages('C0ALERTS')).toEqual([]);
  });

  it('passes a message exactly at the limits and rejects one character more on update', async () => {
    const blocks = Array.from({ length: 50 }, () => longSection(3000));
    const posted = await client.chat.postMessage({ channel: 'C0ALERTS', text: 'edge', blocks });
    const tooLong = [longSection(1), longSection(1), longSection(1), longSection(3012)];
    expect(
      await failure(client.chat.update({ channel: 'C0ALERTS', ts: posted.ts!, text: 'x', blocks: tooLong })),
    ).toBe('invalid_blocks');
    expect(fake.limitViolations).toEqual(['chat.update: blocks[3].text.text: 3012 > 3000']);
  });

  it('posts to a user id as a DM channel', async () => {
    const reply = await client.chat.postMessage({ channel: 'U0OPERATOR', text: 'page' });
    expect(reply.channel).toBe('D0OPERATOR');
    expect(fake.channelMessages('D0OPERATOR').map((m) => m.text)).toEqual(['page']);
  });

  it('can fail a call at the HTTP level so the SDK raises its HTTP error', async () => {
    fake.failNext('users.info', 'internal_error', { httpStatus: 503 });
    await expect(client.users.info({ user: 'U0OPERATOR' })).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 503,
    });
  });

  it('injects one failure per failNext and then behaves again', async () => {
    fake.failNext('chat.postMessage', 'ratelimited');
    expect(await failure(client.chat.postMessage({ channel: 'C0ALERTS', text: 'x' }))).toBe('ratelimited');
    await expect(client.chat.postMessage({ channel: 'C0ALERTS', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
  });
});
