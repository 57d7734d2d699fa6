import { afterEach, describe, expect, it } from 'vitest';
import { createOutboxDelivery } from '../../../../src/core/outbox/delivery.js';
import type { OutboxChat, OutboxMessage, PostOutcome } from '../../../../src/core/outbox/ports.js';
import { openDatabase, SqliteOutboxStore, type StoreDatabase } from '../../../../src/store/index.js';

/** A chat whose answers are scripted per call; it records what it was asked. */
class ScriptedChat implements OutboxChat {
  readonly posted: string[] = [];
  readonly looked: string[] = [];
  answers: PostOutcome[] = [];
  found = new Map<string, string>();
  private n = 0;
  post(entry: OutboxMessage): Promise<PostOutcome> {
    const answer = this.answers.shift() ?? {
      ok: true,
      ts: `1700000000.${String(++this.n).padStart(6, '0')}`,
    };
    if (answer.ok) this.posted.push(entry.key);
    return Promise.resolve(answer);
  }
  findPosted(entry: OutboxMessage): Promise<string | undefined> {
    this.looked.push(entry.key);
    return Promise.resolve(this.found.get(entry.key));
  }
}

let db: StoreDatabase;
afterEach(() => {
  db.close();
});

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const setup = () => {
  db = openDatabase({ path: ':memory:' });
  const store = new SqliteOutboxStore(db);
  const chat = new ScriptedChat();
  let now = T0;
  const errors: string[] = [];
  const delivery = createOutboxDelivery({
    store,
    chat,
    now: () => new Date(now),
    baseDelayMs: 1_000,
    maxDelayMs: 8_000,
    onError: (what) => errors.push(what),
  });
  const enqueue = (key: string, threadTs: string | undefined = '1700000000.000001') =>
    store.enqueue(
      { key, channel: 'C0ALERTS', ...(threadTs ? { threadTs } : {}), message: { text: key } },
      new Date(now).toISOString(),
    );
  const row = (key: string) =>
    db.db
      .prepare<[string], { state: string; attempts: number; next_attempt_at: string }>(
        'SELECT state, attempts, next_attempt_at FROM slack_outbox WHERE dedupe_key = ?',
      )
      .get(key);
  return { store, chat, delivery, enqueue, row, errors, advance: (ms: number) => (now += ms) };
};

const down: PostOutcome = { ok: false, permanent: false, reason: 'server error (HTTP 500)' };

describe('the outbox delivery', () => {
  it('enqueues a key once and delivers it once', async () => {
    const t = setup();
    expect(t.enqueue('a')).toBe(true);
    expect(t.enqueue('a')).toBe(false);
    await t.delivery.deliver();
    await t.delivery.deliver();
    expect(t.chat.posted).toEqual(['a']);
    expect(t.row('a')?.state).toBe('delivered');
  });

  it('backs off exponentially, never before Retry-After, and keeps a thread in order meanwhile', async () => {
    const t = setup();
    t.enqueue('first');
    t.enqueue('second');
    t.enqueue('elsewhere', '1700000000.000099');
    t.chat.answers = [down];
    await t.delivery.deliver();
    // The thread's first line failed, so its second waits; another thread goes on.
    expect(t.chat.posted).toEqual(['elsewhere']);
    expect(t.row('first')?.next_attempt_at).toBe(new Date(T0 + 1_000).toISOString());

    t.advance(999);
    await t.delivery.deliver();
    expect(t.chat.looked).toEqual([]);

    t.advance(1);
    t.chat.answers = [{ ok: false, permanent: false, retryAfterMs: 30_000, reason: 'rate limited' }];
    await t.delivery.deliver();
    // The second try was after an attempt whose outcome is known only as a failure: looked first.
    expect(t.chat.looked).toEqual(['first']);
    expect(t.row('first')?.next_attempt_at).toBe(new Date(T0 + 1_000 + 30_000).toISOString());

    t.advance(30_000);
    t.chat.answers = [down];
    await t.delivery.deliver();
    expect(t.row('first')).toMatchObject({ attempts: 3 });
    expect(t.row('first')?.next_attempt_at).toBe(new Date(T0 + 31_000 + 4_000).toISOString());

    t.advance(4_000);
    await t.delivery.deliver();
    expect(t.chat.posted).toEqual(['elsewhere', 'first', 'second']);
  });

  it('marks a message delivered without posting when an earlier attempt is found in Slack', async () => {
    const t = setup();
    t.enqueue('a');
    t.chat.answers = [down];
    await t.delivery.deliver();
    t.chat.found.set('a', '1700000000.000777');
    t.advance(60_000);
    await t.delivery.deliver();
    expect(t.chat.posted).toEqual([]);
    expect(t.row('a')?.state).toBe('delivered');
  });

  it('gives up on a message Slack refuses for good, and lets the thread go on', async () => {
    const t = setup();
    t.enqueue('gone');
    t.enqueue('next');
    t.chat.answers = [{ ok: false, permanent: true, reason: 'request refused (thread_not_found)' }];
    await t.delivery.deliver();
    expect(t.row('gone')?.state).toBe('failed');
    expect(t.chat.posted).toEqual(['next']);
    expect(t.errors).toEqual(['outbox gone']);
  });

  it('serves concurrent callers with one pass and one more, never posting a message twice', async () => {
    const t = setup();
    t.enqueue('a');
    const first = t.delivery.deliver();
    t.enqueue('b');
    await Promise.all([first, t.delivery.deliver(), t.delivery.deliver()]);
    expect(t.chat.posted).toEqual(['a', 'b']);
  });
});
