import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Detector } from '../../../../src/core/detection/detector.js';
import type { Decision, Evidence } from '../../../../src/core/detection/model.js';
import { createIncidentEvaluation, runbookRequests } from '../../../../src/core/incidents/evaluation.js';
import { createIncidentService } from '../../../../src/core/incidents/incident-service.js';
import type { IncidentChat } from '../../../../src/core/incidents/ports.js';
import { createRecheck } from '../../../../src/core/incidents/recheck.js';
import { SqliteLogStore } from '../../../../src/store/sqlite-log-store.js';
import { createBackgroundTasks } from '../../../../src/core/background/tasks.js';
import { slackIncidentRenderer } from '../../../../src/slack/incident-renderer.js';
import { chatOutbox, outboxChatOver } from '../../../helpers/chat-outbox.js';
import {
  openDatabase,
  SqliteAuditLog,
  SqliteIncidentStore,
  type StoreDatabase,
} from '../../../../src/store/index.js';

const evidence: Evidence = {
  window: { from: '2026-03-01T11:55:00.000Z', to: '2026-03-01T12:00:00.000Z', minutes: 5 },
  failures: 120,
  successes: 80,
  ratio: 0.6,
  rate: 24,
  suspects: [],
};
const open: Decision = {
  kind: 'open',
  signal: 'failed_logins',
  scope: 'tenant',
  severity: 'high',
  title: 'Failed logins at 60 %',
  evidence,
};
const recover: Decision = {
  kind: 'recover',
  signal: 'failed_logins',
  scope: 'tenant',
  reason: 'quiet for 15 min',
};

/** A detector that says what the test scripts: the rule under test is what evaluation does with it. */
class ScriptedDetector implements Detector {
  next: Decision[] = [];
  evaluate() {
    const d = this.next;
    this.next = [];
    return d;
  }
  onWatcherEvents() {
    return [];
  }
  onHealthEvent() {
    return [];
  }
}

const chat: IncidentChat = {
  post: () => Promise.resolve({ ts: `1700000000.${Math.random().toString().slice(2, 8)}` }),
  update: () => Promise.resolve(),
  ephemeral: () => Promise.resolve(),
};

let db: StoreDatabase;
beforeEach(() => {
  db = openDatabase({ path: ':memory:' });
});
afterEach(() => {
  db.close();
});

const setup = (fresh: { value: boolean }) => {
  const incidents = new SqliteIncidentStore(db);
  const service = createIncidentService({
    incidents,
    audit: new SqliteAuditLog(db),
    chat,
    cards: outboxChatOver(chat),
    outbox: chatOutbox(db, chat),
    unitOfWork: db,
    render: slackIncidentRenderer,
    channel: 'C0ALERTS',
    newId: () => `inc_${Math.random().toString(36).slice(2, 10)}`,
    now: () => new Date('2026-03-01T12:00:00.000Z'),
  });
  const detector = new ScriptedDetector();
  const requested: string[] = [];
  const evaluation = createIncidentEvaluation({
    detector,
    incidents,
    service,
    logsFresh: () => fresh.value,
    requestRunbook: (id) => requested.push(id),
    onApplyError: (e) => {
      throw e;
    },
    count: createRecheck({
      logs: new SqliteLogStore(db),
      incidents,
      now: () => new Date('2026-03-01T12:00:00.000Z'),
      windowMinutes: 5,
    }),
  });
  return { incidents, detector, evaluation, requested };
};

describe('incident evaluation', () => {
  it('does not resolve a log-derived incident for looking quiet while log polling is stale', async () => {
    const fresh = { value: true };
    const { incidents, detector, evaluation } = setup(fresh);
    detector.next = [open];
    await evaluation.evaluate();
    const [incident] = incidents.listOpen();
    expect(incident?.signal).toBe('failed_logins');

    fresh.value = false;
    detector.next = [recover];
    await evaluation.evaluate();
    expect(incidents.listOpen()).toHaveLength(1);

    fresh.value = true;
    detector.next = [recover];
    await evaluation.evaluate();
    expect(incidents.listOpen()).toHaveLength(0);
  });

  it('asks for a runbook for every open incident that has none, on every pass', async () => {
    const { incidents, detector, evaluation, requested } = setup({ value: true });
    detector.next = [open];
    await evaluation.evaluate();
    await evaluation.evaluate();
    const id = incidents.listOpen()[0]?.id;
    expect(requested).toEqual([id, id]);
  });

  it('rechecks by evaluating now and saying where the incident stands', async () => {
    const { incidents, detector, evaluation } = setup({ value: true });
    detector.next = [open];
    await evaluation.evaluate();
    const id = incidents.listOpen()[0]!.id;
    expect(await evaluation.recheck(id)).not.toContain('resolved');
    detector.next = [recover];
    expect(await evaluation.recheck(id)).toContain('The incident is resolved.');
    expect(await evaluation.recheck('inc_gone')).toBe('The incident no longer exists.');
  });
});

describe('runbook requests', () => {
  it('writes one runbook per incident at a time, however often it is asked, and again once the first try ended', async () => {
    const tasks = createBackgroundTasks();
    let release!: () => void;
    const attached: string[] = [];
    const request = runbookRequests(
      (id) => {
        attached.push(id);
        return new Promise<void>((resolve) => (release = resolve));
      },
      (name, work) => {
        tasks.spawn(name, work);
      },
    );
    request('inc_1');
    request('inc_1');
    request('inc_1');
    expect(attached).toEqual(['inc_1']);
    release();
    await tasks.drain(1_000);
    request('inc_1');
    expect(attached).toEqual(['inc_1', 'inc_1']);
    release();
    await tasks.drain(1_000);
  });
});
