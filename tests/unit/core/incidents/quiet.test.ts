import { afterEach, describe, expect, it } from 'vitest';
import { checkBlockKitLimits } from '@auth0-oncall/fakes/slack';
import type { Decision, Evidence } from '../../../../src/core/detection/model.js';
import { createIncidentService } from '../../../../src/core/incidents/incident-service.js';
import type { ChatMessage, IncidentChat } from '../../../../src/core/incidents/ports.js';
import { createQuietState, snoozeEnd, tomorrowAt } from '../../../../src/core/incidents/quiet.js';
import { createReminders } from '../../../../src/core/incidents/reminders.js';
import { createSnoozeActions } from '../../../../src/core/incidents/snooze.js';
import { createMaintenanceService } from '../../../../src/core/maintenance/maintenance-service.js';
import { slackIncidentRenderer } from '../../../../src/slack/incident-renderer.js';
import {
  SqliteAuditLog,
  SqliteIncidentStore,
  openDatabase,
  type StoreDatabase,
} from '../../../../src/store/index.js';
import { SqliteQuietStore } from '../../../../src/store/sqlite-quiet-store.js';
import { chatOutbox, outboxChatOver } from '../../../helpers/chat-outbox.js';

class MemoryChat implements IncidentChat {
  posts: Array<{ message: ChatMessage; threadTs: string | undefined; ts: string }> = [];
  updates: Array<{ ts: string; message: ChatMessage }> = [];
  private n = 0;
  post(_channel: string, message: ChatMessage, threadTs?: string) {
    const ts = `1700000000.${String(++this.n).padStart(6, '0')}`;
    this.posts.push({ message, threadTs, ts });
    return Promise.resolve({ ts });
  }
  update(_channel: string, ts: string, message: ChatMessage) {
    this.updates.push({ ts, message });
    return Promise.resolve();
  }
  ephemeral() {
    return Promise.resolve();
  }
  thread() {
    return this.posts.filter((p) => p.threadTs !== undefined).map((p) => p.message.text);
  }
  lastCard() {
    return JSON.stringify(this.updates.at(-1)?.message.blocks ?? this.posts[0]?.message.blocks ?? []);
  }
}

let store: StoreDatabase | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
});

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const evidence: Evidence = {
  window: { from: '2026-03-01T11:55:00.000Z', to: '2026-03-01T12:00:00.000Z', minutes: 5 },
  failures: 120,
  successes: 80,
  ratio: 0.6,
  rate: 24,
  suspects: [],
};
const raise = (severity: 'medium' | 'high', scope = 'tenant'): Decision => ({
  kind: 'open',
  signal: 'failed_logins',
  scope,
  severity,
  title: 'Failed logins at 60%',
  evidence,
});

const setup = (timeZone?: string) => {
  const db = openDatabase({ path: ':memory:' });
  store = db;
  const incidents = new SqliteIncidentStore(db);
  const audit = new SqliteAuditLog(db);
  const quietStore = new SqliteQuietStore(db);
  const chat = new MemoryChat();
  let now = T0;
  let windows = 0;
  const clock = () => new Date(now);
  const quiet = createQuietState({ snoozes: quietStore, windows: quietStore, now: clock });
  const service = createIncidentService({
    incidents,
    audit,
    chat,
    cards: outboxChatOver(chat),
    outbox: chatOutbox(db, chat, clock),
    unitOfWork: db,
    render: slackIncidentRenderer,
    channel: 'C0ALERTS',
    newId: () => 'inc-1',
    now: clock,
    quiet,
  });
  const reminders = createReminders({
    incidents,
    service,
    audit,
    escalationGroup: 'S0ONCALL',
    remindEveryMinutes: 10,
    escalateAfterMinutes: 30,
    now: clock,
    quiet,
  });
  const snooze = createSnoozeActions({
    incidents,
    snoozes: quietStore,
    audit,
    service,
    timeZone,
    timeZoneOf: (user) => Promise.resolve(user === 'U0TOKYO' ? 'Asia/Tokyo' : undefined),
    now: clock,
  });
  const maintenance = createMaintenanceService({
    store: quietStore,
    operators: { isOperator: (u) => Promise.resolve(u === 'U0OPERATOR') },
    audit,
    newId: () => `mw_${String(++windows)}`,
    now: clock,
    changed: async () => service.refreshCard('inc-1'),
  });
  return {
    incidents,
    audit,
    quietStore,
    chat,
    service,
    reminders,
    snooze,
    maintenance,
    advance: (ms: number) => (now += ms),
  };
};

const MIN = 60_000;

describe('snooze end times', () => {
  it('ends 1 h and 4 h snoozes that long after the click', () => {
    const now = new Date(T0);
    expect(snoozeEnd('1h', now, 'UTC').toISOString()).toBe('2026-03-01T13:00:00.000Z');
    expect(snoozeEnd('4h', now, 'UTC').toISOString()).toBe('2026-03-01T16:00:00.000Z');
  });

  it.each([
    ['UTC', '2026-03-01T23:30:00.000Z', '2026-03-02T09:00:00.000Z'],
    // 00:30 on 2 March in Paris already: tomorrow is the 3rd.
    ['Europe/Paris', '2026-03-01T23:30:00.000Z', '2026-03-03T08:00:00.000Z'],
    ['Asia/Tokyo', '2026-03-01T12:00:00.000Z', '2026-03-02T00:00:00.000Z'],
    // New York moves to daylight time overnight (8 March 2026): 09:00 EDT is 13:00 UTC.
    ['America/New_York', '2026-03-07T15:00:00.000Z', '2026-03-08T13:00:00.000Z'],
    ['America/New_York', '2026-03-06T15:00:00.000Z', '2026-03-07T14:00:00.000Z'],
  ])('puts "tomorrow 09:00" in %s after %s at %s', (zone, now, expected) => {
    expect(tomorrowAt(new Date(now), zone).toISOString()).toBe(expected);
  });
});

describe('snoozing an incident', () => {
  it('shows who snoozed it until when, records reminders without posting them, and wakes when the time is up', async () => {
    const w = setup('UTC');
    await w.service.apply([raise('medium')]);
    const result = await w.snooze.run('1h', 'inc-1', 'U0VIEWER');
    expect(result).toMatchObject({ ok: true, until: '2026-03-01T13:00:00.000Z' });
    expect(w.chat.lastCard()).toContain('Snoozed by <@U0VIEWER> until <!date^');
    expect(w.chat.lastCard()).toContain('"value":"wake"');
    expect(checkBlockKitLimits(w.chat.updates.at(-1)?.message.blocks, { surface: 'message' })).toEqual([]);
    expect(w.chat.thread()).toEqual([expect.stringMatching(/^:zzz: Snoozed by <@U0VIEWER> until/)]);

    for (let i = 0; i < 5; i += 1) {
      w.advance(10 * MIN);
      expect(await w.reminders.run()).toBe(0);
    }
    // Evidence is still recorded and shown while snoozed.
    await w.service.apply([raise('medium')]);
    expect(w.incidents.get('inc-1')?.escalatedAt).toBeNull();
    expect(w.chat.thread()).toHaveLength(1);
    const quietReminders = w.incidents.timeline('inc-1').filter((e) => e.kind === 'reminder');
    expect(quietReminders).toHaveLength(5);
    expect(quietReminders.every((e) => e.detail.quiet === true)).toBe(true);

    w.advance(10 * MIN); // 13:00: the snooze is over
    expect(await w.snooze.wakeLapsed()).toBe(1);
    expect(await w.snooze.wakeLapsed()).toBe(0);
    expect(w.quietStore.snoozeOf('inc-1')).toBeNull();
    expect(w.chat.thread().at(-1)).toMatch(/The snooze by <@U0VIEWER> is over/);
    expect(w.chat.lastCard()).not.toContain('Snoozed by');
    expect(w.audit.forIncident('inc-1').map((e) => `${e.actor} ${e.action} ${e.outcome}`)).toEqual([
      'system incident.open success',
      'U0VIEWER incident.snooze success',
      'system incident.wake success',
    ]);
    // Reminders resume at their cadence: one now, not the five missed at once; it escalates.
    expect(await w.reminders.run()).toBe(1);
    expect(await w.reminders.run()).toBe(0);
    expect(w.chat.thread().at(-1)).toContain('<!subteam^S0ONCALL>');
  });

  it('wakes early when the severity rises, saying why in the thread', async () => {
    const w = setup('UTC');
    await w.service.apply([raise('medium')]);
    await w.snooze.run('4h', 'inc-1', 'U0VIEWER');
    w.advance(5 * MIN);
    await w.service.apply([raise('medium')]);
    expect(w.quietStore.snoozeOf('inc-1')).not.toBeNull();
    await w.service.apply([raise('high')]);
    expect(w.quietStore.snoozeOf('inc-1')).toBeNull();
    const lines = w.chat.thread();
    expect(lines.at(-2)).toMatch(/Severity changed .*Medium.* → .*High/);
    expect(lines.at(-1)).toMatch(
      /Woke early: severity rose .*Medium.* → .*High.* while snoozed by <@U0VIEWER>/,
    );
    expect(w.chat.lastCard()).not.toContain('Snoozed by');
    const wake = w.audit.forIncident('inc-1').at(-1);
    expect(wake).toMatchObject({ actor: 'system', action: 'incident.wake', outcome: 'success' });
    w.advance(10 * MIN);
    expect(await w.reminders.run()).toBe(1);
  });

  it('puts "until tomorrow 09:00" in SLACK_TIME_ZONE, else the clicker\'s zone, else UTC', async () => {
    const configured = setup('Europe/Paris');
    await configured.service.apply([raise('medium')]);
    expect(await configured.snooze.run('tomorrow', 'inc-1', 'U0TOKYO')).toMatchObject({
      until: '2026-03-02T08:00:00.000Z',
    });
    store?.close();
    const fromUser = setup(undefined);
    await fromUser.service.apply([raise('medium')]);
    expect(await fromUser.snooze.run('tomorrow', 'inc-1', 'U0TOKYO')).toMatchObject({
      until: '2026-03-02T00:00:00.000Z',
    });
    expect(await fromUser.snooze.run('tomorrow', 'inc-1', 'U0NOZONE')).toMatchObject({
      until: '2026-03-02T09:00:00.000Z',
    });
  });

  it('wakes once on Wake now, and says "not snoozed" (audited as a duplicate) the second time', async () => {
    const w = setup('UTC');
    await w.service.apply([raise('medium')]);
    await w.snooze.run('1h', 'inc-1', 'U0VIEWER');
    expect(await w.snooze.run('wake', 'inc-1', 'U0OTHER')).toMatchObject({ ok: true });
    expect(await w.snooze.run('wake', 'inc-1', 'U0OTHER')).toMatchObject({
      ok: false,
      reason: 'not_snoozed',
    });
    expect(w.chat.thread().at(-1)).toMatch(/Woken by <@U0OTHER>/);
    expect(
      w.audit
        .forIncident('inc-1')
        .slice(-2)
        .map((e) => e.outcome),
    ).toEqual(['success', 'duplicate']);
    expect(await w.snooze.run('1h', 'nope', 'U0OTHER')).toEqual({ ok: false, reason: 'not_found' });
  });
});

describe('maintenance windows and incidents', () => {
  it('marks a covered card, keeps it from paging, and lets it page again when the window ends', async () => {
    const w = setup('UTC');
    await w.service.apply([raise('high', 'connection:google-oauth2')]);
    const refused = await w.maintenance.open('U0VIEWER', {
      minutes: 60,
      scope: { kind: 'connection', value: 'google-oauth2' },
      reason: 'x',
    });
    expect(refused).toMatchObject({ ok: false, reason: 'denied' });
    const opened = await w.maintenance.open('U0OPERATOR', {
      minutes: 60,
      scope: { kind: 'connection', value: 'google-oauth2' },
      reason: 'provider migration <!channel>',
    });
    if (!opened.ok) throw new Error('not opened');
    expect(w.chat.lastCard()).toContain(
      'In maintenance window: provider migration &lt;!channel&gt; until <!date^',
    );
    w.advance(10 * MIN);
    expect(await w.reminders.run()).toBe(0);
    w.advance(10 * MIN);
    // A severity rise inside a window stays quiet: the window is planned work, not a person's guess.
    expect(await w.reminders.run()).toBe(0);
    expect(w.chat.thread()).toEqual([]);

    expect(await w.maintenance.end('U0OPERATOR', opened.window.id)).toMatchObject({ ok: true });
    expect(await w.maintenance.end('U0OPERATOR', opened.window.id)).toMatchObject({
      reason: 'already_ended',
    });
    expect(w.chat.lastCard()).not.toContain('In maintenance window');
    w.advance(10 * MIN);
    expect(await w.reminders.run()).toBe(1);
    const actions = w.audit.latest(10).map((e) => `${e.actor} ${e.action} ${e.outcome}`);
    expect(actions).toContain('U0VIEWER maintenance.open denied');
    expect(actions).toContain('U0OPERATOR maintenance.open success');
    expect(actions).toContain('U0OPERATOR maintenance.end success');
    expect(actions).toContain('U0OPERATOR maintenance.end duplicate');
  });

  it('does not cover incidents of another scope', async () => {
    const w = setup('UTC');
    await w.service.apply([raise('high', 'connection:other')]);
    await w.maintenance.open('U0OPERATOR', {
      minutes: 60,
      scope: { kind: 'connection', value: 'google-oauth2' },
      reason: '',
    });
    w.advance(10 * MIN);
    expect(await w.reminders.run()).toBe(1);
  });

  it('closes a window when its time is up, audited as system, and the rotation windows when the rotation ends', async () => {
    const w = setup('UTC');
    await w.maintenance.open('U0OPERATOR', { minutes: 30, scope: { kind: 'tenant' }, reason: '' });
    const rotation = await w.maintenance.rotationStarted('cli123', 15);
    expect(
      w.maintenance
        .active()
        .map((x) => x.origin)
        .sort(),
    ).toEqual(['manual', 'rotation']);
    expect(w.maintenance.rotationFinished('cli123').map((x) => x.id)).toEqual([rotation.id]);
    expect(w.maintenance.rotationFinished('cli123')).toEqual([]);
    w.advance(29 * MIN);
    expect(await w.maintenance.expire()).toBe(0);
    w.advance(1 * MIN);
    expect(await w.maintenance.expire()).toBe(1);
    expect(w.maintenance.active()).toEqual([]);
    const system = w.audit
      .latest(10)
      .filter((e) => e.actor === 'system')
      .map((e) => e.action);
    expect(system.sort()).toEqual(['maintenance.end', 'maintenance.expire', 'maintenance.open']);
  });
});
