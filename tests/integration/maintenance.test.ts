import { describe, expect, it } from 'vitest';
import { checkViewLimits } from '@auth0-oncall/fakes/slack';
import { blocksOf, CHANNEL, quietWorld, type QuietWorld } from './quiet-world.js';

const reply = async (w: QuietWorld, user: string, text: string): Promise<string> => {
  const result = await w.driver.command(user, text);
  expect(result.ack.acked).toBe(true);
  return `${result.reply?.text ?? ''}\n${JSON.stringify(result.reply?.blocks ?? [])}`;
};

const windowRows = (w: QuietWorld) => w.app.db.db.prepare('SELECT * FROM maintenance_windows').all();
const maintenanceAudit = (w: QuietWorld) =>
  w
    .audit()
    .filter((e) => e.action.startsWith('maintenance.'))
    .map((e) => `${e.actor} ${e.action} ${e.outcome}`);

describe('/auth0 maintenance through the real Bolt app', () => {
  it.each([
    ['maintenance 2x', '`2x` is not a duration: write a whole number and m, h or d, e.g. 30m, 2h, 1d'],
    ['maintenance 8d', 'a maintenance window lasts at most 7 days (7d)'],
    ['maintenance 0m', 'a maintenance window lasts at least 1 minute'],
    [
      'maintenance 2h user:bob upgrade',
      '`user:bob` is not a scope: use `tenant`, `client:<name or ID>` or `connection:<name>`',
    ],
    ['maintenance 2h client:', '`client:` needs a client name or ID after the colon'],
    ['maintenance end', '`maintenance end` takes one window ID'],
    ['maintenance end a b', '`maintenance end` takes one window ID'],
  ])('answers `%s` with a precise error and opens nothing', async (text, problem) => {
    const w = await quietWorld();
    const answer = await reply(w, 'U0OPERATOR', text);
    expect(answer).toContain(problem);
    expect(answer).toContain('Usage: `/auth0 maintenance');
    expect(windowRows(w)).toEqual([]);
    expect(maintenanceAudit(w)).toEqual([]);
  });

  it('keeps a connection incident quiet in its window, lists and ends the window from Home, and audits it all', async () => {
    const w = await quietWorld();
    expect(await reply(w, 'U0VIEWER', 'maintenance')).toContain('No maintenance windows are open');
    const denied = await reply(
      w,
      'U0VIEWER',
      'maintenance 2h connection:Username-Password-Authentication db',
    );
    expect(denied).toContain('Only operators can open a maintenance window.');
    expect(windowRows(w)).toEqual([]);

    const opened = await reply(
      w,
      'U0OPERATOR',
      'maintenance 2h connection:Username-Password-Authentication DB upgrade <!channel>',
    );
    const id = /`(mw_[0-9a-f]+)`/.exec(opened)?.[1];
    expect(id).toBeDefined();
    expect(opened).toContain('connection `Username-Password-Authentication`');
    const listed = await reply(w, 'U0VIEWER', 'maintenance');
    expect(listed).toContain(id);
    expect(listed).toContain('DB upgrade &lt;!channel&gt;');

    // A new incident in the window: recorded, its card marked, no reminders or escalation.
    for (let i = 0; i < 6; i += 1) await w.step(w.spike(0.35));
    expect(w.cards()).toHaveLength(1);
    const card = w.cards()[0]!;
    expect(blocksOf(card)).toContain('In maintenance window: DB upgrade &lt;!channel&gt; until <!date^');
    expect(JSON.stringify(w.slack.channelMessages(CHANNEL))).not.toContain('<!channel>');
    for (let i = 0; i < 4; i += 1) {
      w.clock.advance(10 * 60_000);
      await w.app.scheduler.runNow('incidents.remind');
    }
    expect(w.thread(card.ts)).toEqual([]);

    // Home: the window with an End button for operators only.
    await w.driver.openHome('U0VIEWER');
    const viewerHome = await w.slack.waitFor(() => w.slack.homeView('U0VIEWER'));
    expect(JSON.stringify(viewerHome.view)).toContain('Maintenance windows (1)');
    expect(JSON.stringify(viewerHome.view)).not.toContain(`maintenance:end:${id!}`);
    await w.driver.openHome('U0OPERATOR');
    const home = await w.slack.waitFor(() => {
      const v = w.slack.homeView('U0OPERATOR');
      return v && JSON.stringify(v.view).includes(`maintenance:end:${id!}`) ? v : undefined;
    });
    expect(checkViewLimits(home.view)).toEqual([]);
    await w.driver.clickButton('U0OPERATOR', { actionId: `maintenance:end:${id!}`, viewId: home.id });
    await w.slack.waitFor(
      () =>
        JSON.stringify(w.slack.homeView('U0OPERATOR')?.view).includes('Maintenance windows (0)') || undefined,
    );
    await w.slack.waitFor(
      () => !blocksOf(w.slack.message(CHANNEL, card.ts)).includes('In maintenance window') || undefined,
    );
    expect(await reply(w, 'U0OPERATOR', `maintenance end ${id!}`)).toContain('has already ended');
    expect(await reply(w, 'U0OPERATOR', 'maintenance end mw_nope')).toContain(
      'There is no maintenance window `mw_nope`',
    );

    // Out of the window, the next reminder pages (and escalates: it is 40 minutes old).
    w.clock.advance(10 * 60_000);
    await w.app.scheduler.runNow('incidents.remind');
    await w.slack.waitFor(() => w.thread(card.ts).find((m) => m.text?.includes('<!subteam^S0ONCALL>')));
    expect(maintenanceAudit(w)).toEqual([
      'U0OPERATOR maintenance.end denied',
      'U0OPERATOR maintenance.end duplicate',
      'U0OPERATOR maintenance.end success',
      'U0OPERATOR maintenance.open success',
      'U0VIEWER maintenance.open denied',
    ]);
  });

  it('marks an incident already open when a tenant-wide window opens, and unmarks it when the window lapses', async () => {
    const w = await quietWorld();
    for (let i = 0; i < 6; i += 1) await w.step(w.spike(0.35));
    const card = w.cards()[0]!;
    expect(blocksOf(card)).not.toContain('In maintenance window');
    expect(await reply(w, 'U0OPERATOR', 'maintenance 30m load test')).toContain('the whole tenant');
    await w.slack.waitFor(
      () =>
        blocksOf(w.slack.message(CHANNEL, card.ts)).includes('In maintenance window: load test') || undefined,
    );
    w.clock.advance(30 * 60_000);
    await w.app.scheduler.runNow('incidents.quiet');
    expect(blocksOf(w.slack.message(CHANNEL, card.ts))).not.toContain('In maintenance window');
    expect(await reply(w, 'U0VIEWER', 'maintenance')).toContain('No maintenance windows are open');
    expect(maintenanceAudit(w)).toEqual([
      'system maintenance.expire success',
      'U0OPERATOR maintenance.open success',
    ]);
  });

  it('refuses a forged End button with an ephemeral, audited as denied', async () => {
    const w = await quietWorld();
    for (let i = 0; i < 6; i += 1) await w.step(w.spike(0.35));
    const card = w.cards()[0]!;
    await w.driver.rawClick('U0OPERATOR', { actionId: 'maintenance:end:a:b', messageTs: card.ts });
    await w.driver.rawClick('U0OPERATOR', { actionId: 'maintenance:start:x', messageTs: card.ts });
    await w.slack.waitFor(() =>
      w.slack.ephemeralsFor('U0OPERATOR').filter((e) => e.text?.includes('That button is not valid'))
        .length === 2
        ? true
        : undefined,
    );
    expect(maintenanceAudit(w)).toEqual([
      'U0OPERATOR maintenance.end denied',
      'U0OPERATOR maintenance.end denied',
    ]);
    expect(windowRows(w)).toEqual([]);
  });

  it('lists the maintenance command in /auth0 help', async () => {
    const w = await quietWorld();
    expect(await reply(w, 'U0VIEWER', 'help')).toContain(
      '/auth0 maintenance [<duration> [scope] [reason] | end <id>]',
    );
  });
});
