import { cloudEvent, eventBridgeEnvelope, userObject } from '@auth0-oncall/fakes/auth0';
import { FAKE_CREDENTIALS, FakeSqs } from '@auth0-oncall/fakes/aws';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqsClient, SqsEventQueue, type LazySqsClient } from '../../../../src/aws/sqs-event-queue.js';
import {
  createTenantEventIngester,
  type EventIngestResult,
} from '../../../../src/core/event-streams/ingest.js';
import { createQueueConsumer } from '../../../../src/core/event-streams/queue-consumer.js';
import { openDatabase, SqliteTenantEventStore, type StoreDatabase } from '../../../../src/store/index.js';
import { eventually } from '../../../helpers/eventually.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface RunOptions {
  /** Throws inside the transaction for bodies this says (a crash or a bug before the commit). */
  readonly failFor?: (messageIds: readonly string[]) => boolean;
  readonly visibilitySeconds?: number;
  readonly onSleep?: () => void;
}

const setup = async () => {
  const sqs = await FakeSqs.start();
  cleanups.push(() => sqs.stop());
  const queueUrl = sqs.createQueue('auth0-events');
  const db: StoreDatabase = openDatabase({ path: ':memory:' });
  cleanups.push(() => {
    db.close();
  });
  const store = new SqliteTenantEventStore(db);
  const stored = () =>
    db.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM tenant_events').get()?.n ?? 0;
  const rejects = () =>
    db.db
      .prepare<[], { reason: string; ref: string | null; via: string }>(
        'SELECT reason, ref, via FROM tenant_event_rejects',
      )
      .all();

  /** One consumer "process": its own SDK client, ingester and loop; `crash()` drops its connections. */
  const consumer = (options: RunOptions = {}) => {
    const client: LazySqsClient = createSqsClient({
      region: sqs.region,
      endpoint: sqs.endpoint,
      credentials: FAKE_CREDENTIALS,
    });
    const results: EventIngestResult[] = [];
    const sleeps: number[] = [];
    const errors: string[] = [];
    const moved: string[] = [];
    let current: readonly string[] = [];
    const ingester = createTenantEventIngester({
      store,
      uow: {
        transaction: (fn) =>
          db.transaction(() => {
            const out = fn();
            if (options.failFor?.(current)) throw new Error('SQLITE_IOERR: disk I/O error');
            return out;
          }),
      },
      now: () => new Date(),
      // Counted where the app counts them (no onBatch, as production wires it).
      onIngested: (_events, result) => results.push(result),
    });
    const visibilitySeconds = options.visibilitySeconds ?? 30;
    const loop = createQueueConsumer({
      queue: new SqsEventQueue({ client, queueUrl, waitSeconds: 1, visibilitySeconds }),
      ingester: {
        ingestMessages: (messages) => {
          current = messages.map((m) => m.messageId);
          return ingester.ingestMessages(messages);
        },
        moveAside: (m, reason) => {
          current = [];
          ingester.moveAside(m, reason);
        },
      },
      visibilitySeconds,
      maxReceives: 3,
      backoff: { minMs: 100, maxMs: 800 },
      sleep: (ms) => {
        sleeps.push(ms);
        options.onSleep?.();
        return Promise.resolve();
      },
      onMovedAside: (m) => moved.push(m.messageId),
      onError: (stage) => errors.push(stage),
    });
    const controller = new AbortController();
    const running = loop.run(controller.signal);
    const stop = async () => {
      controller.abort();
      await running;
      client.destroy();
    };
    cleanups.push(stop);
    return {
      results,
      sleeps,
      errors,
      moved,
      stop,
      /** As kill -9 leaves it: the loop is abandoned and its connections drop mid-request. */
      crash: () => {
        controller.abort();
        client.destroy();
      },
      accepted: () => results.reduce((n, r) => n + r.accepted, 0),
      duplicates: () => results.reduce((n, r) => n + r.duplicates, 0),
    };
  };

  const sendDeletions = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      sqs.send(
        queueUrl,
        JSON.stringify(
          eventBridgeEnvelope(cloudEvent('user.deleted', userObject(`auth0|u${i}`), { id: `evt_sqs_${i}` })),
        ),
      ),
    );
  const drained = () =>
    eventually(() => {
      const s = sqs.stats(queueUrl);
      return Promise.resolve(s.visible + s.inFlight === 0 ? s : undefined);
    });
  return { sqs, queueUrl, stored, rejects, consumer, sendDeletions, drained };
};

describe('the Event Streams SQS consumer (real SDK against the fake SQS)', () => {
  it('stores each event of the EventBridge envelopes and deletes the messages only after the commit', async () => {
    const { sqs, queueUrl, stored, consumer, sendDeletions, drained } = await setup();
    sendDeletions(12);
    const held = sqs.holdDeletes();
    const c = consumer();
    await held.arrived;
    // The delete has been asked for: by then the events are committed, and nothing is deleted yet.
    expect(stored()).toBeGreaterThan(0);
    expect(sqs.stats(queueUrl).deleted).toBe(0);
    sqs.releaseDeletes();
    await drained();
    expect(stored()).toBe(12);
    expect(sqs.stats(queueUrl).deleted).toBe(12);
    expect(c.accepted()).toBe(12);
    expect(c.duplicates()).toBe(0);
  });

  it('loses nothing and counts nothing twice when the consumer dies between its commit and its delete', async () => {
    const { sqs, queueUrl, stored, consumer, sendDeletions, drained } = await setup();
    sendDeletions(10);
    const held = sqs.holdDeletes();
    const first = consumer();
    await held.arrived;
    first.crash();
    sqs.dropHeldDeletes();
    expect(sqs.stats(queueUrl).deleted).toBe(0);
    const committed = stored();
    expect(committed).toBeGreaterThan(0);
    // The visibility timeout runs out: the queue hands the messages out again.
    sqs.expireInFlight(queueUrl);
    const second = consumer();
    await drained();
    expect(stored()).toBe(10);
    expect(first.accepted() + second.accepted()).toBe(10);
    expect(second.duplicates()).toBe(committed);
  });

  it('loses nothing when the commit fails after the receive, and tries again only after backing off', async () => {
    const { sqs, queueUrl, stored, consumer, sendDeletions, drained } = await setup();
    sendDeletions(3);
    let failing = true;
    const c = consumer({
      failFor: () => failing,
      // Each back-off lasts until the messages are visible again.
      onSleep: () => {
        failing = false;
        sqs.expireInFlight(queueUrl);
      },
    });
    await drained();
    expect(stored()).toBe(3);
    expect(c.accepted()).toBe(3);
    expect(c.errors).toContain('ingest');
    expect(c.sleeps.length).toBeGreaterThan(0);
  });

  it('sets aside a message that is not JSON or not a CloudEvent, counts it and deletes it at once', async () => {
    const { sqs, queueUrl, stored, rejects, consumer, drained } = await setup();
    const bad = sqs.send(queueUrl, 'this is not json');
    const notEvent = sqs.send(
      queueUrl,
      JSON.stringify({ 'detail-type': 'user.deleted', detail: { id: 'x' } }),
    );
    const c = consumer();
    await drained();
    expect(stored()).toBe(0);
    expect(
      rejects()
        .map((r) => r.ref)
        .sort(),
    ).toEqual([bad, 'x'].sort());
    expect(rejects().every((r) => r.via === 'sqs')).toBe(true);
    expect(c.results.reduce((n, r) => n + r.rejected, 0)).toBe(2);
    expect(notEvent).toBeTruthy();
  });

  it('moves aside a message that fails every time once received maxReceives times, backing off between tries', async () => {
    const { sqs, queueUrl, stored, rejects, consumer, sendDeletions, drained } = await setup();
    const [poison] = sendDeletions(1);
    const c = consumer({
      failFor: (ids) => ids.includes(poison ?? ''),
      onSleep: () => sqs.expireInFlight(queueUrl),
    });
    await drained();
    expect(c.moved).toEqual([poison]);
    expect(rejects()).toEqual([{ reason: 'received 3 times and failed each time', ref: poison, via: 'sqs' }]);
    expect(stored()).toBe(0);
    expect(sqs.requestsFor('ReceiveMessage').filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(
      3,
    );
    // Never a hot loop: every failed try waited, each time twice as long.
    expect(c.sleeps.slice(0, 2)).toEqual([100, 200]);
  });

  it('keeps a batch invisible while its delete is held up', async () => {
    const { sqs, queueUrl, consumer, sendDeletions, drained } = await setup();
    sendDeletions(2);
    const held = sqs.holdDeletes();
    consumer({ visibilitySeconds: 1 });
    await held.arrived;
    await eventually(() =>
      Promise.resolve(sqs.requestsFor('ChangeMessageVisibilityBatch').find((r) => r.status === 200)),
    );
    expect(sqs.stats(queueUrl).inFlight).toBe(2);
    sqs.releaseDeletes();
    await drained();
  });

  it('backs off, doubling, when receiving fails, and resumes when SQS is back', async () => {
    const { sqs, stored, consumer, sendDeletions, drained } = await setup();
    sqs.failNext('ReceiveMessage', 3);
    sendDeletions(1);
    const c = consumer();
    await drained();
    expect(stored()).toBe(1);
    expect(c.errors.filter((e) => e === 'receive')).toHaveLength(3);
    expect(c.sleeps.slice(0, 3)).toEqual([100, 200, 400]);
  });
});
