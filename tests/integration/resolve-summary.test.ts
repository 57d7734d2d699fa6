import { describe, expect, it } from 'vitest';
import { ManualClock } from '@auth0-oncall/fakes/auth0';
import { checkBlockKitLimits, FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { CountingActions } from '../unit/core/steps/counting-catalog.js';
import { capturingLogger, fakeEnv, startSlackAndAuth0, testScope } from '../helpers/world.js';
import { actionStep, bootStepApp, CHANNEL, openIncident, rawClick, type StepApp } from './steps-world.js';

/**
 * The summary an incident's thread gets when it ends, through the real Bolt app against the fake
 * Slack: after a Resolve click and after an automatic resolution, exactly once, even when Slack
 * failed the post and the app was restarted before it could retry.
 */

const scope = testScope('resolve-summary');

const settle = async (s: StepApp) => {
  await s.runner.idle();
  await s.app.incidents.service.serialize(() => Promise.resolve());
};

const stepWorld = async () => {
  const slack = await FakeSlack.start();
  scope.defer(() => slack.stop());
  const actions = new CountingActions();
  const dbPath = scope.dbPath();
  let skew = 0;
  const now = () => new Date(Date.now() + skew);
  const boot = async () => {
    const s = await bootStepApp(slack, dbPath, actions, { now });
    scope.defer(() => s.stop());
    return s;
  };
  const s = await boot();
  const incident = await openIncident(s, 'inc_summary1', [actionStep('verify'), actionStep('second')]);
  const driver = new SlackDriver(slack, { command: '/auth0' });
  const click = async (app: StepApp, user: string, actionId: string) => {
    await driver.clickButton(user, { actionId, channelId: CHANNEL, messageTs: incident.cardTs });
    await settle(app);
  };
  const summaries = () =>
    slack
      .threadReplies(CHANNEL, incident.cardTs)
      .filter((m) => m.ts !== incident.cardTs && (m.text ?? '').startsWith('Summary:'));
  const advance = (ms: number) => {
    skew += ms;
  };
  return { slack, s, boot, incident, click, summaries, advance, driver };
};

const textOf = (m: { text?: string; blocks?: unknown[] }) => JSON.stringify(m.blocks ?? []);

describe('the summary in the thread when an incident ends', () => {
  it('posts one summary after a Resolve click: acknowledgement, steps with results, durations', async () => {
    const w = await stepWorld();
    await w.click(w.s, 'U0VIEWER', `incident:ack:${w.incident.id}`);
    await w.click(w.s, 'U0OPERATOR', `step:${w.incident.id}:verify`);
    w.advance(5 * 60_000);
    await w.click(w.s, 'U0OPERATOR', `incident:resolve:${w.incident.id}`);
    const [summary, ...more] = await w.slack.waitFor(() => {
      const found = w.summaries();
      return found.length > 0 ? found : undefined;
    });
    expect(more).toEqual([]);
    const text = textOf(summary!);
    expect(text).toContain('*Acknowledged:* by <@U0VIEWER> <!date^');
    expect(text).toContain('*Resolved:* by <@U0OPERATOR>');
    expect(text).toContain('*Steps run:* 1 step, 1 succeeded, 0 failed');
    expect(text).toContain(':white_check_mark: Re-check verify by <@U0OPERATOR>');
    expect(text).toContain('applied to verify');
    expect(text).toMatch(
      /\*Duration:\* 5 min · \*Time to acknowledge:\* less than a minute · \*Time to resolve:\* 5 min/,
    );
    expect(text).toContain(`/auth0 postmortem ${w.incident.id}`);
    expect(checkBlockKitLimits(summary!.blocks ?? [], { surface: 'message' })).toEqual([]);
    // It comes after the "Resolved by" line, in the same thread.
    const replies = w.slack.threadReplies(CHANNEL, w.incident.cardTs).map((m) => m.text ?? '');
    expect(replies.findIndex((t) => t.startsWith('Summary:'))).toBeGreaterThan(
      replies.findIndex((t) => t.includes('Resolved by')),
    );

    // A second click (from a stale copy of the card) is a duplicate: no second summary.
    await rawClick(w.slack, 'U0ADMIN', {
      actionId: `incident:resolve:${w.incident.id}`,
      messageTs: w.incident.cardTs,
    });
    await w.slack.waitFor(() =>
      w.s.audit.latest(20).find((e) => e.action === 'incident.resolve' && e.outcome === 'duplicate'),
    );
    await settle(w.s);
    expect(w.summaries()).toHaveLength(1);

    // Home's "Last 7 days" lists it with how long it lasted.
    await w.driver.openHome('U0VIEWER');
    const home = await w.slack.waitFor(() => {
      const view = JSON.stringify(w.slack.homeView('U0VIEWER')?.view ?? {});
      return view.includes('(1 resolved)') ? view : undefined;
    });
    expect(home).toContain(`\`${w.incident.id}\` — lasted 5 min, resolved by <@U0OPERATOR>`);
  });

  it('posts no summary when a non-operator is refused the resolve', async () => {
    const w = await stepWorld();
    await w.click(w.s, 'U0VIEWER', `incident:resolve:${w.incident.id}`);
    await w.slack.waitFor(() =>
      w.slack.ephemeralsFor('U0VIEWER').find((e) => e.text?.includes('Only operators')),
    );
    expect(w.summaries()).toEqual([]);
  });

  it('posts the summary exactly once when Slack failed it and the app restarted before retrying', async () => {
    const w = await stepWorld();
    // The resolved line and the summary behind it are both queued; the first post fails.
    w.slack.failNext('chat.postMessage', 'internal_error', { httpStatus: 500 });
    await w.click(w.s, 'U0OPERATOR', `incident:resolve:${w.incident.id}`);
    expect(w.s.incidents.get(w.incident.id)?.state).toBe('resolved');
    expect(w.summaries()).toEqual([]);
    await w.s.stop();

    const restarted = await w.boot();
    for (let i = 0; i < 3; i += 1) {
      w.advance(10 * 60_000);
      await restarted.app.scheduler.runNow('slack.outbox');
    }
    expect(w.summaries()).toHaveLength(1);
    expect(textOf(w.summaries()[0]!)).toContain('*Acknowledged:* never');
    expect(textOf(w.summaries()[0]!)).toContain('*Steps run:* none');
  });
});

describe('the summary after an automatic resolution', () => {
  it('says when the failures began, that it resolved itself, and how long it lasted', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T09:00:00.000Z'));
    const fakes = await startSlackAndAuth0(scope, {
      now: clock.now,
      rateLimits: {
        logs: { burst: 100_000, perMinute: 100_000 },
        management: { burst: 100_000, perMinute: 100_000 },
      },
    });
    const app = buildApp({
      config: loadConfig(fakeEnv(fakes, scope.dbPath())),
      logger: capturingLogger('warn').logger,
      version: 'test',
      overrides: { now: () => new Date(clock.now()), slackRetry: { retries: 0 } },
    });
    await app.slack.start();
    scope.defer(async () => {
      await app.slack.stop();
      app.db.close();
    });
    const signal = new AbortController().signal;
    const minute = async (ratio: number) => {
      clock.advance(60_000);
      fakes.auth0.traffic.failedLoginSpike({
        ratio,
        perMinute: 120,
        minutes: 1,
        connection: 'Username-Password-Authentication',
      });
      await app.watching.poller.poll(signal);
      await app.incidents.evaluate();
    };
    await app.watching.poller.poll(signal);
    for (let i = 0; i < 6; i += 1) await minute(0.8);
    const card = fakes.slack.channelMessages(CHANNEL).find((m) => m.threadTs === undefined)!;
    const openedAt = app.db.db.prepare<[], string>('SELECT opened_at FROM incidents').pluck().get()!;
    for (let i = 0; i < 25; i += 1) await minute(0.04);
    expect(app.db.db.prepare("SELECT state || ':' || resolution FROM incidents").pluck().get()).toBe(
      'resolved:auto',
    );
    const summaries = fakes.slack
      .threadReplies(CHANNEL, card.ts)
      .filter((m) => (m.text ?? '').startsWith('Summary:'));
    expect(summaries).toHaveLength(1);
    const text = textOf(summaries[0]!);
    expect(text).toContain('*Resolved:* automatically <!date^');
    expect(text).toContain('(first failure of the signal)');
    // The onset is the first failing minute of the spike, before the card opened.
    const onset = Number(/\*Onset:\* <!date\^(\d+)\^/.exec(text)?.[1]) * 1000;
    expect(onset).toBeLessThan(Date.parse(openedAt));
    expect(onset).toBeGreaterThanOrEqual(Date.parse('2026-03-02T09:00:00.000Z'));
  });
});
