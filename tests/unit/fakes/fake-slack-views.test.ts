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

describe('FakeSlack views', () => {
  const modal = {
    type: 'modal' as const,
    title: { type: 'plain_text' as const, text: 'Runbook' },
    blocks: [],
  };

  it('publishes one Home view per user and guards it with hash', async () => {
    const first = await client.views.publish({
      user_id: 'U0OPERATOR',
      view: { type: 'home', blocks: [longSection(3)] },
    });
    const second = await client.views.publish({
      user_id: 'U0OPERATOR',
      hash: first.view!.hash!,
      view: { type: 'home', blocks: [] },
    });
    expect(second.view?.id).toBe(first.view?.id);
    expect(
      await failure(
        client.views.publish({
          user_id: 'U0OPERATOR',
          hash: first.view!.hash!,
          view: { type: 'home', blocks: [] },
        }),
      ),
    ).toBe('hash_conflict');
    expect(fake.homeView('U0OPERATOR')?.view.blocks).toEqual([]);
  });

  it('refuses a Home view past 250 kB with view_too_large', async () => {
    const blocks = Array.from({ length: 90 }, () => longSection(2900));
    expect(
      await failure(client.views.publish({ user_id: 'U0OPERATOR', view: { type: 'home', blocks } })),
    ).toBe('view_too_large');
  });

  it('opens a modal once per trigger_id and not after it expires', async () => {
    let now = 1_700_000_000_000;
    const timed = await FakeSlack.start({ now: () => now });
    const other = new WebClient(timed.options.botToken, {
      slackApiUrl: timed.apiUrl,
      retryConfig: { retries: 0 },
      logger: quietLogger(),
    });
    try {
      const trigger = timed.issueTriggerId('U0OPERATOR');
      const opened = await other.views.open({ trigger_id: trigger, view: modal });
      expect(timed.openModals('U0OPERATOR').map((v) => v.id)).toEqual([opened.view?.id]);
      expect(await failure(other.views.open({ trigger_id: trigger, view: modal }))).toBe('invalid_arguments');
      const late = timed.issueTriggerId('U0OPERATOR');
      now += 3001;
      expect(await failure(other.views.open({ trigger_id: late, view: modal }))).toBe('invalid_arguments');
      expect(timed.callsTo('views.open')[2]?.response).toEqual({
        ok: false,
        error: 'invalid_arguments',
        response_metadata: { messages: ['invalid `trigger_id`'] },
      });
    } finally {
      await timed.stop();
    }
  });

  it('rejects a modal title over 24 characters', async () => {
    const view = { ...modal, title: { type: 'plain_text' as const, text: 'An overly long modal title' } };
    expect(await failure(client.views.open({ trigger_id: fake.issueTriggerId('U0OPERATOR'), view }))).toBe(
      'invalid_blocks',
    );
    expect(fake.limitViolations).toEqual(['views.open: view.title.text: 26 > 24']);
  });
});

describe('FakeSlack response_url', () => {
  it('records JSON posts, applies replace_original and allows five uses', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0ALERTS', text: 'pending' });
    const url = fake.issueResponseUrl({
      userId: 'U0OPERATOR',
      channelId: 'C0ALERTS',
      messageTs: posted.ts!,
      source: 'block_actions',
    });
    const post = (body: object) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ text: 'approved', replace_original: true })).status).toBe(200);
    expect(fake.message('C0ALERTS', posted.ts!)?.text).toBe('approved');
    for (let i = 0; i < 4; i += 1) expect((await post({ text: `note ${i}` })).status).toBe(200);
    expect((await post({ text: 'sixth' })).status).toBe(404);
    expect(fake.responses.map((r) => r.accepted)).toEqual([true, true, true, true, true, false]);
    expect(fake.responses[0]?.body).toEqual({ text: 'approved', replace_original: true });
  });

  it('refuses response_url posts whose blocks break limits', async () => {
    const url = fake.issueResponseUrl({
      userId: 'U0OPERATOR',
      channelId: 'C0ALERTS',
      source: 'slash_command',
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        text: 'x',
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
      }),
    });
    expect(response.status).toBe(400);
    expect(fake.limitViolations).toEqual(['response_url: blocks[0].text.text: 151 > 150']);
  });
});
