import { afterEach, describe, expect, it } from 'vitest';
import { checkBlockKitLimits } from '@auth0-oncall/fakes/slack';
import type { Decision, Evidence } from '../../../../src/core/detection/model.js';
import { createIncidentActions } from '../../../../src/core/incidents/incident-actions.js';
import { createIncidentService } from '../../../../src/core/incidents/incident-service.js';
import { incidentStats } from '../../../../src/core/incidents/incident-stats.js';
import type { ChatMessage, IncidentChat } from '../../../../src/core/incidents/ports.js';
import { createReminders } from '../../../../src/core/incidents/reminders.js';
import { slackIncidentRenderer } from '../../../../src/slack/incident-renderer.js';
import {
  SqliteAuditLog,
  SqliteIncidentStore,
  openDatabase,
  type StoreDatabase,
} from '../../../../src/store/index.js';
import { chatOutbox, outboxChatOver } from '../../../helpers/chat-outbox.js';

/** Records what would reach Slack; can be told to fail. */
class MemoryChat implements IncidentChat {
  posts: Array<{ channel: string; message: ChatMessage; threadTs: string | undefined; ts: string }> = [];
  updates: Array<{ channel: string; ts: string; message: ChatMessage }> = [];
  ephemerals: Array<{ user: string; message: ChatMessage }> = [];
  failPosts = 0;
  private n = 0;
  post(channel: string, message: ChatMessage, threadTs?: string) {
    if (this.failPosts > 0) {
      this.failPosts -= 1;
      return Promise.reject(new Error('slack down'));
    }
    const ts = `1700000000.${String(++this.n).padStart(6, '0')}`;
    this.posts.push({ channel, message, threadTs, ts });
    return Promise.resolve({ ts });
  }
  update(channel: string, ts: string, message: ChatMessage) {
    this.updates.push({ channel, ts, message });
    return Promise.resolve();
  }
  ephemeral(_channel: string, user: string, message: ChatMessage) {
    this.ephemerals.push({ user, message });
    return Promise.resolve();
  }
  cards() {
    return this.posts.filter((p) => p.threadTs === undefined);
  }
  thread(ts: string) {
    return this.posts.filter((p) => p.threadTs === ts).map((p) => p.message.text);
  }
}

let store: StoreDatabase;
afterEach(() => {
  store.close();
});

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const evidence = (over: Partial<Evidence> = {}): Evidence => ({
  window: { from: '2026-03-01T11:55:00.000Z', to: '2026-03-01T12:00:00.000Z', minutes: 5 },
  failures: 120,
  successes: 80,
  ratio: 0.6,
  rate: 24,
  suspects: [],
  ...over,
});
type Raise = Extract<Decision, { kind: 'open' | 'update' }>;
const open = (severity: 'medium' | 'high' = 'medium', ev: Evidence = evidence()): Raise => ({
  kind: 'open',
  signal: 'failed_logins',
  scope: 'tenant',
  severity,
  title: 'Failed logins at 60%',
  evidence: ev,
});

const setup = (opts: { operators?: string[]; group?: string } = {}) => {
  store = openDatabase({ path: ':memory:' });
  const incidents = new SqliteIncidentStore(store);
  const audit = new SqliteAuditLog(store);
  const chat = new MemoryChat();
  let now = T0;
  let ids = 0;
  const changes: number[] = [];
  const service = createIncidentService({
    incidents,
    audit,
    chat,
    cards: outboxChatOver(chat),
    outbox: chatOutbox(store, chat, () => new Date(now)),
    unitOfWork: store,
    render: slackIncidentRenderer,
    channel: 'C0ALERTS',
    newId: () => `inc-${++ids}`,
    now: () => new Date(now),
    onChange: () => changes.push(1),
  });
  const operators = new Set(opts.operators ?? ['U0OPERATOR']);
  const actions = createIncidentActions({
    incidents,
    audit,
    operators: { isOperator: (u) => Promise.resolve(operators.has(u)) },
    service,
    escalationGroup: opts.group,
    now: () => new Date(now),
  });
  const reminders = createReminders({
    incidents,
    service,
    audit,
    escalationGroup: opts.group,
    remindEveryMinutes: 10,
    escalateAfterMinutes: 30,
    now: () => new Date(now),
  });
  return {
    incidents,
    audit,
    chat,
    service,
    actions,
    reminders,
    changes,
    advance: (ms: number) => (now += ms),
  };
};

describe('createIncidentService', () => {
  it('posts one card for a new incident and updates it in place as evidence grows', async () => {
    const { service, chat, incidents } = setup();
    await service.apply([open()]);
    await service.apply([open('medium', evidence({ failures: 150 }))]);
    await service.apply([{ ...open(), kind: 'update', evidence: evidence({ failures: 180 }) }]);
    expect(chat.cards()).toHaveLength(1);
    expect(chat.updates).toHaveLength(2);
    const card = chat.cards()[0]!;
    expect(chat.thread(card.ts)).toEqual([]);
    const incident = incidents.findOpen('failed_logins', 'tenant');
    expect(incident).toMatchObject({ slackChannel: 'C0ALERTS', slackTs: card.ts });
    expect(checkBlockKitLimits(chat.updates[1]!.message.blocks, { surface: 'message' })).toEqual([]);
    expect(JSON.stringify(chat.updates[1]!.message.blocks)).toContain('180');
  });

  it('adds one thread line when severity rises, and never lowers it by itself', async () => {
    const { service, chat, incidents } = setup();
    await service.apply([open('medium')]);
    await service.apply([open('high')]);
    await service.apply([open('medium')]);
    const ts = chat.cards()[0]!.ts;
    expect(chat.thread(ts)).toHaveLength(1);
    expect(chat.thread(ts)[0]).toMatch(/Medium → .*High/);
    expect(incidents.findOpen('failed_logins', 'tenant')?.severity).toBe('high');
  });

  it('adds a thread line for a new suspect and for a new correlation, once each', async () => {
    const { service, chat } = setup();
    await service.apply([open()]);
    const suspect = {
      at: '2026-03-01T11:58:00.000Z',
      kind: 'tenant_change' as const,
      who: 'deploy-bot',
      what: 'PATCH /api/v2/clients/abc',
      expected: false,
    };
    const correlation = {
      kind: 'signing_key_rotation' as const,
      at: '2026-03-01T11:50:00.000Z',
      detail: 'Started 10 min after a signing-key rotation',
    };
    await service.apply([open('medium', evidence({ suspects: [suspect], correlation }))]);
    await service.apply([open('medium', evidence({ suspects: [suspect], correlation }))]);
    const lines = chat.thread(chat.cards()[0]!.ts);
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).toContain('deploy-bot');
    expect(lines.join('\n')).toContain('signing-key rotation');
  });

  describe('suspects in the thread', () => {
    const change = (minute: number, what: string, expected = false) => ({
      at: `2026-03-01T11:${String(minute).padStart(2, '0')}:00.000Z`,
      kind: expected ? ('own_change' as const) : ('tenant_change' as const),
      who: expected ? 'auth0-oncall' : 'dana@acme.example',
      what,
      expected,
    });

    it('posts a suspect once even when it leaves the card and comes back', async () => {
      const { service, chat } = setup();
      const a = change(50, 'PATCH /api/v2/clients/abc');
      const b = change(51, 'PATCH /api/v2/connections/con_1');
      await service.apply([open()]);
      await service.apply([open('medium', evidence({ suspects: [a] }))]);
      await service.apply([open('medium', evidence({ suspects: [b] }))]);
      await service.apply([open('medium', evidence({ suspects: [a, b] }))]);
      await service.apply([open('medium', evidence({ suspects: [a] }))]);
      const lines = chat.thread(chat.cards()[0]!.ts);
      expect(lines).toHaveLength(2);
      expect(lines.filter((l) => l.includes('/clients/abc'))).toHaveLength(1);
    });

    it("never posts the bot's own change as a possible cause (the card shows it as its own)", async () => {
      const { service, chat } = setup();
      await service.apply([open()]);
      const own = change(55, 'DELETE /api/v2/anomaly/blocks/ips/203.0.113.7', true);
      await service.apply([open('medium', evidence({ suspects: [own] }))]);
      expect(chat.thread(chat.cards()[0]!.ts)).toEqual([]);
    });

    it('posts at most 5 over the life of an incident', async () => {
      const { service, chat } = setup();
      await service.apply([open()]);
      for (let m = 30; m < 42; m++) {
        await service.apply([
          open('medium', evidence({ suspects: [change(m, `PATCH /api/v2/clients/c${String(m)}`)] })),
        ]);
      }
      expect(chat.thread(chat.cards()[0]!.ts)).toHaveLength(5);
    });

    it('does not post the suspects the card showed when it opened', async () => {
      const { service, chat } = setup();
      const a = change(50, 'PATCH /api/v2/clients/abc');
      await service.apply([open('medium', evidence({ suspects: [a] }))]);
      await service.apply([open('medium', evidence({ suspects: [] }))]);
      await service.apply([open('medium', evidence({ suspects: [a] }))]);
      expect(chat.thread(chat.cards()[0]!.ts)).toEqual([]);
    });
  });

  it('auto-resolves on recovery, says so in the thread, and the next spike opens a new card', async () => {
    const { service, chat, incidents, audit } = setup();
    await service.apply([open()]);
    await service.apply([
      { kind: 'recover', signal: 'failed_logins', scope: 'tenant', reason: 'below threshold for 15 min' },
    ]);
    const first = chat.cards()[0]!;
    expect(chat.thread(first.ts).join('\n')).toContain('below threshold for 15 min');
    expect(incidents.findOpen('failed_logins', 'tenant')).toBeNull();
    expect(JSON.stringify(chat.updates.at(-1)?.message.blocks)).not.toContain('incident:ack');
    expect(audit.latest(5).map((a) => `${a.action}:${a.actor}`)).toContain('incident.resolve:system');
    await service.apply([open()]);
    expect(chat.cards()).toHaveLength(2);
  });

  it('posts a card whose first post failed on the next pass, exactly once', async () => {
    const { service, chat, incidents } = setup();
    chat.failPosts = 1;
    await service.apply([open()]);
    expect(chat.cards()).toHaveLength(0);
    expect(incidents.findOpen('failed_logins', 'tenant')?.slackTs).toBeNull();
    await service.repostMissingCards();
    await service.repostMissingCards();
    expect(chat.cards()).toHaveLength(1);
  });

  it('ignores a recovery for something that is not open', async () => {
    const { service, chat } = setup();
    await service.apply([{ kind: 'recover', signal: 'rate_limit', scope: 'tenant', reason: 'quiet' }]);
    expect(chat.posts).toEqual([]);
  });
});

describe('createIncidentActions', () => {
  it('lets anyone acknowledge once; a second click is a duplicate, both audited', async () => {
    const { service, actions, chat, audit } = setup();
    await service.apply([open()]);
    const id = 'inc-1';
    expect(await actions.run('ack', id, 'U0VIEWER')).toMatchObject({
      ok: true,
      incident: { state: 'acknowledged', acknowledgedBy: 'U0VIEWER' },
    });
    expect(await actions.run('ack', id, 'U0OPERATOR')).toMatchObject({
      ok: false,
      reason: 'already_acknowledged',
    });
    expect(chat.thread(chat.cards()[0]!.ts)).toHaveLength(1);
    expect(JSON.stringify(chat.updates.at(-1)?.message.blocks)).not.toContain('incident:ack:');
    expect(audit.forIncident(id).map((a) => `${a.action}:${a.outcome}`)).toEqual(
      expect.arrayContaining(['incident.ack:success', 'incident.ack:duplicate']),
    );
  });

  it('mentions the escalation group when someone escalates', async () => {
    const { service, actions, chat } = setup({ group: 'S0ONCALL' });
    await service.apply([open()]);
    expect((await actions.run('escalate', 'inc-1', 'U0VIEWER')).ok).toBe(true);
    expect(chat.thread(chat.cards()[0]!.ts)[0]).toContain('<!subteam^S0ONCALL>');
  });

  it('denies Resolve to a non-operator with a reason and no effect, and allows an operator', async () => {
    const { service, actions, incidents, audit } = setup();
    await service.apply([open()]);
    const denied = await actions.run('resolve', 'inc-1', 'U0VIEWER');
    expect(denied).toMatchObject({ ok: false, reason: 'denied', why: expect.stringContaining('operators') });
    expect(incidents.get('inc-1')?.state).toBe('open');
    expect(await actions.run('resolve', 'inc-1', 'U0OPERATOR')).toMatchObject({
      ok: true,
      incident: { state: 'resolved', resolution: 'manual' },
    });
    expect(audit.forIncident('inc-1').map((a) => a.outcome)).toEqual(
      expect.arrayContaining(['denied', 'success']),
    );
  });

  it('reports an unknown incident as not found, audited', async () => {
    const { actions, audit } = setup();
    expect(await actions.run('ack', 'nope', 'U0VIEWER')).toEqual({ ok: false, reason: 'not_found' });
    expect(audit.latest(1)[0]).toMatchObject({
      action: 'incident.ack',
      outcome: 'denied',
      incidentId: 'nope',
    });
  });
});

describe('reminders', () => {
  it('re-notifies an unacknowledged incident every 10 minutes, escalates once after 30, and stops at ack', async () => {
    const { service, reminders, chat, incidents, advance, actions } = setup({ group: 'S0ONCALL' });
    await service.apply([open()]);
    const ts = chat.cards()[0]!.ts;
    advance(9 * 60_000);
    expect(await reminders.run()).toBe(0);
    advance(60_000);
    expect(await reminders.run()).toBe(1);
    expect(await reminders.run()).toBe(0);
    advance(20 * 60_000);
    expect(await reminders.run()).toBe(1);
    expect(chat.thread(ts).at(-1)).toContain('<!subteam^S0ONCALL>');
    expect(incidents.get('inc-1')).toMatchObject({ escalatedBy: 'system' });
    await actions.run('ack', 'inc-1', 'U0VIEWER');
    advance(60 * 60_000);
    expect(await reminders.run()).toBe(0);
  });

  it('does not page for info incidents', async () => {
    const { service, reminders, advance } = setup();
    await service.apply([
      { ...open(), severity: 'info', signal: 'signing_key', title: 'Signing key rotated' },
    ]);
    advance(60 * 60_000);
    expect(await reminders.run()).toBe(0);
  });
});

describe('incidentStats', () => {
  it('computes MTTA and MTTR from the stored times, by severity', async () => {
    const { service, actions, incidents, advance } = setup();
    await service.apply([open('high')]);
    advance(4 * 60_000);
    await actions.run('ack', 'inc-1', 'U0VIEWER');
    advance(6 * 60_000);
    await actions.run('resolve', 'inc-1', 'U0OPERATOR');
    await service.apply([{ ...open(), scope: 'connection:db' }]);
    const stats = incidentStats(incidents, new Date(T0 + 11 * 60_000), 7);
    expect(stats.open).toEqual({ high: 0, medium: 1, low: 0, info: 0 });
    expect(stats.bySeverity.high).toEqual({ count: 1, mttaMs: 240_000, mttrMs: 600_000 });
    expect(stats.bySeverity.all.count).toBe(2);
    expect(stats.bySeverity.medium.mttaMs).toBeUndefined();
  });
});
