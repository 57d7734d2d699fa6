import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHookDelivery } from '../../../../src/core/jwks-hooks/delivery.js';
import type { HookNotification, HookResult } from '../../../../src/core/jwks-hooks/ports.js';
import { createFetchHookSender } from '../../../../src/http/hook-sender.js';
import { openDatabase, SqliteJwksHookStore, type StoreDatabase } from '../../../../src/store/index.js';
import { startHookReceiver, type HookReceiver } from '../../../helpers/hook-receiver.js';

const SECRET = 'jwks-refresh-secret-for-tests-0123456789abcdef';

let db: StoreDatabase;
let store: SqliteJwksHookStore;
let receiver: HookReceiver;
let clock: number;
const reports: Array<{ notification: HookNotification; results: readonly HookResult[] }> = [];
let reportAccepted = true;

const notification = (id: string, body = `{"id":"${id}","kid":"kid-new"}`): HookNotification => ({
  id,
  body,
  kid: 'kid-new',
  incidentId: null,
  createdAt: new Date(clock).toISOString(),
});

const delivery = (over: { maxAttempts?: number } = {}) =>
  createHookDelivery({
    store,
    sender: createFetchHookSender({ timeoutMs: 2_000 }),
    secret: SECRET,
    now: () => new Date(clock),
    baseDelayMs: 1_000,
    maxAttempts: over.maxAttempts ?? 4,
    report: (n, results) => {
      reports.push({ notification: n, results });
      return Promise.resolve(reportAccepted);
    },
  });

beforeEach(async () => {
  db = openDatabase({ path: ':memory:' });
  store = new SqliteJwksHookStore(db);
  receiver = await startHookReceiver(SECRET);
  clock = Date.parse('2026-03-02T09:00:00.000Z');
  reports.length = 0;
  reportAccepted = true;
});
afterEach(async () => {
  await receiver.stop();
  db.close();
});

describe('JWKS-refresh hook delivery', () => {
  it('posts the body to every URL with a signature the receiver verifies, and reports who acknowledged', async () => {
    store.create(notification('rotated:kid-new'), [receiver.url('/a'), receiver.url('/b')]);
    await delivery().deliver();

    expect(receiver.received.map((r) => r.path).sort()).toEqual(['/a', '/b']);
    for (const r of receiver.received) {
      expect(r.signatureValid).toBe(true);
      expect(r.body).toBe('{"id":"rotated:kid-new","kid":"kid-new"}');
      expect(r.headers['x-auth0-oncall-event-id']).toBe('rotated:kid-new');
      expect(r.headers['content-type']).toBe('application/json');
    }
    expect(reports).toHaveLength(1);
    expect(reports[0]?.results.map((r) => [r.state, r.status])).toEqual([
      ['delivered', 204],
      ['delivered', 204],
    ]);
    expect(store.unreported(10)).toEqual([]);
  });

  it('retries a receiver that fails first, with a fresh signature, after its backoff', async () => {
    receiver.answer(503);
    store.create(notification('rotated:kid-new'), [receiver.url()]);
    const d = delivery();
    await d.deliver();
    expect(receiver.received).toHaveLength(1);
    expect(reports).toEqual([]);

    // Not yet due: the backoff (1 s) has not passed.
    await d.deliver();
    expect(receiver.received).toHaveLength(1);

    clock += 1_000;
    await d.deliver();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    const [first, second] = receiver.received.map(
      (r) => /t=(\d+)/.exec(String(r.headers['x-auth0-oncall-signature']))?.[1],
    );
    expect(Number(second) - Number(first)).toBe(1);
    expect(reports[0]?.results).toEqual([
      { url: receiver.url(), state: 'delivered', status: 204, attempts: 2 },
    ]);
  });

  it('gives up on a receiver that refuses the request (a 4xx) at once, and says so', async () => {
    receiver.answer(401);
    store.create(notification('rotated:kid-new'), [receiver.url()]);
    await delivery().deliver();
    expect(receiver.received).toHaveLength(1);
    expect(reports[0]?.results).toEqual([{ url: receiver.url(), state: 'failed', status: 401, attempts: 1 }]);
  });

  it('gives up after the last attempt on a receiver that keeps failing', async () => {
    receiver.answer(500, 502, 503);
    store.create(notification('rotated:kid-new'), [receiver.url()]);
    const d = delivery({ maxAttempts: 3 });
    for (let i = 0; i < 3; i += 1) {
      await d.deliver();
      clock += 60_000;
    }
    expect(receiver.received).toHaveLength(3);
    expect(reports[0]?.results).toEqual([{ url: receiver.url(), state: 'failed', status: 503, attempts: 3 }]);
  });

  it('retries a URL where nothing listens, and one acknowledgement does not wait for the other', async () => {
    const closed = await startHookReceiver(SECRET);
    const deadUrl = closed.url('/gone');
    await closed.stop();
    store.create(notification('rotated:kid-new'), [receiver.url(), deadUrl]);
    await delivery().deliver();
    expect(receiver.received).toHaveLength(1);
    const results = store.results('rotated:kid-new');
    expect(results.find((r) => r.url === deadUrl)).toMatchObject({
      state: 'pending',
      status: null,
      attempts: 1,
    });
    expect(reports).toEqual([]);
  });

  it('asks again to report an outcome whose incident has no thread yet, and gives up after ten minutes', async () => {
    reportAccepted = false;
    store.create(notification('rotated:kid-new'), [receiver.url()]);
    const d = delivery();
    await d.deliver();
    await d.deliver();
    expect(reports).toHaveLength(2);
    expect(store.unreported(10)).toHaveLength(1);
    clock += 11 * 60_000;
    await d.deliver();
    expect(store.unreported(10)).toEqual([]);
  });

  it('queues one notification per id, however often a change is reported', async () => {
    expect(store.create(notification('rotated:kid-new'), [receiver.url()])).toBe(true);
    expect(store.create(notification('rotated:kid-new'), [receiver.url()])).toBe(false);
    await delivery().deliver();
    expect(receiver.received).toHaveLength(1);
  });

  it('never stores the secret: the database holds the body and the outcome only', async () => {
    receiver.answer(503);
    store.create(notification('rotated:kid-new'), [receiver.url()]);
    await delivery().deliver();
    const dump = JSON.stringify([
      db.db.prepare('SELECT * FROM jwks_hook_notifications').all(),
      db.db.prepare('SELECT * FROM jwks_hook_deliveries').all(),
    ]);
    expect(dump).toContain('HTTP 503');
    expect(dump).not.toContain(SECRET);
  });
});
