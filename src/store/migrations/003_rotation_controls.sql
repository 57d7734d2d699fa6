-- 003: per-target control of scheduled rotation (the pause_rotation / resume_rotation actions).
CREATE TABLE rotation_controls (
  client_id  TEXT    NOT NULL PRIMARY KEY,
  paused     INTEGER NOT NULL CHECK (paused IN (0, 1)),
  changed_by TEXT    NOT NULL,
  changed_at TEXT    NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', changed_at) IS changed_at)
) STRICT;
