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

/** The real outbox (SQLite table, delivery with backoff) over a test's recording IncidentChat. */
export const chatOutbox = (
  db: StoreDatabase,
  chat: IncidentChat,
  now: () => Date = () => new Date(),
): Outbox => {
  const store = new SqliteOutboxStore(db);
  const delivery = createOutboxDelivery({ store, now, chat: outboxChatOver(chat) });
  return {
    enqueue: (m, at) => store.enqueue(m, at),
    deliver: () => delivery.deliver(),
    nudge: () => void delivery.deliver(),
  };
};
