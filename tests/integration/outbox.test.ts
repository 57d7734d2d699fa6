import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';
import { CountingActions } from '../unit/core/steps/counting-catalog.js';
import { actionStep, bootStepApp, CHANNEL, openIncident, type StepApp } from './steps-world.js';

/**
 * The durable Slack outbox through the whole app: a step result that Slack did not take (a 500),
 * or whose answer was lost, or that a dying process never sent, appears in the thread exactly
 * once when Slack (or the app) is back.
 */

const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-outbox-'));
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const STEP = 'step:inc_outbox1:verify';

const world = async () => {
  const slack = await FakeSlack.start();
  cleanup.push(() => slack.stop());
  const actions = new CountingActions();
  const dbPath = join(dir, `outbox-${Math.random().toString(36).slice(2)}.db`);
  // The app's clock: moved forward past a retry's backoff instead of sleeping through it.
  let skew = 0;
  const now = () => new Date(Date.now() + skew);
  const boot = async () => {
    const s = await bootStepApp(slack, dbPath, actions, { now });
    cleanup.push(() => s.stop());
    return s;
  };
  const s = await boot();
  const incident = await openIncident(s, 'inc_outbox1', [actionStep('verify')]);
  const driver = new SlackDriver(slack, { command: '/auth0' });
  /** Result lines of the step in the card's thread, as Slack holds them. */
  const resultLines = () =>
    slack
      .threadReplies(CHANNEL, incident.cardTs)
      .filter((m) => m.ts !== incident.cardTs && (m.text ?? '').includes('applied to verify'));
  const posts = () => slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === incident.cardTs);
  const click = async () => {
    await driver.clickButton('U0OPERATOR', {
      actionId: STEP,
      channelId: CHANNEL,
      messageTs: incident.cardTs,
    });
    await settle(s);
  };
  /** Time passes beyond any backoff and the delivery job runs, as its timer would make it. */
  const deliveryRuns = async (app: StepApp, times = 1) => {
    for (let i = 0; i < times; i += 1) {
      skew += 10 * 60_000;
      await app.app.scheduler.runNow('slack.outbox');
    }
  };
  return { slack, actions, s, boot, incident, resultLines, posts, click, deliveryRuns };
};

const settle = async (s: StepApp) => {
  await s.runner.idle();
  await s.app.incidents.service.serialize(() => Promise.resolve());
};

describe('the Slack outbox', () => {
  it('posts a step result once Slack is back after the Web API answered 500 for it, exactly once', async () => {
    const w = await world();
    w.slack.failNext('chat.postMessage', 'internal_error', { httpStatus: 500 });
    await w.click();
    expect(w.actions.executions).toBe(1);
    expect(w.s.claims.get(STEP)?.state).toBe('succeeded');
    expect(w.posts().map((c) => c.httpStatus)).toEqual([500]);
    expect(w.resultLines()).toHaveLength(0);

    await w.deliveryRuns(w.s, 3);
    expect(w.resultLines()).toHaveLength(1);
    expect(w.actions.executions).toBe(1);
  });

  it('does not post a result twice when Slack took the post but its answer was lost', async () => {
    const w = await world();
    // Slack stores the message, then the answer is a 500: the app cannot know it went through.
    w.slack.failNext('chat.postMessage', 'internal_error', { httpStatus: 500, afterEffect: true });
    await w.click();
    expect(w.resultLines()).toHaveLength(1);

    await w.deliveryRuns(w.s, 3);
    // The retry found its key in the thread (conversations.replies) instead of posting again.
    expect(w.resultLines()).toHaveLength(1);
    expect(w.posts()).toHaveLength(1);
    expect(w.slack.callsTo('conversations.replies').length).toBeGreaterThan(0);
  });

  it('delivers a result once after the app died between recording it and posting it', async () => {
    const w = await world();
    // The post never reaches Slack, and the process is gone before any retry.
    w.slack.failNext('chat.postMessage', 'internal_error', { httpStatus: 500 });
    await w.click();
    expect(w.s.claims.get(STEP)?.state).toBe('succeeded');
    await w.s.stop();
    expect(w.resultLines()).toHaveLength(0);

    const restarted = await w.boot();
    await w.deliveryRuns(restarted, 3);
    expect(w.resultLines()).toHaveLength(1);
    expect(w.actions.runs).toBe(1);
    expect(w.actions.recoveries).toBe(0);
  });

  it('does not post a result twice after the app died while Slack was taking the post', async () => {
    const w = await world();
    w.slack.failNext('chat.postMessage', 'internal_error', { httpStatus: 500, afterEffect: true });
    await w.click();
    await w.s.stop();
    expect(w.resultLines()).toHaveLength(1);

    const restarted = await w.boot();
    await w.deliveryRuns(restarted, 3);
    expect(w.resultLines()).toHaveLength(1);
    expect(w.posts()).toHaveLength(1);
  });

  it('does not post a second card when Slack took the first but its answer was lost', async () => {
    const w = await world();
    const at = new Date().toISOString();
    w.s.incidents.open({
      id: 'inc_outbox2',
      signal: 'm2m_token_failures',
      scope: 'inc_outbox2',
      severity: 'high',
      title: 'Token failures inc_outbox2',
      at,
    });
    const cards = () => w.slack.channelMessages(CHANNEL).filter((m) => m.text?.includes('inc_outbox2'));
    w.slack.failNext('chat.postMessage', 'internal_error', {
      httpStatus: 500,
      afterEffect: true,
      match: (args) => args.thread_ts === undefined,
    });
    await w.s.app.incidents.service.repostMissingCards();
    expect(cards()).toHaveLength(1);
    expect(w.s.incidents.get('inc_outbox2')?.slackTs).toBeNull();

    // The next evaluation (here after a restart) re-posts missing cards: it finds this one instead.
    await w.s.stop();
    const restarted = await w.boot();
    await restarted.app.incidents.service.repostMissingCards();
    expect(cards()).toHaveLength(1);
    expect(restarted.incidents.get('inc_outbox2')?.slackTs).toBe(cards()[0]?.ts);
  });
});
