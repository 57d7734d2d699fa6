import { request } from 'node:http';
import { Writable } from 'node:stream';
import { cloudEvent, userObject } from '@auth0-oncall/fakes/auth0';
import { afterEach, describe, expect, it } from 'vitest';
import { createTenantEventIngester } from '../../../src/core/event-streams/ingest.js';
import { createEventStreamRoute } from '../../../src/http/event-stream.js';
import { createHttpServer, type HttpServer } from '../../../src/http/server.js';
import { createLogger } from '../../../src/logger.js';
import { createMetrics } from '../../../src/metrics/app-metrics.js';
import { openDatabase, SqliteTenantEventStore, type StoreDatabase } from '../../../src/store/index.js';

const TOKEN = 'event-stream-token-0123456789abcdef';
const BASIC = `Basic ${Buffer.from('auth0:basic-password-0123456789').toString('base64')}`;
const logger = createLogger(
  { level: 'silent' },
  new Writable({
    write(_c, _e, cb) {
      cb();
    },
  }),
);

let server: HttpServer | undefined;
let db: StoreDatabase | undefined;
afterEach(async () => {
  await server?.close();
  db?.close();
});

const start = async (
  options: { maxBodyBytes?: number; failCommit?: boolean; bodyDeadlineMs?: number } = {},
) => {
  db = openDatabase({ path: ':memory:' });
  const store = new SqliteTenantEventStore(db);
  const database = db;
  const ingester = createTenantEventIngester({
    store,
    uow: {
      transaction: (fn) =>
        database.transaction(() => {
          const result = fn();
          if (options.failCommit) throw new Error('disk I/O error');
          return result;
        }),
    },
    now: () => new Date(),
    onIngested: () => undefined,
  });
  const outcomes: string[] = [];
  server = createHttpServer({
    logger,
    registry: createMetrics({ version: 'x' }).registry,
    readiness: () => [],
    info: () => ({}),
    routes: [
      createEventStreamRoute({
        authorizations: [`Bearer ${TOKEN}`, BASIC],
        ingest: (values) => ingester.ingestValues(values),
        logger,
        ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
        ...(options.bodyDeadlineMs === undefined ? {} : { bodyDeadlineMs: options.bodyDeadlineMs }),
        onRequest: (o) => outcomes.push(o),
      }),
    ],
  });
  const { port } = await server.listen(0, '127.0.0.1');
  const post = (
    body: string,
    auth: string | null = `Bearer ${TOKEN}`,
    type = 'application/cloudevents+json',
  ) =>
    fetch(`http://127.0.0.1:${port}/auth0/event-stream`, {
      method: 'POST',
      headers: { 'content-type': type, ...(auth === null ? {} : { authorization: auth }) },
      body,
    });
  const stored = () =>
    database.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM tenant_events').get()?.n;
  const rejects = () =>
    database.db
      .prepare<[], { reason: string; ref: string | null }>('SELECT reason, ref FROM tenant_event_rejects')
      .all();
  return { post, port, outcomes, stored, rejects, store };
};

const deleted = (n: number) =>
  cloudEvent('user.deleted', userObject(`auth0|${n}`), { id: `evt_deleted${n}` });

describe('POST /auth0/event-stream', () => {
  it('stores a single event and a batch, and counts a redelivery once', async () => {
    const { post, stored } = await start();
    const one = await post(JSON.stringify(deleted(1)));
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({ accepted: 1, duplicates: 0, rejected: 0 });
    const batch = JSON.stringify([deleted(1), deleted(2), deleted(3)]);
    const res = await post(batch, `Bearer ${TOKEN}`, 'application/cloudevents-batch+json');
    expect(await res.json()).toEqual({ accepted: 2, duplicates: 1, rejected: 0 });
    expect(await (await post(batch)).json()).toEqual({ accepted: 0, duplicates: 3, rejected: 0 });
    expect(stored()).toBe(3);
  });

  it('accepts Basic authorization as configured', async () => {
    const { post, stored } = await start();
    expect((await post(JSON.stringify(deleted(1)), BASIC)).status).toBe(200);
    expect(stored()).toBe(1);
  });

  it.each([
    ['no authorization', null],
    ['a wrong token', 'Bearer nope'],
    ['the token without Bearer', TOKEN],
    ['a longer token', `Bearer ${TOKEN}x`],
    ['wrong Basic credentials', `Basic ${Buffer.from('auth0:wrong').toString('base64')}`],
  ])('refuses %s with 401 and stores nothing', async (_label, auth) => {
    const { post, stored, outcomes } = await start();
    const res = await post(JSON.stringify(deleted(1)), auth);
    expect(res.status).toBe(401);
    expect(stored()).toBe(0);
    expect(outcomes).toEqual(['unauthorized']);
  });

  it('answers a wrong authorization before reading the body, even an oversized one', async () => {
    const { post, outcomes } = await start({ maxBodyBytes: 1024 });
    const big = JSON.stringify(Array.from({ length: 100 }, (_, i) => deleted(i)));
    expect((await post(big, 'Bearer nope')).status).toBe(401);
    expect(outcomes).toEqual(['unauthorized']);
  });

  it('refuses an oversized body with 413, declared or streamed, and stores nothing', async () => {
    const { post, port, stored } = await start({ maxBodyBytes: 1024 });
    const big = JSON.stringify(Array.from({ length: 20 }, (_, i) => deleted(i)));
    expect((await post(big)).status).toBe(413);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/auth0/event-stream',
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 4; i += 1) req.write(big.slice(i * 400, (i + 1) * 400));
      req.end();
    });
    expect(status).toBe(413);
    expect(stored()).toBe(0);
  });

  it('answers 503 (which Auth0 retries) when the body does not arrive in time', async () => {
    const { port, stored, outcomes } = await start({ bodyDeadlineMs: 200 });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/auth0/event-stream',
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-length': '1000' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('[');
    });
    expect(status).toBe(503);
    expect(outcomes).toEqual(['timeout']);
    expect(stored()).toBe(0);
  });

  it.each([
    ['not JSON', '{"specversion":'],
    ['a JSON string', '"user.deleted"'],
    ['a number', '42'],
  ])('refuses a body that is %s with 400', async (_label, body) => {
    const { post, stored } = await start();
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(stored()).toBe(0);
  });

  it('stores the good events of a batch and sets the malformed ones aside, counted, without their content', async () => {
    const { post, stored, rejects } = await start();
    const noTime = { ...deleted(2), time: 'yesterday' };
    const wrongVersion = { ...deleted(3), specversion: '0.3' };
    const res = await post(
      JSON.stringify([deleted(1), noTime, wrongVersion, 'hello', { specversion: '1.0' }]),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: 4 });
    expect(stored()).toBe(1);
    const reasons = rejects();
    expect(reasons.map((r) => r.ref)).toEqual(['evt_deleted2', 'evt_deleted3', null, null]);
    expect(reasons[0]?.reason).toMatch(/^time:/);
    expect(JSON.stringify(reasons)).not.toContain('example.com');
  });

  it('answers 500 and stores nothing when the commit fails, so Auth0 delivers again', async () => {
    const { post, stored } = await start({ failCommit: true });
    const res = await post(JSON.stringify([deleted(1), deleted(2)]));
    expect(res.status).toBe(500);
    expect(stored()).toBe(0);
  });
});
