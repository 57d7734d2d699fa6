import { request } from 'node:http';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogIngester } from '../../../src/core/logs/ingest.js';
import { createLogStreamRoute, parseLogStreamBody } from '../../../src/http/log-stream.js';
import { createMetrics } from '../../../src/metrics/app-metrics.js';
import { createHttpServer, type HttpServer } from '../../../src/http/server.js';
import { createLogger } from '../../../src/logger.js';
import { SqliteCheckpointStore, openDatabase, type StoreDatabase } from '../../../src/store/index.js';
import { SqliteLogStore } from '../../../src/store/sqlite-log-store.js';

const TOKEN = 'log-stream-token-0123456789abcdef';
const logger = createLogger(
  { level: 'silent' },
  new Writable({
    write(_c, _e, cb) {
      cb();
    },
  }),
);

let server: HttpServer | undefined;
let store: StoreDatabase | undefined;
afterEach(async () => {
  await server?.close();
  store?.close();
});

const start = async (
  maxBodyBytes = 4096,
  hooks: Pick<Parameters<typeof createLogIngester>[0], 'onMalformed' | 'sinks'> = {},
) => {
  store = openDatabase({ path: ':memory:' });
  const logs = new SqliteLogStore(store);
  const ingester = createLogIngester({
    store: logs,
    checkpoints: new SqliteCheckpointStore(store),
    uow: store,
    botClientId: 'botClient0001',
    now: () => new Date(),
    ...hooks,
  });
  const outcomes: string[] = [];
  server = createHttpServer({
    logger,
    registry: createMetrics({ version: 'x' }).registry,
    readiness: () => [],
    info: () => ({}),
    routes: [
      createLogStreamRoute({
        token: TOKEN,
        ingester,
        logger,
        maxBodyBytes,
        onRequest: (o) => outcomes.push(o),
      }),
    ],
  });
  const { port } = await server.listen(0, '127.0.0.1');
  const post = (body: string, auth: string | null = `Bearer ${TOKEN}`) =>
    fetch(`http://127.0.0.1:${port}/auth0/log-stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth !== null ? { authorization: auth } : {}) },
      body,
    });
  return { post, logs, outcomes, port };
};

const entry = (id: string) => ({
  log_id: id,
  date: '2026-03-01T12:00:00.000Z',
  type: 'feccft',
  client_id: 'Zx81billing',
});

describe('POST /auth0/log-stream', () => {
  it('ingests a JSON array of {log_id, data} items and counts a redelivery once', async () => {
    const { post, logs } = await start();
    const body = JSON.stringify([
      { log_id: 'a1', data: entry('a1') },
      { log_id: 'a2', data: entry('a2') },
    ]);
    const first = await post(body);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: 2, duplicates: 0, malformed: 0 });
    const again = await post(body);
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 2, malformed: 0 });
    expect(logs.counts({ signals: ['m2m_token_failure'], fromMinute: '2026' })[0]?.count).toBe(2);
  });

  it('accepts JSON lines and a single JSON object with bare entries', async () => {
    const { post, logs } = await start();
    expect((await post(`${JSON.stringify(entry('b1'))}\n${JSON.stringify(entry('b2'))}\n`)).status).toBe(200);
    expect((await post(JSON.stringify(entry('b3')))).status).toBe(200);
    expect(logs.recent({ limit: 10 })).toHaveLength(3);
  });

  it.each([
    ['no token', null],
    ['a wrong token', 'Bearer nope'],
    ['the token without Bearer', TOKEN],
    ['a longer token', `Bearer ${TOKEN}x`],
  ])('refuses %s with 401 and ingests nothing', async (_label, auth) => {
    const { post, logs, outcomes } = await start();
    const res = await post(JSON.stringify([entry('c1')]), auth);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(logs.recent({ limit: 10 })).toEqual([]);
    expect(outcomes).toEqual(['unauthorized']);
  });

  it('refuses an oversized body with 413 and ingests nothing, declared or streamed', async () => {
    const { post, logs, port } = await start(1024);
    const big = JSON.stringify(Array.from({ length: 50 }, (_, i) => entry(`d${i}`)));
    expect((await post(big)).status).toBe(413);
    // Chunked, with no Content-Length: the limit is enforced while reading.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/auth0/log-stream',
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
    expect(logs.recent({ limit: 10 })).toEqual([]);
  });

  it.each([
    ['', 'empty body'],
    ['{not json', 'not JSON'],
    ['[1, 2]', 'item 0 is not an object'],
    ['{"a":1}\nnope', 'not JSON'],
  ])('refuses garbage %j with 400 and a precise message', async (body, message) => {
    const { post, logs } = await start();
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain(message);
    expect(logs.recent({ limit: 10 })).toEqual([]);
  });

  it('skips malformed entries inside a valid batch and counts them', async () => {
    const { post } = await start();
    const res = await post(JSON.stringify([entry('e1'), { log_id: 'e2', type: 'fp' }]));
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, malformed: 1 });
  });
});

describe('a maximal Log Stream body (2 MiB)', () => {
  const MAX = 2 * 1024 * 1024;

  it('reports ~700,000 malformed items as one summary, not one line each', async () => {
    const summaries: Array<{ count: number; examples: readonly unknown[] }> = [];
    const { post } = await start(MAX, { onMalformed: (summary) => summaries.push(summary) });
    const items = Math.floor((MAX - 2) / 3);
    const body = `[${Array.from({ length: items }, () => '{}').join(',')}]`;
    expect(body.length).toBeLessThanOrEqual(MAX);
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 0, duplicates: 0, malformed: items });
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.count).toBe(items);
    expect(summaries[0]?.examples.length).toBeLessThanOrEqual(3);
  });

  it('ingests a large body in chunks, letting the event loop turn between them', async () => {
    let turns = 0;
    const turnsAtCommit: number[] = [];
    const { post } = await start(MAX, {
      sinks: [
        {
          accept: () => {
            turnsAtCommit.push(turns);
            setImmediate(() => {
              turns += 1;
            });
          },
        },
      ],
    });
    const body = JSON.stringify(Array.from({ length: 5_000 }, (_, i) => entry(`big${i}`)));
    const res = await post(body);
    expect(await res.json()).toEqual({ accepted: 5_000, duplicates: 0, malformed: 0 });
    // Several commits, and the loop turned between each pair (Slack acks are answered meanwhile).
    expect(turnsAtCommit.length).toBeGreaterThan(1);
    expect(turnsAtCommit).toEqual(turnsAtCommit.map((_, i) => i));
  });
});

describe('parseLogStreamBody', () => {
  it('prefers the log_id inside data but falls back to the wrapper', async () => {
    const parsed = await parseLogStreamBody(JSON.stringify([{ log_id: 'w', data: { type: 's' } }]));
    expect(parsed).toEqual({ ok: true, items: [{ log_id: 'w', type: 's' }] });
  });

  it.each([
    '[]',
    '[ ]',
    '[{"a":"x,y]}"},{"b":[1,{"c":2}]}]',
    '[{"a":"quote \\" , ]"} , {"b":"back\\\\"}]',
    '[\n {"a":1}\n,\n{"b":[[],{}]}\n]',
  ])('reads the array %j exactly as JSON.parse does', async (body) => {
    expect(await parseLogStreamBody(body)).toEqual({ ok: true, items: JSON.parse(body) as unknown });
  });

  it.each(['[{},]', '[{}]]', '[{} {}]', '[{"a":"open}]', '[,{}]', '[{}'])(
    'refuses the broken array %j as JSON.parse does',
    async (body) => {
      expect(() => JSON.parse(body) as unknown).toThrow();
      expect(await parseLogStreamBody(body)).toMatchObject({ ok: false });
    },
  );
});
