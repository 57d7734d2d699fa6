import { createOutboxDelivery } from '../../src/core/outbox/delivery.js';
import type { Outbox, OutboxChat } from '../../src/core/outbox/ports.js';
import type { IncidentChat } from '../../src/core/incidents/ports.js';
import { SqliteOutboxStore, type StoreDatabase } from '../../src/store/index.js';

/** A recording IncidentChat as the outbox's chat; it never loses an outcome, so finds nothing. */
export const outboxChatOver = (chat: IncidentChat): OutboxChat => ({
  async post(entry) {
    try {
      return { ok: true, ts: (await chat.post(entry.channel, entry.message, entry.threadTs)).ts };
    } catch (error) {
      return { ok: false, permanent: false, reason: String(error) };
    }
  },
  findPosted: () => Promise.resolve(undefined),
});

/**
 * The real outbox (SQLite table, delivery with backoff) over a test's recording IncidentChat.
 * `settled()` waits for the deliveries `nudge` started: await it before closing the database, or
 * a delivery still under way writes to a closed database. It rethrows what a delivery threw.
 */
export const chatOutbox = (
  db: StoreDatabase,
  chat: IncidentChat,
  now: () => Date = () => new Date(),
): Outbox & { settled(): Promise<void> } => {
  const store = new SqliteOutboxStore(db);
  const delivery = createOutboxDelivery({ store, now, chat: outboxChatOver(chat) });
  const inflight = new Set<Promise<void>>();
  const failures: unknown[] = [];
  return {
    enqueue: (m, at) => store.enqueue(m, at),
    deliver: () => delivery.deliver(),
    nudge: () => {
      const run: Promise<void> = delivery.deliver().then(
        () => {
          inflight.delete(run);
        },
        (error: unknown) => {
          inflight.delete(run);
          failures.push(error);
        },
      );
      inflight.add(run);
    },
    async settled() {
      while (inflight.size > 0) await Promise.all([...inflight]);
      if (failures.length > 0) throw failures[0];
    },
  };
};
