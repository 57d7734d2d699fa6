import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';
import type { IncidentChat } from '../../src/core/incidents/ports.js';
import type { RecentLogQuery, StoredLogEvent } from '../../src/core/logs/ports.js';
import type { RotationResult, RotationService } from '../../src/core/rotation/ports.js';
import type { RotationTarget } from '../../src/core/rotation/target.js';
import { createBackgroundTasks } from '../../src/core/background/tasks.js';
import { createMetrics } from '../../src/metrics/app-metrics.js';
import { createLogger } from '../../src/logger.js';
import { createSlackApp, type SlackApp } from '../../src/slack/app.js';
import { createRotateCommand, slackRotationAnnouncements } from '../../src/slack/rotate-command.js';
import { createRotationRequests } from '../../src/core/rotation/requests.js';
import { createEventBus } from '../../src/core/events/bus.js';
import { chatOutbox } from '../helpers/chat-outbox.js';
import {
  SqliteAuditLog,
  SqliteIdempotencyClaims,
  openDatabase,
  SqliteRotationControl,
  SqliteRotationStore,
  type StoreDatabase,
} from '../../src/store/index.js';

const CHANNEL = 'C0ALERTS';
const OPERATORS = ['U0OPERATOR', 'U0ADMIN'];
const BILLING: RotationTarget = {
  clientId: 'Zx81billing',
  strategy: 'client_secret',
  secretId: 'prod/billing',
};
const REPORTS: RotationTarget = {
  clientId: 'Kq02reports',
  strategy: 'private_key_jwt',
  secretId: 'prod/reports',
};
const NEXT = new Date('2030-01-07T03:00:00.000Z');

/**
 * A hand-written RotationService that behaves like the real one where it matters here: while a
 * rotation of a target is going, another rotate() of it returns `already_running`.
 */
class FakeRotationService implements Pick<RotationService, 'rotate'> {
  readonly calls: Array<{ clientId: string; trigger: string; by: string }> = [];
  private readonly running = new Set<string>();
  result: RotationResult = {
    ok: true,
    rotationId: 'rot-1',
    summary: 'promoted the new secret to AWSCURRENT',
  };
  delayMs = 0;

  async rotate(
    target: RotationTarget,
    request: { trigger: 'schedule' | 'command' | 'step'; by: string },
  ): Promise<RotationResult> {
    this.calls.push({ clientId: target.clientId, trigger: request.trigger, by: request.by });
    if (this.running.has(target.clientId)) {
      return { ok: false, reason: 'already_running', summary: 'rot-1 is still verifying the new secret' };
    }
    this.running.add(target.clientId);
    try {
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      return this.result;
    } finally {
      this.running.delete(target.clientId);
    }
  }
}

/** Recent m2m_token_success events for a client; records the queries it was asked. */
class FakeLogs {
  readonly queries: RecentLogQuery[] = [];
  constructor(private readonly events: StoredLogEvent[]) {}
  recent(query: RecentLogQuery): StoredLogEvent[] {
    this.queries.push(query);
    return this.events.filter((e) => e.clientId === query.clientId);
  }
}

const success = (ip: string, date: string): StoredLogEvent => ({
  logId: `${ip}-${date}`,
  date,
  type: 'seccft',
  signal: 'm2m_token_success',
  scope: 'Zx81billing',
  own: false,
  clientId: 'Zx81billing',
  clientName: 'billing',
  ip,
  connection: null,
  userName: null,
  userAgent: null,
  description: null,
  reason: null,
  source: 'poll',
});

interface Harness {
  fake: FakeSlack;
  driver: SlackDriver;
  slack: SlackApp;
  db: StoreDatabase;
  service: FakeRotationService;
  logs: FakeLogs;
  audit: SqliteAuditLog;
  results: Array<[string, RotationResult]>;
}

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop();
});

const build = async (): Promise<Harness> => {
  const fake = await FakeSlack.start();
  running.push(() => fake.stop());
  const logger = createLogger(
    { level: 'silent' },
    new Writable({
      write(_c: Buffer, _e, cb) {
        cb();
      },
    }),
  );
  const db = openDatabase({ path: ':memory:' });
  running.push(() => {
    db.close();
    return Promise.resolve();
  });
  const service = new FakeRotationService();
  const now = new Date();
  const logs = new FakeLogs([
    success('203.0.113.7', new Date(now.getTime() - 3_600_000).toISOString()),
    success('203.0.113.7', new Date(now.getTime() - 60_000).toISOString()),
    success('198.51.100.4', new Date(now.getTime() - 7_200_000).toISOString()),
  ]);
  const audit = new SqliteAuditLog(db);
  const results: Array<[string, RotationResult]> = [];
  const errors: unknown[] = [];
  const metrics = createMetrics({ version: 'test' });
  // The chat and the modal go through the app's own client, which exists once the app is built.
  const built: { slack?: SlackApp } = {};
  const client = () => {
    if (!built.slack) throw new Error('the Slack app is not built yet');
    return built.slack.bolt.client;
  };
  const chat: IncidentChat = {
    async post(channel, message) {
      const res = await client().chat.postMessage({ channel, text: message.text });
      return { ts: res.ts ?? '' };
    },
    async update() {},
    async ephemeral(channel, user, message) {
      await client().chat.postEphemeral({ channel, user, text: message.text });
    },
  };
  const events = createEventBus();
  events.subscribe('rotation_finished', (e) => {
    results.push([e.target.clientId, e.result]);
  });
  const control = new SqliteRotationControl(db);
  const requests = createRotationRequests({
    targets: [BILLING, REPORTS],
    service,
    claims: new SqliteIdempotencyClaims(db),
    operators: { isOperator: (u) => Promise.resolve(OPERATORS.includes(u)) },
    control,
    audit,
    announce: slackRotationAnnouncements(chatOutbox(db, chat), CHANNEL, () => new Date()),
    events,
    now: () => new Date(),
    onError: (e) => errors.push(e),
  });
  const rotate = createRotateCommand({
    targets: [BILLING, REPORTS],
    requests,
    rotations: new SqliteRotationStore(db),
    logs,
    control,
    nextRun: () => NEXT,
    chat,
    channel: CHANNEL,
    openModal: async (triggerId, view) => {
      await client().views.open({ trigger_id: triggerId, view });
    },
    now: () => new Date(),
    onError: (e) => errors.push(e),
  });
  const slack = createSlackApp({
    botToken: fake.options.botToken,
    appToken: fake.options.appToken,
    apiUrl: fake.apiUrl,
    logger,
    metrics: metrics.slack,
    inflight: createBackgroundTasks(),
    retry: { retries: 0 },
    command: {
      command: '/auth0',
      version: 'test',
      now: () => new Date(),
      status: () => Promise.resolve([]),
      rotate: rotate.command,
    },
    register: [rotate.register],
  });
  built.slack = slack;
  running.push(() => slack.stop());
  running.push(() => {
    expect(errors).toEqual([]);
    return Promise.resolve();
  });
  await slack.start();
  return {
    fake,
    driver: new SlackDriver(fake, { command: '/auth0' }),
    slack,
    db,
    service,
    logs,
    audit,
    results,
  };
};

const reply = async (h: Harness, user: string, text: string): Promise<string> => {
  const res = await h.driver.command(user, text, { channelId: CHANNEL });
  const post = await h.driver.waitForResponse(res);
  return JSON.stringify(post.body);
};

describe('/auth0 rotate through the real Bolt pipeline', () => {
  it('lists the targets with strategy, last rotation, next slot and pause', async () => {
    const h = await build();
    new SqliteRotationStore(h.db).start({
      id: 'rot-0',
      targetClientId: 'Zx81billing',
      strategy: 'client_secret',
      trigger: 'schedule',
      requestedBy: 'system',
      state: 'verifying',
      at: '2029-12-31T03:00:00.000Z',
    });
    new SqliteRotationStore(h.db).finish('rot-0', { at: '2029-12-31T03:01:00.000Z', outcome: 'succeeded' });
    new SqliteRotationControl(h.db).setPaused('Kq02reports', true, 'U0ADMIN', '2029-12-31T00:00:00.000Z');
    const text = await reply(h, 'U0VIEWER', 'rotate');
    expect(text).toContain('Zx81billing');
    expect(text).toContain('client secret');
    expect(text).toContain('succeeded');
    expect(text).toContain('next <!date^1893985200');
    expect(text).toMatch(/Kq02reports.*private_key_jwt.*never rotated; paused/);
    expect(h.service.calls).toEqual([]);
  });

  it('answers an unknown client with the list of targets, and rotates nothing', async () => {
    const h = await build();
    const text = await reply(h, 'U0OPERATOR', 'rotate Nope1234');
    expect(text).toContain('`Nope1234` is not a rotation target');
    expect(text).toContain('Kq02reports');
    expect(h.fake.openModals('U0OPERATOR')).toHaveLength(0);
    expect(h.service.calls).toEqual([]);
  });

  it('denies a non-operator, audits the denial, opens no modal and rotates nothing', async () => {
    const h = await build();
    const text = await reply(h, 'U0VIEWER', 'rotate Zx81billing');
    expect(text).toContain('Only operators can rotate credentials');
    expect(h.fake.openModals('U0VIEWER')).toHaveLength(0);
    expect(h.service.calls).toEqual([]);
    expect(h.audit.latest(5)[0]).toMatchObject({
      actor: 'U0VIEWER',
      action: 'rotation.request',
      outcome: 'denied',
    });
  });

  it('confirms in a modal, then rotates exactly once and posts start and result', async () => {
    const h = await build();
    const res = await h.driver.command('U0OPERATOR', 'rotate Zx81billing', { channelId: CHANNEL });
    expect(res.ack.payload ?? {}).toEqual({});
    expect(res.reply).toBeUndefined();
    const modal = await h.fake.waitFor(() => h.fake.openModals('U0OPERATOR')[0]);
    const view = JSON.stringify(modal.view);
    expect(view).toContain('"callback_id":"rotate_confirm"');
    expect(view).toContain('"private_metadata":"Zx81billing"');
    expect(view).toContain('never rotated');
    expect(view).toContain('from 2 IP(s)');
    expect(view).toMatch(/203\.0\.113\.7 — last seen .* \(2 tokens\)/);
    expect(h.logs.queries[0]).toMatchObject({ signal: 'm2m_token_success', clientId: 'Zx81billing' });
    const since = Date.parse(h.logs.queries[0]?.since ?? '');
    expect(Date.now() - since).toBeGreaterThanOrEqual(86_400_000 - 5_000);
    expect(Date.now() - since).toBeLessThan(86_400_000 + 5_000);
    expect(h.service.calls).toEqual([]);

    await h.driver.submitView('U0OPERATOR', modal.id);
    await h.fake.waitFor(() => (h.fake.channelMessages(CHANNEL).length >= 2 ? true : undefined));
    expect(h.service.calls).toEqual([{ clientId: 'Zx81billing', trigger: 'command', by: 'U0OPERATOR' }]);
    const texts = h.fake.channelMessages(CHANNEL).map((m) => m.text ?? '');
    expect(texts[0]).toContain('Rotating `Zx81billing` (client secret), requested by <@U0OPERATOR>');
    expect(texts[1]).toContain(':white_check_mark: Rotated `Zx81billing`');
    expect(texts[1]).toContain('promoted the new secret to AWSCURRENT');
    await h.fake.waitFor(() => h.results[0]);
    expect(h.results.map(([id, r]) => [id, r.ok])).toEqual([['Zx81billing', true]]);
    const actions = h.audit.latest(10).map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual([
      'rotation.finish:success',
      'rotation.start:started',
      'rotation.request:allowed',
    ]);
  });

  it('answers the second of two simultaneous submissions of one modal from its claim: one rotation', async () => {
    const h = await build();
    h.service.delayMs = 200;
    await h.driver.command('U0OPERATOR', 'rotate Zx81billing', { channelId: CHANNEL });
    const modal = await h.fake.waitFor(() => h.fake.openModals('U0OPERATOR')[0]);
    await Promise.all([
      h.driver.submitView('U0OPERATOR', modal.id),
      h.driver.submitView('U0OPERATOR', modal.id),
    ]);
    await h.fake.waitFor(() => (h.results.length === 1 ? true : undefined));
    expect(h.service.calls).toHaveLength(1);
    const answered = await h.fake.waitFor(() =>
      h.fake.ephemeralsFor('U0OPERATOR').find((e) => (e.text ?? '').includes('already confirmed')),
    );
    expect(answered.text).toContain('<@U0OPERATOR>');
    // The result line goes through the outbox: wait for it to be delivered.
    await h.fake.waitFor(() =>
      h.fake.channelMessages(CHANNEL).find((m) => (m.text ?? '').includes(':white_check_mark: Rotated')),
    );
    const texts = h.fake.channelMessages(CHANNEL).map((m) => m.text ?? '');
    expect(texts.filter((t) => t.includes(':white_check_mark: Rotated'))).toHaveLength(1);
    expect(
      h.audit
        .latest(10)
        .filter((e) => e.action === 'rotation.request')
        .map((e) => e.outcome)
        .sort(),
    ).toEqual(['allowed', 'duplicate']);
  });

  it('re-checks the operator on submission: a user removed meanwhile rotates nothing', async () => {
    const h = await build();
    await h.driver.command('U0ADMIN', 'rotate Zx81billing', { channelId: CHANNEL });
    const modal = await h.fake.waitFor(() => h.fake.openModals('U0ADMIN')[0]);
    OPERATORS.splice(OPERATORS.indexOf('U0ADMIN'), 1);
    try {
      await h.driver.submitView('U0ADMIN', modal.id);
      await h.fake.waitFor(() => h.fake.ephemeralsFor('U0ADMIN')[0]);
    } finally {
      OPERATORS.push('U0ADMIN');
    }
    expect(h.fake.ephemeralsFor('U0ADMIN')[0]?.text).toContain('Only operators');
    expect(h.service.calls).toEqual([]);
    expect(h.fake.channelMessages(CHANNEL)).toHaveLength(0);
  });

  it('reports a failed rotation and whether it was rolled back', async () => {
    const h = await build();
    h.service.result = {
      ok: false,
      rotationId: 'rot-2',
      summary: 'the new secret was refused',
      rolledBack: true,
    };
    await h.driver.command('U0OPERATOR', 'rotate Zx81billing', { channelId: CHANNEL });
    const modal = await h.fake.waitFor(() => h.fake.openModals('U0OPERATOR')[0]);
    await h.driver.submitView('U0OPERATOR', modal.id);
    await h.fake.waitFor(() => (h.fake.channelMessages(CHANNEL).length >= 2 ? true : undefined));
    const last = h.fake.channelMessages(CHANNEL)[1]?.text ?? '';
    expect(last).toContain(':x: Rotation of `Zx81billing` failed');
    expect(last).toContain('rolled back');
    // The outcome is published once the result is posted: wait for it rather than race it.
    await h.fake.waitFor(() => h.results[0]);
    expect(h.results[0]?.[1]).toEqual(h.service.result);
    expect(h.fake.limitViolations).toEqual([]);
  });
});
