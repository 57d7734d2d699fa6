import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '@auth0-oncall/fakes/slack';
import { createEventBus } from '../../../src/core/events/bus.js';
import { createDependencyPolicy } from '../../../src/resilience/index.js';
import { createOutboxChat } from '../../../src/slack/outbox-chat.js';
import { quietLogger } from '../fakes/quiet-logger.js';

let fake: FakeSlack;
beforeEach(async () => {
  fake = await FakeSlack.start();
});
afterEach(async () => {
  await fake.stop();
});

const chat = () =>
  createOutboxChat(
    new webApi.WebClient(fake.options.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: quietLogger(),
    }),
    createDependencyPolicy({
      dependency: 'slack',
      events: createEventBus(),
      timeoutMs: 5_000,
      retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2 },
      breaker: { consecutiveFailures: 50, halfOpenAfterMs: 1_000, maxHalfOpenAfterMs: 1_000 },
    }),
  );

const CHANNEL = 'C0ALERTS';
const since = () => new Date().toISOString();

describe('the outbox over the Slack Web API', () => {
  it('finds a channel post whose answer was lost by its key (conversations.history), and no other', async () => {
    const c = chat();
    const at = since();
    fake.failNext('chat.postMessage', 'internal_error', { httpStatus: 500, afterEffect: true });
    const entry = {
      key: 'rotation:Zx81billing:started:t1',
      channel: CHANNEL,
      message: { text: 'Rotating…' },
    };
    expect(await c.post(entry)).toMatchObject({ ok: false, permanent: false });
    expect(fake.channelMessages(CHANNEL)).toHaveLength(1);
    expect(await c.findPosted(entry, at)).toBe(fake.channelMessages(CHANNEL)[0]?.ts);
    expect(await c.findPosted({ ...entry, key: 'rotation:Zx81billing:started:t2' }, at)).toBeUndefined();
  });

  it('finds a thread reply by its key (conversations.replies)', async () => {
    const c = chat();
    const at = since();
    const card = await c.post({ key: 'card', channel: CHANNEL, message: { text: 'card' } });
    if (!card.ok) throw new Error('the card was not posted');
    const line = { key: 'step:x', channel: CHANNEL, threadTs: card.ts, message: { text: 'done' } };
    expect(await c.findPosted(line, at)).toBeUndefined();
    const posted = await c.post(line);
    expect(posted.ok && (await c.findPosted(line, at)) === posted.ts).toBe(true);
  });

  it("says when Slack refuses for good, and passes on Slack's Retry-After", async () => {
    const c = chat();
    fake.failNext('chat.postMessage', 'channel_not_found');
    expect(await c.post({ key: 'k', channel: CHANNEL, message: { text: 'x' } })).toMatchObject({
      ok: false,
      permanent: true,
    });
    fake.failNext('chat.postMessage', 'ratelimited', { httpStatus: 429, retryAfterSec: 30 });
    expect(await c.post({ key: 'k', channel: CHANNEL, message: { text: 'x' } })).toMatchObject({
      ok: false,
      permanent: false,
      retryAfterMs: 30_000,
    });
  });
});
