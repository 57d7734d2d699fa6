-- 008: JWKS-refresh hooks. A signing-key rotation or revocation is one notification; each hook URL
-- gets one delivery row, written in the same transaction, posted with retries and backoff by the
-- `jwks.hooks` job (docs/decisions/0011-jwks-refresh-hooks.md).
CREATE TABLE jwks_hook_notifications (
  -- `rotated:<kid>`, `revoked:<kid>`, `log:<log id>` or `resend:<step key>`: one notification per
  -- change however many sources (watcher, log) report it.
  id           TEXT    PRIMARY KEY,
  -- The JSON body every hook receives (the signature is computed per attempt, never stored).
  body         TEXT    NOT NULL,
  kid          TEXT,
  -- The incident whose thread hears the outcome; NULL: the open signing-key incident at that time.
  incident_id  TEXT,
  created_at   TEXT    NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', created_at) IS created_at),
  -- When the outcome line was queued for the thread (or given up on): NULL while still to report.
  reported_at  TEXT
) STRICT;

CREATE TABLE jwks_hook_deliveries (
  id              INTEGER PRIMARY KEY,
  notification_id TEXT    NOT NULL REFERENCES jwks_hook_notifications (id),
  url             TEXT    NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT    NOT NULL,
  state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  -- The receiver's last HTTP status (NULL: no answer).
  status          INTEGER,
  last_error      TEXT,
  finished_at     TEXT,
  UNIQUE (notification_id, url)
) STRICT;
CREATE INDEX jwks_hook_deliveries_pending ON jwks_hook_deliveries (state, id);
CREATE INDEX jwks_hook_notifications_unreported ON jwks_hook_notifications (reported_at);
