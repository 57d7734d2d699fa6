import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cloudEvent, eventBridgeEnvelope, userObject } from '@auth0-oncall/fakes/auth0';
import { FakeSqs } from '@auth0-oncall/fakes/aws';
import { FakeSlack, waitFor } from '@auth0-oncall/fakes/slack';
import { spawnApp, type AppProcess } from '../../sandbox/app-process.js';
import { validEnv } from '../helpers/env.js';
import { testScope } from '../helpers/world.js';

/**
 * kill -9 of the built app while it consumes the EventBridge → SQS queue of Auth0 Event Streams:
 * between its commit and its delete, and between its receive and its commit. After a restart
 * every event is stored exactly once and the card counts each deleted user once.
 */

const scope = testScope('e2e-event-streams');

const CHANNEL = 'C0ALERTS';
const EVENTS = 30;

const world = async () => {
  const slack = await FakeSlack.start();
  scope.defer(() => slack.stop());
  const sqs = await FakeSqs.start();
  scope.defer(() => sqs.stop());
  const queueUrl = sqs.createQueue('auth0-event-streams');
  const dbPath = scope.dbPath();
  /** A burst of deletions, as EventBridge's rule delivers them to the queue. */
  const sendAll = () => {
    for (let i = 0; i < EVENTS; i += 1) {
      const event = cloudEvent('user.deleted', userObject(`auth0|gone${i}`), {
        id: `evt_e2e_${String(i).padStart(3, '0')}`,
      });
      sqs.send(queueUrl, JSON.stringify(eventBridgeEnvelope(event)));
    }
  };
  const env = validEnv({
    SLACK_BOT_TOKEN: slack.options.botToken,
    SLACK_APP_TOKEN: slack.options.appToken,
    SLACK_API_URL: slack.apiUrl,
    DATABASE_PATH: dbPath,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    EVENT_STREAM_SQS_QUEUE_URL: queueUrl,
  });
  const start = async () => {
    const app = spawnApp(env);
    scope.defer(() => app.stop());
    await app.waitForLog('app.ready', 15_000);
    return app;
  };
  const kill = async (app: AppProcess) => {
    app.child.kill('SIGKILL');
    expect((await app.exited).signal).toBe('SIGKILL');
  };
  /** What the database holds, read from outside as an operator would. */
  const stored = () => {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db
        .prepare<[], { rows: number; ids: number }>(
          'SELECT count(*) AS rows, count(DISTINCT event_id) AS ids FROM tenant_events',
        )
        .get();
    } finally {
      db.close();
    }
  };
  const drained = () =>
    waitFor(
      () => {
        const s = sqs.stats(queueUrl);
        return s.visible + s.inFlight === 0 ? s : undefined;
      },
      { timeoutMs: 20_000 },
    );
  const card = (count: number) =>
    waitFor(
      () =>
        slack
          .channelMessages(CHANNEL)
          .find((m) => m.text?.includes(`${count} users deleted in the last 10 minutes`)),
      { timeoutMs: 15_000 },
    );
  return { slack, sqs, queueUrl, dbPath, sendAll, start, kill, stored, drained, card };
};

describe('the built app killed while consuming Event Streams from SQS', () => {
  it('loses and doubles no event when killed between its commit and its delete', async () => {
    const w = await world();
    w.sendAll();
    const held = w.sqs.holdDeletes();
    const first = await w.start();
    await held.arrived;
    await w.kill(first);
    w.sqs.dropHeldDeletes();
    // The first batch was committed, and none of it deleted.
    const before = w.stored();
    expect(before?.rows).toBeGreaterThan(0);
    expect(w.sqs.stats(w.queueUrl).deleted).toBe(0);

    w.sqs.expireInFlight(w.queueUrl);
    const second = await w.start();
    const after = await w.drained();
    expect(after.deleted).toBe(EVENTS);
    expect(w.stored()).toEqual({ rows: EVENTS, ids: EVENTS });
    await w.card(EVENTS);
    const metrics = await (
      await fetch(`http://127.0.0.1:${String((await second.waitForLog('http.listening')).port)}/metrics`)
    ).text();
    expect(metrics).toContain(
      `auth0oncall_event_stream_events_total{via="sqs",outcome="duplicate"} ${String(before?.rows)}`,
    );
    expect(metrics).toContain(
      `auth0oncall_event_stream_events_total{via="sqs",outcome="accepted"} ${String(EVENTS - (before?.rows ?? 0))}`,
    );
  }, 90_000);

  it('loses and doubles no event when killed between its receive and its commit', async () => {
    const w = await world();
    const first = await w.start();
    // The consumer's long poll is waiting at the fake: it is answered without the app's event loop,
    // which other writers blocked on the lock below may hold up for seconds at a time.
    await waitFor(() => w.sqs.requestsFor('ReceiveMessage').find((r) => r.status === 0), {
      timeoutMs: 30_000,
    });
    // Another writer holds the database: the app has the messages in hand and cannot commit them.
    const blocker = new Database(w.dbPath);
    scope.defer(() => {
      if (blocker.inTransaction) blocker.exec('ROLLBACK');
      blocker.close();
    });
    blocker.exec('BEGIN IMMEDIATE');
    w.sendAll();
    await waitFor(() => (w.sqs.stats(w.queueUrl).inFlight > 0 ? true : undefined), { timeoutMs: 30_000 });
    await w.kill(first);
    blocker.exec('ROLLBACK');
    expect(w.sqs.stats(w.queueUrl).deleted).toBe(0);
    // Received, never committed.
    expect(w.stored()?.rows).toBe(0);

    w.sqs.expireInFlight(w.queueUrl);
    await w.start();
    await w.drained();
    expect(w.stored()).toEqual({ rows: EVENTS, ids: EVENTS });
    expect(w.sqs.stats(w.queueUrl).deleted).toBe(EVENTS);
    await w.card(EVENTS);
  }, 90_000);
});
