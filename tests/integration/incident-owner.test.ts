import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits, checkViewLimits } from '@auth0-oncall/fakes/slack';
import { testScope } from '../helpers/world.js';
import { ADMIN, CHANNEL, OPERATOR, ownerWorld, type OwnerWorld } from './owner-world.js';

const scope = testScope('owner');
const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const CAROL = 'U0CAROL';

const click = (w: OwnerWorld, user: string, actionId: string, cardTs: string) =>
  w.driver.clickButton(user, { actionId, channelId: CHANNEL, messageTs: cardTs });

const ephemeral = (w: OwnerWorld, user: string, text: string) =>
  w.slack.waitFor(() => w.slack.ephemeralsFor(user).find((e) => e.text?.includes(text)));

const acknowledged = async (w: OwnerWorld, user: string) => {
  await w.detect('tenant', 'high');
  const inc = w.incident('tenant');
  await click(w, user, `incident:ack:${inc.id}`, inc.cardTs);
  await w.slack.waitFor(() => (w.card(inc.cardTs).includes('incident-owner:takeover') ? true : undefined));
  return inc;
};

describe('owner and paging through the real Bolt app', () => {
  it('makes the acknowledger the owner on the card, Home and /auth0 incidents', async () => {
    const w = await ownerWorld(scope);
    const inc = await acknowledged(w, ALICE);
    expect(w.card(inc.cardTs)).toContain(`Owner: <@${ALICE}>`);
    // Take over sits where Acknowledge was.
    expect(w.card(inc.cardTs)).not.toContain(`incident:ack:${inc.id}`);
    expect(w.row(inc.id)).toMatchObject({ owner: ALICE, acknowledged_by: ALICE });

    const list = await w.driver.command(BOB, 'incidents');
    expect(JSON.stringify(list.reply?.blocks)).toContain(`owner <@${ALICE}>`);

    await w.driver.openHome(BOB);
    const home = await w.slack.waitFor(() => w.slack.homeView(BOB));
    expect(JSON.stringify(home.view)).toContain(`owner <@${ALICE}>`);
  });

  it('lets another responder take over: audited, stated in the thread, the card updated; again is a duplicate', async () => {
    const w = await ownerWorld(scope);
    const inc = await acknowledged(w, ALICE);
    await click(w, BOB, `incident-owner:takeover:${inc.id}`, inc.cardTs);
    await w.slack.waitFor(() =>
      w.thread(inc.cardTs).find((l) => l.includes(`<@${BOB}> took over from <@${ALICE}>`)),
    );
    await w.slack.waitFor(() => (w.card(inc.cardTs).includes(`Owner: <@${BOB}>`) ? true : undefined));
    expect(w.row(inc.id)).toMatchObject({ owner: BOB, acknowledged_by: ALICE });
    expect(w.timeline(inc.id).filter((e) => e.kind === 'took_over')).toEqual([
      { kind: 'took_over', actor: BOB, detail: JSON.stringify({ from: ALICE }) },
    ]);

    await click(w, BOB, `incident-owner:takeover:${inc.id}`, inc.cardTs);
    await ephemeral(w, BOB, 'You already own this incident');
    expect(w.audit(inc.id)).toEqual(
      expect.arrayContaining([
        'incident.ack:success',
        'incident.takeover:success',
        'incident.takeover:duplicate',
      ]),
    );
    expect(w.thread(inc.cardTs).filter((l) => l.includes('took over'))).toHaveLength(1);
  });

  it('refuses forged and malformed take-over clicks with an ephemeral and a denied audit row, changing nothing', async () => {
    const w = await ownerWorld(scope);
    await w.detect('tenant', 'high');
    const inc = w.incident('tenant');
    await w.driver.rawClick(BOB, { actionId: `incident-owner:takeover:${inc.id}`, messageTs: inc.cardTs });
    await ephemeral(w, BOB, 'Nobody owns this incident yet');
    expect(w.row(inc.id)).toMatchObject({ state: 'open', owner: null });
    expect(w.audit(inc.id)).toContain('incident.takeover:denied');

    await w.driver.rawClick(BOB, { actionId: 'incident-owner:takeover:inc:1', messageTs: inc.cardTs });
    await w.driver.rawClick(BOB, { actionId: 'incident-owner:steal:inc_1', messageTs: inc.cardTs });
    await w.slack.waitFor(() =>
      w.slack.ephemeralsFor(BOB).filter((e) => e.text?.includes('not valid')).length === 2 ? true : undefined,
    );
    const denied = w.app.db.db
      .prepare("SELECT count(*) FROM audit_log WHERE action = 'incident.click' AND outcome = 'denied'")
      .pluck()
      .get();
    expect(denied).toBe(2);
    expect(w.thread(inc.cardTs)).toEqual([]);
  });

  it('opens a modal from Escalate; naming a person pages them with the note, and a second submission is a duplicate', async () => {
    const w = await ownerWorld(scope, { escalationGroup: 'S0ONCALL' });
    await w.detect('tenant', 'high');
    const inc = w.incident('tenant');
    // Two modals open at once (two people): only one escalation happens.
    await click(w, ALICE, `incident:escalate:${inc.id}`, inc.cardTs);
    await click(w, BOB, `incident:escalate:${inc.id}`, inc.cardTs);
    const modals = await w.slack.waitFor(() => {
      const open = [...w.slack.openModals(ALICE), ...w.slack.openModals(BOB)];
      return open.length === 2 ? open : undefined;
    });
    for (const m of modals) expect(checkViewLimits(m.view)).toEqual([]);
    expect(JSON.stringify(modals[0]!.view)).toContain('<!subteam^S0ONCALL>');
    expect(w.row(inc.id)).toMatchObject({ escalated_at: null });

    const first = await w.driver.submitView(ALICE, modals[0]!.id, {
      person: { user: CAROL },
      note: { note: 'Database team: the login DB is slow' },
    });
    expect(first.outcome.kind).toBe('closed');
    const line = await w.slack.waitFor(() => w.thread(inc.cardTs).find((l) => l.includes('Escalated by')));
    expect(line).toContain(`<@${ALICE}>`);
    expect(line).toContain(`to <@${CAROL}>`);
    expect(line).toContain('the login DB is slow');
    expect(line).not.toContain('S0ONCALL');
    await w.slack.waitFor(() => (w.card(inc.cardTs).includes(`incident:escalate:`) ? undefined : true));

    await w.driver.submitView(BOB, modals[1]!.id, { group: { group: 'S0OTHER' } });
    await ephemeral(w, BOB, `Already escalated by <@${ALICE}>`);
    expect(w.audit(inc.id).filter((a) => a.startsWith('incident.escalate'))).toEqual([
      'incident.escalate:success',
      'incident.escalate:duplicate',
    ]);
    expect(w.thread(inc.cardTs).filter((l) => l.includes('Escalated by'))).toHaveLength(1);
    expect(w.timeline(inc.id).map((e) => e.kind)).toContain('note');
  });

  it('pages a group given by pasted mention, shows form errors for what names nobody, and audits forged submissions', async () => {
    const w = await ownerWorld(scope);
    await w.detect('tenant', 'high');
    const inc = w.incident('tenant');
    await click(w, ALICE, `incident:escalate:${inc.id}`, inc.cardTs);
    const modal = await w.slack.waitFor(() => w.slack.openModals(ALICE)[0]);
    // No escalation group in this workspace: the modal says the operators are paged by default.
    expect(JSON.stringify(modal.view)).toContain(`<@${OPERATOR}> <@${ADMIN}>`);

    const bad = await w.driver.submitView(ALICE, modal.id, { group: { group: '@db-team' } });
    expect(bad.outcome).toMatchObject({ kind: 'errors', errors: { group: expect.stringMatching(/ID/) } });
    const both = await w.driver.submitView(ALICE, modal.id, {
      person: { user: CAROL },
      group: { group: 'S0DB' },
    });
    expect(both.outcome).toMatchObject({
      kind: 'errors',
      errors: { group: expect.stringMatching(/not both/) },
    });
    expect(w.row(inc.id)).toMatchObject({ escalated_at: null });

    await w.driver.submitView(ALICE, modal.id, { group: { group: '<!subteam^S0DBTEAM|@db-team>' } });
    await w.slack.waitFor(() =>
      w.thread(inc.cardTs).find((l) => l.includes(`Escalated by <@${ALICE}> to <!subteam^S0DBTEAM>`)),
    );

    // A submission whose metadata was tampered with names no incident: closed, audited, nothing changes.
    await w.detect('client-a', 'high');
    const other = w.incident('client-a');
    await click(w, BOB, `incident:escalate:${other.id}`, other.cardTs);
    const forged = await w.slack.waitFor(() => w.slack.openModals(BOB)[0]);
    forged.view.private_metadata = '{"incidentId":"../../etc"}';
    const outcome = await w.driver.submitView(BOB, forged.id, {});
    expect(outcome.outcome.kind).toBe('closed');
    expect(w.row(other.id)).toMatchObject({ escalated_at: null });
    expect(
      w.app.db.db
        .prepare("SELECT summary FROM audit_log WHERE action = 'incident.click' AND outcome = 'denied'")
        .pluck()
        .all(),
    ).toEqual(['malformed or unknown view submission']);
  });

  it('reminds an unacknowledged incident mentioning each operator when there is no group, then its owner', async () => {
    const w = await ownerWorld(scope);
    await w.detect('tenant', 'high');
    const inc = w.incident('tenant');
    w.advance(10 * 60_000);
    await w.app.scheduler.runNow('incidents.remind');
    expect(w.thread(inc.cardTs).at(-1)).toBe(
      `<@${OPERATOR}> <@${ADMIN}> :bell: Still unacknowledged after 10 min.`,
    );

    await click(w, ALICE, `incident:ack:${inc.id}`, inc.cardTs);
    await w.slack.waitFor(() => (w.row(inc.id).owner === ALICE ? true : undefined));
    const before = w.thread(inc.cardTs).length;
    w.advance(20 * 60_000);
    await w.app.scheduler.runNow('incidents.remind');
    expect(w.thread(inc.cardTs)).toHaveLength(before);
    w.advance(10 * 60_000);
    await w.app.scheduler.runNow('incidents.remind');
    expect(w.thread(inc.cardTs).at(-1)).toContain(`<@${ALICE}> this is still open and high`);
    // A restart-safe count: running again at once sends nothing more.
    await w.app.scheduler.runNow('incidents.remind');
    expect(w.thread(inc.cardTs).filter((l) => l.includes('still open and high'))).toHaveLength(1);
  });

  it('mentions the escalation group from the first reminder and keeps escalating after 30 minutes', async () => {
    const w = await ownerWorld(scope, { escalationGroup: 'S0ONCALL' });
    await w.detect('tenant', 'medium');
    const inc = w.incident('tenant');
    w.advance(10 * 60_000);
    await w.app.scheduler.runNow('incidents.remind');
    expect(w.thread(inc.cardTs).at(-1)).toBe('<!subteam^S0ONCALL> :bell: Still unacknowledged after 10 min.');
    expect(w.row(inc.id)).toMatchObject({ escalated_at: null });
    w.advance(20 * 60_000);
    await w.app.scheduler.runNow('incidents.remind');
    expect(w.row(inc.id)).toMatchObject({ escalated_by: 'system' });
    expect(w.audit(inc.id)).toContain('incident.escalate:success');
  });

  it('keeps every card and modal within Block Kit limits', async () => {
    const w = await ownerWorld(scope);
    const inc = await acknowledged(w, ALICE);
    await click(w, OPERATOR, `incident-severity:${inc.id}`, inc.cardTs);
    await click(w, BOB, `incident-note:${inc.id}`, inc.cardTs);
    await click(w, CAROL, `incident:escalate:${inc.id}`, inc.cardTs);
    await w.slack.waitFor(() => (w.slack.openModals().length === 3 ? true : undefined));
    for (const m of w.slack.openModals()) expect(checkViewLimits(m.view)).toEqual([]);
    for (const m of w.slack.channelMessages(CHANNEL))
      expect(checkBlockKitLimits(m.blocks ?? [], { surface: 'message' })).toEqual([]);
    expect(w.slack.limitViolations).toEqual([]);
  });
});
