-- 004: the runbook agent's memory of each incident thread, and the Slack events already answered.
CREATE TABLE thread_messages (
  id          INTEGER PRIMARY KEY,
  incident_id TEXT    NOT NULL REFERENCES incidents (id),
  thread_ts   TEXT    NOT NULL,
  role        TEXT    NOT NULL CHECK (role IN ('user', 'assistant')),
  text        TEXT    NOT NULL,
  at          TEXT    NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', at) IS at),
  -- The Slack message that carried a user turn; an answer has none.
  event_id    TEXT    UNIQUE
) STRICT;
CREATE INDEX thread_messages_by_thread ON thread_messages (incident_id, thread_ts, id);

-- One row per Slack event or message answered: redeliveries and the app_mention + message pair
-- of one mention find their key taken. Survives restarts.
CREATE TABLE thread_event_claims (
  event_key  TEXT NOT NULL PRIMARY KEY,
  claimed_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', claimed_at) IS claimed_at)
) STRICT;
