-- 005: the Slack outbox. Every message the app must deliver is a row, written in the same
-- transaction as the change that caused it; a delivery job posts it with retries and backoff.
CREATE TABLE slack_outbox (
  id              INTEGER PRIMARY KEY,
  -- Unique per message: enqueueing the same key twice is a no-op, and the key travels with the
  -- post (chat.postMessage metadata) so a retry after an unknown outcome can find the first post.
  dedupe_key      TEXT    NOT NULL UNIQUE,
  channel         TEXT    NOT NULL,
  thread_ts       TEXT,
  text            TEXT    NOT NULL,
  blocks          TEXT,
  created_at      TEXT    NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
  -- Posts tried so far; above 0 the outcome of the last one may be unknown (a crash mid-post).
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT    NOT NULL,
  state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  posted_ts       TEXT,
  last_error      TEXT,
  finished_at     TEXT
) STRICT;
CREATE INDEX slack_outbox_pending ON slack_outbox (state, id);
