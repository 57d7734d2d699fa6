import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits } from '@auth0-oncall/fakes/slack';
import { blocksOf, CHANNEL, quietWorld, slackEpoch, snoozeActionOf, type QuietWorld } from './quiet-world.js';

/** A medium failed-login incident with its card posted; returns the card and its snooze menu. */
const mediumCard = async (w: QuietWorld) => {
  for (let i = 0; i < 6; i += 1) await w.step(w.spike(0.35));
  expect(w.cards()).toHaveLength(1);
  const card = w.cards()[0]!;
  expect(blocksOf(card)).toContain('Medium');
  return { card, actionId: snoozeActionOf(card) };
};

/** A static_select payload as Slack sends it, for an option the card may no longer offer (a stale card, a forgery). */
const staleSelect = (w: QuietWorld, user: string, card: { ts: string }, actionId: string, value: string) =>
  w.slack.sendEnvelope('interactive', {
    type: 'block_actions',
    user: { id: user, username: user, name: user, team_id: w.slack.options.teamId },
    api_app_id: w.slack.options.appId,
    token: 'fake-verification-token',
    container: { type: 'message', message_ts: card.ts, channel_id: CHANNEL, is_ephemeral: false },
    trigger_id: w.slack.issueTriggerId(user),
    team: { id: w.slack.options.teamId, domain: 'fake' },
    channel: { id: CHANNEL, name: 'alerts' },
    message: { ts: card.ts, type: 'message' },
    actions: [
      {
        type: 'static_select',
        action_id: actionId,
        block_id: 'b0',
        selected_option: { text: { type: 'plain_text', text: value }, value },
        action_ts: '1.2',
      },
    ],
  });

const pick = (w: QuietWorld, user: string, card: { ts: string }, actionId: string, value: string) =>
  w.driver.clickButton(user, { actionId, value, channelId: CHANNEL, messageTs: card.ts });

describe('snoozing a card through the real Bolt app', () => {
  it("snoozes until tomorrow 09:00 in the clicker's Slack time zone, pings nobody, and wakes when severity rises", async () => {
    const w = await quietWorld();
    const { card, actionId } = await mediumCard(w);
    const click = await pick(w, 'U0VIEWER', card, actionId, 'tomorrow');
    expect(click.ack.acked).toBe(true);
    // 09:06 UTC on 2 March is 04:06 in New York (U0VIEWER's users.info tz): tomorrow 09:00 EST.
    const until = '2026-03-03T14:00:00.000Z';
    await w.slack.waitFor(
      () => blocksOf(w.slack.message(CHANNEL, card.ts)).includes('Snoozed by <@U0VIEWER>') || undefined,
    );
    const snoozed = w.slack.message(CHANNEL, card.ts)!;
    expect(blocksOf(snoozed)).toContain(`until ${slackEpoch(until)}`);
    expect(blocksOf(snoozed)).toContain('"text":"Wake now"');
    expect(checkBlockKitLimits(snoozed.blocks, { surface: 'message' })).toEqual([]);
    expect(w.thread(card.ts).map((m) => m.text)).toEqual([
      expect.stringMatching(/^:zzz: Snoozed by <@U0VIEWER> until/),
    ]);

    // 40 minutes unacknowledged: reminders and the escalation are recorded, not posted.
    for (let i = 0; i < 4; i += 1) {
      w.clock.advance(10 * 60_000);
      await w.app.scheduler.runNow('incidents.remind');
    }
    expect(w.thread(card.ts)).toHaveLength(1);
    expect(JSON.stringify(w.slack.threadReplies(CHANNEL, card.ts))).not.toContain('subteam');

    // Evidence keeps coming and the card keeps updating; the rise to High wakes it, saying why.
    for (let i = 0; i < 5; i += 1) await w.step(w.spike(0.8));
    await w.slack.waitFor(() => w.thread(card.ts).find((m) => m.text?.includes('Woke early')));
    const lines = w.thread(card.ts).map((m) => m.text ?? '');
    expect(lines.at(-1)).toMatch(
      /Woke early: severity rose .*Medium.* → .*High.* while snoozed by <@U0VIEWER>/,
    );
    const woken = w.slack.message(CHANNEL, card.ts)!;
    expect(blocksOf(woken)).toContain('High');
    expect(blocksOf(woken)).not.toContain('Snoozed by');
    expect(blocksOf(woken)).not.toContain('Wake now');
    // Awake again: the next reminder is posted (and escalates: it has been unacknowledged long enough).
    w.clock.advance(10 * 60_000);
    await w.app.scheduler.runNow('incidents.remind');
    await w.slack.waitFor(() => w.thread(card.ts).find((m) => m.text?.includes('<!subteam^S0ONCALL>')));
    const actions = w.audit().map((e) => `${e.actor} ${e.action} ${e.outcome}`);
    expect(actions).toContain('U0VIEWER incident.snooze success');
    expect(actions).toContain('system incident.wake success');
  });

  it('takes "tomorrow 09:00" from SLACK_TIME_ZONE when it is set, and wakes at the end of a 1 h snooze', async () => {
    const w = await quietWorld({ SLACK_TIME_ZONE: 'Asia/Tokyo' });
    const { card, actionId } = await mediumCard(w);
    await pick(w, 'U0VIEWER', card, actionId, 'tomorrow');
    // 18:06 in Tokyo on 2 March: tomorrow 09:00 JST is 00:00 UTC on the 3rd.
    await w.slack.waitFor(
      () =>
        blocksOf(w.slack.message(CHANNEL, card.ts)).includes(slackEpoch('2026-03-03T00:00:00.000Z')) ||
        undefined,
    );
    await pick(w, 'U0OPERATOR', card, actionId, '1h');
    await w.slack.waitFor(
      () =>
        blocksOf(w.slack.message(CHANNEL, card.ts)).includes(slackEpoch('2026-03-02T10:06:00.000Z')) ||
        undefined,
    );
    w.clock.advance(59 * 60_000);
    await w.app.scheduler.runNow('incidents.quiet');
    expect(blocksOf(w.slack.message(CHANNEL, card.ts))).toContain('Snoozed by <@U0OPERATOR>');
    w.clock.advance(60_000);
    await w.app.scheduler.runNow('incidents.quiet');
    await w.slack.waitFor(() => w.thread(card.ts).find((m) => m.text?.includes('is over')));
    expect(blocksOf(w.slack.message(CHANNEL, card.ts))).not.toContain('Snoozed by');
    expect(w.thread(card.ts).at(-1)?.text).toMatch(
      /The snooze by <@U0OPERATOR> is over: reminders are back on/,
    );
  });

  it('wakes on Wake now and tells a second waker it is not snoozed', async () => {
    const w = await quietWorld();
    const { card, actionId } = await mediumCard(w);
    await pick(w, 'U0VIEWER', card, actionId, '4h');
    await w.slack.waitFor(
      () => blocksOf(w.slack.message(CHANNEL, card.ts)).includes('Wake now') || undefined,
    );
    await pick(w, 'U0OPERATOR', card, actionId, 'wake');
    await w.slack.waitFor(() => w.thread(card.ts).find((m) => m.text?.includes('Woken by <@U0OPERATOR>')));
    await w.slack.waitFor(
      () => !blocksOf(w.slack.message(CHANNEL, card.ts)).includes('Wake now') || undefined,
    );
    // A stale menu (Slack may still show Wake now to someone) says so instead of acting twice.
    await staleSelect(w, 'U0ADMIN', card, actionId, 'wake');
    await w.slack.waitFor(() =>
      w.slack.ephemeralsFor('U0ADMIN').find((e) => e.text === 'This incident is not snoozed.'),
    );
    const audited = w.audit().filter((e) => e.action === 'incident.wake');
    expect(audited.map((e) => `${e.actor} ${e.outcome}`).sort()).toEqual([
      'U0ADMIN duplicate',
      'U0OPERATOR success',
    ]);
    expect(w.thread(card.ts).filter((m) => m.text?.includes('Woken'))).toHaveLength(1);
  });

  it('refuses forged and malformed snooze payloads with an ephemeral, audited as denied, changing nothing', async () => {
    const w = await quietWorld();
    const { card, actionId } = await mediumCard(w);
    // A button (no selected_option) on the snooze prefix, a bad ID, an option the menu never offers.
    await w.driver.rawClick('U0VIEWER', { actionId, messageTs: card.ts, value: '1h' });
    await w.driver.rawClick('U0VIEWER', { actionId: 'incident-snooze:bad:id', messageTs: card.ts });
    await staleSelect(w, 'U0VIEWER', card, actionId, 'forever');
    await w.slack.waitFor(() =>
      w.slack.ephemeralsFor('U0VIEWER').filter((e) => e.text?.includes('That snooze choice is not valid'))
        .length === 3
        ? true
        : undefined,
    );
    const denied = w.audit().filter((e) => e.action === 'incident.snooze');
    expect(denied.map((e) => `${e.outcome} ${e.summary}`).sort()).toEqual([
      'denied malformed action_id',
      'denied unknown snooze option',
      'denied unknown snooze option',
    ]);
    const rows = w.app.db.db.prepare('SELECT snoozed_until, snoozed_by FROM incidents').all();
    expect(rows).toEqual([{ snoozed_until: null, snoozed_by: null }]);
    expect(blocksOf(w.slack.message(CHANNEL, card.ts))).not.toContain('Snoozed by');
    expect(w.thread(card.ts)).toEqual([]);
  });
});
