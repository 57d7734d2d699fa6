-- 011: quiet incidents (docs/decisions/0015-snooze-and-maintenance-windows.md).
-- A snooze lives on its incident: who snoozed it, when, and until when. Both are set or neither.
ALTER TABLE incidents ADD COLUMN snoozed_until TEXT
  CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', snoozed_until) IS snoozed_until);
ALTER TABLE incidents ADD COLUMN snoozed_by TEXT CHECK ((snoozed_by IS NULL) = (snoozed_until IS NULL));
CREATE INDEX incidents_snoozed ON incidents (snoozed_until) WHERE snoozed_until IS NOT NULL;

-- A maintenance window: a scope (the whole tenant, a client, a connection) kept quiet until
-- ends_at, or until someone (or the rotation that opened it) ends it earlier.
CREATE TABLE maintenance_windows (
  id          TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*:*'),
  scope_kind  TEXT NOT NULL CHECK (scope_kind IN ('tenant', 'client', 'connection')),
  scope_value TEXT NOT NULL CHECK ((scope_kind = 'tenant') = (scope_value = '') AND length(scope_value) <= 200),
  reason      TEXT NOT NULL CHECK (length(reason) <= 500),
  origin      TEXT NOT NULL CHECK (origin IN ('manual', 'rotation')),
  created_by  TEXT NOT NULL CHECK (length(created_by) >= 1),
  starts_at   TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', starts_at) IS starts_at),
  ends_at     TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', ends_at) IS ends_at AND ends_at > starts_at),
  ended_at    TEXT CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', ended_at) IS ended_at),
  ended_by    TEXT,
  CHECK ((ended_at IS NULL) = (ended_by IS NULL))
) STRICT;
CREATE INDEX maintenance_windows_open ON maintenance_windows (ends_at) WHERE ended_at IS NULL;
