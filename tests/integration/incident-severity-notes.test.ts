import { describe, expect, it } from 'vitest';
import { checkBlockKitLimits } from '@auth0-oncall/fakes/slack';
import { testScope } from '../helpers/world.js';
import { CHANNEL, OPERATOR, ownerWorld, type OwnerWorld } from './owner-world.js';

const scope = testScope('severity-notes');
const VIEWER = 'U0VIEWER';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhdXRoMHx1c2VyIn0.c2lnbmF0dXJlLXZhbHVlLWhlcmU';

const click = (w: OwnerWorld, user: string, actionId: string, cardTs: string) =>
  w.driver.clickButton(user, { actionId, channelId: CHANNEL, messageTs: cardTs });

const modalOf = (w: OwnerWorld, user: string) => w.slack.waitFor(() => w.slack.openModals(user)[0]);

const setSeverity = async (w: OwnerWorld, inc: { id: string; cardTs: string }, to: string, why = '') => {
  await click(w, OPERATOR, `incident-severity:${inc.id}`, inc.cardTs);
  const modal = await modalOf(w, OPERATOR);
  return w.driver.submitView(OPERATOR, modal.id, { severity: { severity: to }, reason: { reason: why } });
};

describe('severity and notes through the real Bolt app', () => {
  it('lets an operator raise the severity from the card: stated in the thread, audited, on the timeline and the card', async () => {
    const w = await ownerWorld(scope);
    await w.detect('tenant', 'medium');
    const inc = w.incident('tenant');
    const submitted = await setSeverity(w, inc, 'high', 'customers are calling');
    expect(submitted.outcome.kind).toBe('closed');
    const line = await w.slack.waitFor(() =>
      w.thread(inc.cardTs).find((l) => l.startsWith('Severity raised')),
    );
    expect(line).toMatch(/^Severity raised from .*Medium to .*High by <@U0OPERATOR>\./);
    expect(line).toContain('customers are calling');
    await w.slack.waitFor(() =>
      w.card(inc.cardTs).includes('severity set by <@U0OPERATOR>') ? true : undefined,
    );
    expect(w.row(inc.id)).toMatchObject({ severity: 'high', severity_set_by: OPERATOR });
    expect(w.audit(inc.id)).toContain('incident.severity:success');
    const change = w.timeline(inc.id).find((e) => e.kind === 'severity_changed');
    expect(change?.actor).toBe(OPERATOR);
    expect(JSON.parse(change?.detail ?? '{}')).toMatchObject({ from: 'medium', to: 'high', manual: true });

    // Choosing the severity it already has is a form error, not a second change.
    await click(w, OPERATOR, `incident-severity:${inc.id}`, inc.cardTs);
    const again = await modalOf(w, OPERATOR);
    const same = await w.driver.submitView(OPERATOR, again.id, { severity: { severity: 'high' } });
    expect(same.outcome).toMatchObject({
      kind: 'errors',
      errors: { severity: expect.stringMatching(/already/) },
    });
  });

  it('refuses a non-operator with a clear ephemeral and a denied audit row, and a forged severity changes nothing', async () => {
    const w = await ownerWorld(scope);
    await w.detect('tenant', 'medium');
    const inc = w.incident('tenant');
    await click(w, VIEWER, `incident-severity:${inc.id}`, inc.cardTs);
    await w.slack.waitFor(() =>
      w.slack.ephemeralsFor(VIEWER).find((e) => e.text?.includes('Only operators can change the severity')),
    );
    expect(w.slack.openModals(VIEWER)).toEqual([]);
    expect(w.audit(inc.id)).toEqual(['incident.open:success', 'incident.severity:denied']);

    await click(w, OPERATOR, `incident-severity:${inc.id}`, inc.cardTs);
    const modal = await modalOf(w, OPERATOR);
    const forged = await w.driver.submitView(OPERATOR, modal.id, { severity: { severity: 'catastrophic' } });
    expect(forged.outcome.kind).toBe('closed');
    expect(w.row(inc.id)).toMatchObject({ severity: 'medium', severity_set_by: null });
    expect(w.thread(inc.cardTs)).toEqual([]);
    expect(
      w.app.db.db
        .prepare("SELECT summary FROM audit_log WHERE action = 'incident.click' AND outcome = 'denied'")
        .pluck()
        .all(),
    ).toEqual(['invalid severity']);
  });

  it('keeps a lowered severity when detection repeats itself, and raises it again when detection sees worse', async () => {
    const w = await ownerWorld(scope);
    await w.detect('tenant', 'medium');
    const inc = w.incident('tenant');
    await setSeverity(w, inc, 'low', 'a planned load test');
    await w.slack.waitFor(() => w.thread(inc.cardTs).find((l) => l.startsWith('Severity lowered')));
    await w.detect('tenant', 'medium', 'update');
    await w.detect('tenant', 'medium', 'update');
    expect(w.row(inc.id)).toMatchObject({ severity: 'low' });
    await w.detect('tenant', 'high', 'update');
    expect(w.row(inc.id)).toMatchObject({ severity: 'high', detected_severity: 'high' });
    expect(w.thread(inc.cardTs).at(-1)).toMatch(/Severity changed .*Low → .*High/);
  });

  it('adds a note from the card: timeline and thread get the text with credentials redacted, the audit log its length', async () => {
    const w = await ownerWorld(scope);
    await w.detect('tenant', 'high');
    const inc = w.incident('tenant');
    await click(w, VIEWER, `incident-note:${inc.id}`, inc.cardTs);
    const modal = await modalOf(w, VIEWER);
    const blank = await w.driver.submitView(VIEWER, modal.id, { note: { note: '   ' } });
    expect(blank.outcome.kind).toBe('errors');
    await w.driver.submitView(VIEWER, modal.id, {
      note: { note: `Checked the WAF <!channel>; a token I tried: ${TOKEN}` },
    });
    const line = await w.slack.waitFor(() => w.thread(inc.cardTs).find((l) => l.includes('Note from')));
    expect(line).toContain('<@U0VIEWER>');
    expect(line).toContain('&lt;!channel&gt;');
    expect(line).toContain('[redacted]');
    const all = JSON.stringify([
      w.thread(inc.cardTs),
      w.timeline(inc.id),
      w.app.db.db.prepare('SELECT * FROM audit_log').all(),
    ]);
    expect(all).not.toContain(TOKEN.slice(0, 40));
    const note = w.timeline(inc.id).find((e) => e.kind === 'note');
    expect(note?.actor).toBe(VIEWER);
    expect(JSON.parse(note?.detail ?? '{}')).toMatchObject({
      source: 'modal',
      text: expect.stringContaining('Checked the WAF'),
    });
    const audit = w.app.db.db
      .prepare<[], { summary: string; detail: string }>(
        "SELECT summary, detail FROM audit_log WHERE action = 'incident.note'",
      )
      .all();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.summary).toMatch(/^note \(\d+ characters\)$/);
    expect(audit[0]!.detail).not.toContain('WAF');
  });

  it('adds a note with /auth0 note <incident> <text>, and explains a missing or unknown incident', async () => {
    const w = await ownerWorld(scope);
    await w.detect('tenant', 'high');
    const inc = w.incident('tenant');
    const added = await w.driver.command(VIEWER, `note ${inc.id} rolled back the Action deployed at 09:10`);
    const reply = await w.driver.waitForResponse(added);
    expect(JSON.stringify(reply.body)).toContain('Note added');
    await w.slack.waitFor(() => w.thread(inc.cardTs).find((l) => l.includes('rolled back the Action')));

    const usage = await w.driver.command(VIEWER, 'note');
    expect(usage.reply?.text).toMatch(/needs the incident ID/);
    const unknown = await w.driver.command(VIEWER, 'note inc_nope something');
    expect(JSON.stringify((await w.driver.waitForResponse(unknown)).body)).toContain('no longer exists');
    expect(w.audit(inc.id)).toEqual(['incident.open:success', 'incident.note:success']);
    const help = await w.driver.command(VIEWER, 'help');
    expect(help.reply?.text).toContain('/auth0 note <incident ID> <text>');
  });

  it('adds a note from "note:" in the card\'s thread once, though it arrives as a message and as a mention', async () => {
    const w = await ownerWorld(scope);
    await w.detect('tenant', 'high');
    const inc = w.incident('tenant');
    const bot = w.slack.options.botUserId;
    await w.driver.postInThread(
      VIEWER,
      CHANNEL,
      inc.cardTs,
      `<@${bot}> note: blocked 203.0.113.7 at the edge`,
    );
    await w.slack.waitFor(() => w.thread(inc.cardTs).find((l) => l.includes(':memo: Note from <@U0VIEWER>')));
    await w.driver.postInThread(VIEWER, CHANNEL, inc.cardTs, 'Note: and paged the network team');
    await w.slack.waitFor(() =>
      w.thread(inc.cardTs).find((l) => l.includes('paged the network team') && l.includes('Note from')),
    );
    expect(w.timeline(inc.id).filter((e) => e.kind === 'note')).toHaveLength(2);
    expect(
      w.thread(inc.cardTs).filter((l) => l.includes('blocked 203.0.113.7') && l.includes('Note from')),
    ).toHaveLength(1);
    for (const m of w.slack.channelMessages(CHANNEL))
      expect(checkBlockKitLimits(m.blocks ?? [], { surface: 'message' })).toEqual([]);
    expect(w.slack.limitViolations).toEqual([]);
  });
});
