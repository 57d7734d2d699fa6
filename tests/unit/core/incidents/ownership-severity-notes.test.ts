import { afterEach, describe, expect, it } from 'vitest';
import { createIncidentService } from '../../../../src/core/incidents/incident-service.js';
import { createOwnership } from '../../../../src/core/incidents/ownership.js';
import type { ChatMessage, IncidentChat } from '../../../../src/core/incidents/ports.js';
import { createSeverityNotes } from '../../../../src/core/incidents/severity-notes.js';
import { slackIncidentRenderer } from '../../../../src/slack/incident-renderer.js';
import {
  SqliteAuditLog,
  SqliteIncidentStore,
  openDatabase,
  type StoreDatabase,
} from '../../../../src/store/index.js';
import { chatOutbox, outboxChatOver } from '../../../helpers/chat-outbox.js';

/** Records thread lines and card updates. */
class MemoryChat implements IncidentChat {
  posts: Array<{ message: ChatMessage; threadTs: string | undefined; ts: string }> = [];
  updates = 0;
  private n = 0;
  post(_channel: string, message: ChatMessage, threadTs?: string) {
    const ts = `1700000000.${String(++this.n).padStart(6, '0')}`;
    this.posts.push({ message, threadTs, ts });
    return Promise.resolve({ ts });
  }
  update() {
    this.updates += 1;
    return Promise.resolve();
  }
  ephemeral() {
    return Promise.resolve();
  }
  lines() {
    return this.posts.filter((p) => p.threadTs !== undefined).map((p) => p.message.text);
  }
}

let store: StoreDatabase;
afterEach(() => {
  store.close();
});

const setup = (opts: { group?: string; operatorIds?: string[] } = {}) => {
  store = openDatabase({ path: ':memory:' });
  const incidents = new SqliteIncidentStore(store);
  const audit = new SqliteAuditLog(store);
  const chat = new MemoryChat();
  const now = () => new Date('2026-03-01T12:00:00.000Z');
  const service = createIncidentService({
    incidents,
    audit,
    chat,
    cards: outboxChatOver(chat),
    outbox: chatOutbox(store, chat, now),
    unitOfWork: store,
    render: slackIncidentRenderer,
    channel: 'C0ALERTS',
    newId: () => 'inc-1',
    now,
  });
  const ownership = createOwnership({
    incidents,
    audit,
    service,
    escalationGroup: opts.group,
    operators: opts.operatorIds ?? [],
    now,
  });
  const notes = createSeverityNotes({
    incidents,
    audit,
    operators: { isOperator: (u) => Promise.resolve(u === 'U0OP') },
    service,
    now,
  });
  const audits = () => audit.forIncident('inc-1').map((e) => `${e.action}:${e.outcome}`);
  return { incidents, chat, service, ownership, notes, audits };
};

const openOne = async (s: ReturnType<typeof setup>) => {
  await s.service.apply([
    {
      kind: 'open',
      signal: 'failed_logins',
      scope: 'tenant',
      severity: 'high',
      title: 'Failed logins',
      evidence: {
        window: { from: '2026-03-01T11:55:00.000Z', to: '2026-03-01T12:00:00.000Z', minutes: 5 },
        failures: 10,
        rate: 2,
        suspects: [],
      },
    },
  ]);
};

describe('ownership', () => {
  it('applies take-overs clicked at once one after the other: each line is posted, the last one owns it', async () => {
    const s = setup();
    await openOne(s);
    s.incidents.acknowledge('inc-1', 'U0A', '2026-03-01T12:00:00.000Z');
    const results = await Promise.all([
      s.ownership.takeOver('inc-1', 'U0B'),
      s.ownership.takeOver('inc-1', 'U0C'),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(s.incidents.get('inc-1')?.owner).toBe('U0C');
    expect(s.chat.lines()).toEqual([
      ':bust_in_silhouette: <@U0B> took over from <@U0A>.',
      ':bust_in_silhouette: <@U0C> took over from <@U0B>.',
    ]);
  });

  it('refuses an escalation naming something that is not a user or a group, audited, without a change', async () => {
    const s = setup({ group: 'S0ONCALL' });
    await openOne(s);
    const r = await s.ownership.escalate('inc-1', 'U0A', { user: 'not-a-user' });
    expect(r).toMatchObject({ ok: false, reason: 'invalid' });
    expect(s.incidents.get('inc-1')?.escalatedAt).toBeNull();
    expect(s.audits()).toContain('incident.escalate:denied');
    expect(s.chat.lines()).toEqual([]);
  });

  it('pages nobody by name when there is neither a group nor operators, and still escalates', async () => {
    const s = setup();
    await openOne(s);
    expect(await s.ownership.escalate('inc-1', 'U0A', {})).toMatchObject({ ok: true });
    expect(s.chat.lines()).toEqual([':rotating_light: Escalated by <@U0A>.']);
  });
});

describe('severity and notes', () => {
  it('refuses a severity change by a non-operator even when the modal was reached, changing nothing', async () => {
    const s = setup();
    await openOne(s);
    expect(await s.notes.setSeverity('inc-1', 'U0X', 'low')).toMatchObject({ ok: false, reason: 'denied' });
    expect(s.incidents.get('inc-1')).toMatchObject({ severity: 'high', severitySetBy: null });
    expect(s.audits()).toEqual(['incident.open:success', 'incident.severity:denied']);
  });

  it('states a lowered severity in the thread, with the reason', async () => {
    const s = setup();
    await openOne(s);
    await s.notes.setSeverity('inc-1', 'U0OP', 'medium', 'only test users');
    expect(s.chat.lines()).toEqual([
      'Severity lowered from :red_circle: High to :large_orange_circle: Medium by <@U0OP>.\n> only test users',
    ]);
  });

  it('adds a note once per key, and refuses an unknown incident or an empty note', async () => {
    const s = setup();
    await openOne(s);
    expect(await s.notes.addNote('inc-1', 'U0A', 'first look: WAF rule', 'modal', 'view:V1')).toMatchObject({
      ok: true,
    });
    expect(await s.notes.addNote('inc-1', 'U0A', 'first look: WAF rule', 'modal', 'view:V1')).toMatchObject({
      ok: false,
      reason: 'duplicate',
    });
    expect(await s.notes.addNote('inc-1', 'U0A', '  \u0000 ', 'command')).toEqual({
      ok: false,
      reason: 'empty',
    });
    expect(await s.notes.addNote('nope', 'U0A', 'hello', 'command')).toEqual({
      ok: false,
      reason: 'not_found',
    });
    expect(s.incidents.timeline('inc-1').filter((e) => e.kind === 'note')).toHaveLength(1);
    expect(s.chat.lines()).toEqual([':memo: Note from <@U0A>:\n> first look: WAF rule']);
    expect(s.audits()).toEqual([
      'incident.open:success',
      'incident.note:success',
      'incident.note:duplicate',
      'incident.note:denied',
    ]);
  });
});
