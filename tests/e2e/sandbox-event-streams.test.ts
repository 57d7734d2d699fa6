/**
 * The sandbox's Event Streams scenarios, without a browser: the built app against the fakes, the
 * webhook fed by the "event-streams" scenario and the SQS queue by "signup-burst-eventbridge".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@auth0-oncall/fakes/slack';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';

const CHANNEL = 'C0ALERTS';

describe('the sandbox Event Streams scenarios', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 11 });
  }, 90_000);

  afterAll(async () => {
    await sandbox.stop();
  }, 30_000);

  const cardWith = (text: string) =>
    waitFor(() => sandbox.slack.channelMessages(CHANNEL).find((m) => m.text?.includes(text)), {
      timeoutMs: 30_000,
    });

  it('turns webhook deliveries into mass-deletion and mass-blocking cards, counting a redelivery once', async () => {
    const said = await sandbox.runScenario('event-streams');
    expect(said).toBe('Delivered 77 events to the webhook (0 new of 10 redelivered).');
    await cardWith('40 users deleted in the last 10 minutes');
    await cardWith('37 users blocked in the last 10 minutes');
  }, 60_000);

  it('turns a sign-up burst on the EventBridge queue into a card', async () => {
    await sandbox.runScenario('signup-burst-eventbridge');
    await cardWith('80 sign-ups through Username-Password-Authentication in the last 10 minutes');
  }, 60_000);

  it('adds what Event Streams saw to the thread of a card opened from the logs', async () => {
    await sandbox.runScenario('failed-login-spike');
    const line = await waitFor(
      () =>
        sandbox.slack
          .callsTo('chat.postMessage')
          .find((c) => c.args.thread_ts !== undefined && String(c.args.text).includes('Auth0 Event Streams')),
      { timeoutMs: 30_000 },
    );
    expect(String(line.args.text)).toContain('37 users blocked, 40 users deleted, 80 users created');
  }, 60_000);
});
