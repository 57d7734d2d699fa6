-- 002: tenant log ingestion and watcher readings.
-- log_events doubles as the dedupe set shared by the poller and the Log Stream receiver (one row
-- per log_id, whichever source saw it first) and as the recent history detection and the thread
-- agent read. It is pruned by age; log_counts keeps per-minute totals much longer for baselines.
-- Both sit on the ingest hot path, so their checks are kept cheap.

CREATE TABLE log_events (
  log_id      TEXT    NOT NULL PRIMARY KEY,
  date        TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  signal      TEXT    NOT NULL,
  scope       TEXT    NOT NULL,
  own         INTEGER NOT NULL CHECK (own IN (0, 1)),
  client_id   TEXT,
  client_name TEXT,
  ip          TEXT,
  connection  TEXT,
  user_name   TEXT,
  user_agent  TEXT,
  description TEXT,
  reason      TEXT,
  source      TEXT    NOT NULL CHECK (source IN ('poll', 'stream')),
  ingested_at TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

-- One secondary index only: every index costs a B-tree insert per event. Evidence and history
-- queries are bounded by a time window, so they walk this index and filter.
CREATE INDEX log_events_date ON log_events (date);

CREATE TABLE log_counts (
  minute    TEXT    NOT NULL,
  signal    TEXT    NOT NULL,
  scope     TEXT    NOT NULL,
  count     INTEGER NOT NULL CHECK (count >= 0),
  own_count INTEGER NOT NULL DEFAULT 0 CHECK (own_count >= 0 AND own_count <= count),
  -- Signal first: detection reads one signal over a window of minutes, and needs no other index.
  PRIMARY KEY (signal, minute, scope)
) STRICT, WITHOUT ROWID;

CREATE INDEX log_counts_minute ON log_counts (minute);

-- The latest reading of each watcher (signing keys, certificates, credentials), for status and
-- for diffing on the next run across restarts.
CREATE TABLE watcher_readings (
  watcher    TEXT    NOT NULL PRIMARY KEY,
  at         TEXT    NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', at) IS at),
  ok         INTEGER NOT NULL CHECK (ok IN (0, 1)),
  summary    TEXT    NOT NULL,
  state      TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(state))
) STRICT;
