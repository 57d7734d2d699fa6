import type { ManagementClient } from 'auth0';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAuth0, ManualClock, type LogEntry } from '@auth0-oncall/fakes/auth0';
import { getJson, managementClient } from './helpers.js';

let fake: FakeAuth0;
let clock: ManualClock;
let client: ManagementClient;
let token: string;

beforeEach(async () => {
  clock = new ManualClock(Date.parse('2026-03-01T12:00:00.000Z'));
  // Generous limits: these tests are about paging, not rate limiting.
  fake = await FakeAuth0.start({ now: clock.now, plan: 'enterprise', logRateLimits: false });
  fake.addClient({ clientId: 'watcher', name: 'oncall-watcher', secret: 'watcher-secret' });
  token = fake.issueToken('watcher');
  // A static token keeps the log free of the watcher's own seccft entries.
  client = managementClient(fake, { token });
});

afterEach(async () => {
  await fake.stop();
});

function userLogs(count: number, start = clock.now()): LogEntry[] {
  return fake.appendLogs(
    Array.from({ length: count }, (_v, i) => ({ type: i % 10 === 0 ? 'fp' : 's', date: start + i * 1000 })),
  );
}

function nextFrom(link: string | null): string {
  const match = /^<([^>]+)>; rel="next"$/.exec(link ?? '');
  if (match?.[1] === undefined) throw new Error(`no next link in ${String(link)}`);
  return new URL(match[1]).searchParams.get('from') ?? '';
}

describe('FakeAuth0 log ids', () => {
  it('assigns 56-digit log_ids that increase with time, with _id equal to log_id', () => {
    const entries = userLogs(3);
    for (const entry of entries) {
      expect(entry.log_id).toMatch(/^\d{56}$/);
      expect(entry._id).toBe(entry.log_id);
    }
    expect(entries[0]?.log_id.startsWith('90020260301120000000')).toBe(true);
    expect([...entries].map((e) => e.log_id).sort()).toEqual(entries.map((e) => e.log_id));
  });

  it('gives a late entry (dated before the last one) a larger log_id, as ingestion order', () => {
    const [first] = userLogs(1);
    const [late] = fake.appendLogs([{ type: 's', date: clock.now() - 3_600_000 }]);
    expect(late!.log_id > first!.log_id).toBe(true);
    expect(late!.date).toBe('2026-03-01T11:00:00.000Z');
  });
});

describe('FakeAuth0 GET /api/v2/logs checkpoint mode', () => {
  it('serves the SDK workaround logs.list({}, {queryParams: {from, take}}) as a bare array with a Link header', async () => {
    const [first, ...rest] = userLogs(5);
    const page = await client.logs.list({}, { queryParams: { from: first!.log_id, take: 100 } });
    // The SDK still sends its search defaults; checkpoint mode ignores everything but from/take.
    const sent = fake.requestsTo('/api/v2/logs').at(-1);
    expect(sent?.query).toEqual({
      page: '0',
      per_page: '50',
      include_totals: 'true',
      from: first!.log_id,
      take: '100',
    });
    expect(page.data).toEqual([]);
    expect(page.response).toEqual(rest);
    const link = page.rawResponse.headers.get('link');
    expect(link).toBe(
      `<https://acme.eu.auth0.com/api/v2/logs?from=${rest.at(-1)!.log_id}&take=100>; rel="next"`,
    );
  });

  it('walks every entry exactly once by following Link, and the empty page repeats the same next URL', async () => {
    const all = userLogs(250);
    const seed = await getJson(fake, '/api/v2/logs?sort=date:1&per_page=1', token);
    const oldest = (seed.body as LogEntry[])[0]!;
    const seen = [oldest.log_id];
    let from = oldest.log_id;
    for (;;) {
      const page = await client.logs.list({}, { queryParams: { from, take: 100 } });
      const entries = page.response as unknown[];
      const next = nextFrom(page.rawResponse.headers.get('link'));
      if (entries.length === 0) {
        expect(next).toBe(from);
        break;
      }
      seen.push(...(entries as LogEntry[]).map((entry) => entry.log_id));
      from = next;
    }
    expect(seen).toEqual(all.map((entry) => entry.log_id));
  });

  it('returns entries in log_id order, not date order, and ignores q and sort', async () => {
    const [anchor] = userLogs(1);
    const late = fake.appendLogs([{ type: 'f', date: clock.now() - 60_000 }]);
    const reply = await getJson(
      fake,
      `/api/v2/logs?from=${anchor!.log_id}&take=10&q=type:s&sort=date:1`,
      token,
    );
    expect(reply.body).toEqual(late);
  });

  it('rejects take above 100 and a from that is not a log id', async () => {
    expect((await getJson(fake, '/api/v2/logs?from=1&take=101', token)).status).toBe(400);
    expect((await getJson(fake, '/api/v2/logs?from=abc&take=10', token)).status).toBe(400);
  });
});

describe('FakeAuth0 GET /api/v2/logs search mode', () => {
  it('seeds a checkpoint with sort=date:-1&per_page=1 and wraps results when include_totals is set', async () => {
    const entries = userLogs(30);
    const page = await client.logs.list({ sort: 'date:-1', per_page: 1 });
    expect(page.response).toEqual({ start: 0, limit: 1, length: 1, total: 1, logs: [entries.at(-1)] });
    expect(page.data).toEqual([entries.at(-1)]);
  });

  it('filters with q (type wildcard, date range, client_id, AND)', async () => {
    const start = clock.now();
    fake.appendLogs([
      { type: 'fp', date: start, client_id: 'a' },
      { type: 'fu', date: start + 60_000, client_id: 'a' },
      { type: 's', date: start + 120_000, client_id: 'a' },
      { type: 'f', date: start + 180_000, client_id: 'b' },
    ]);
    const q = encodeURIComponent('type:f* AND date:[2026-03-01T12:01:00Z TO *] AND client_id:a');
    const reply = await getJson(fake, `/api/v2/logs?q=${q}&sort=date:1`, token);
    expect((reply.body as LogEntry[]).map((e) => e.type)).toEqual(['fu']);
    const either = await getJson(
      fake,
      `/api/v2/logs?q=${encodeURIComponent('type:(fp OR f)')}&sort=date:1`,
      token,
    );
    expect((either.body as LogEntry[]).map((e) => e.type)).toEqual(['fp', 'f']);
  });

  it('pages with page/per_page, caps per_page at 100 and refuses to reach past 1000 results', async () => {
    userLogs(120);
    const second = await getJson(fake, '/api/v2/logs?page=1&per_page=100&sort=date:1', token);
    expect(second.body).toHaveLength(20);
    expect((await getJson(fake, '/api/v2/logs?per_page=101', token)).status).toBe(400);
    expect((await getJson(fake, '/api/v2/logs?page=9&per_page=100', token)).status).toBe(200);
    const beyond = await getJson(fake, '/api/v2/logs?page=10&per_page=100', token);
    expect(beyond.status).toBe(400);
    expect(beyond.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it('keeps only the requested fields', async () => {
    userLogs(1);
    const reply = await getJson(fake, '/api/v2/logs?fields=log_id,type&include_fields=true', token);
    expect(Object.keys((reply.body as object[])[0] ?? {})).toEqual(['log_id', 'type']);
  });
});

describe('FakeAuth0 GET /api/v2/logs/{id} and raw entries', () => {
  it('gets one entry by id through the SDK and 404s an unknown id', async () => {
    const [entry] = userLogs(1);
    expect(await client.logs.get(entry!.log_id)).toEqual(entry);
    expect((await getJson(fake, '/api/v2/logs/900123', token)).status).toBe(404);
  });

  it('serves appendRaw objects verbatim in their place in the checkpoint order', async () => {
    const [anchor] = userLogs(1);
    fake.appendRaw([{ type: 's', date: 'not a date' }, { log_id: 42 }]);
    const reply = await getJson(fake, `/api/v2/logs?from=${anchor!.log_id}&take=10`, token);
    expect(reply.body).toEqual([{ type: 's', date: 'not a date' }, { log_id: 42 }]);
    expect(fake.logCount()).toBe(3);
  });
});
