-- 001: the initial schema.
-- Conventions: STRICT tables; timestamps are canonical ISO-8601 UTC text as produced by
-- Date#toISOString (checked by round-tripping through strftime, so text order is time order);
-- JSON columns hold valid JSON (objects unless noted); booleans are 0/1.
-- Migration files must not contain BEGIN/COMMIT: the migrator runs them all in one transaction.

CREATE TABLE audit_log (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  at              TEXT    NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', at) IS at),
  actor           TEXT    NOT NULL CHECK (length(actor) BETWEEN 1 AND 255),
  action          TEXT    NOT NULL CHECK (action GLOB '?*.?*' AND length(action) <= 100),
  outcome         TEXT    NOT NULL CHECK (outcome IN ('allowed', 'denied', 'duplicate', 'started',
                    'success', 'failure', 'confirmed', 'cancelled', 'skipped')),
  -- No foreign key on purpose: a click on an unknown or forged incident is still audited.
  incident_id     TEXT,
  step_id         TEXT,
  idempotency_key TEXT,
  duration_ms     INTEGER CHECK (duration_ms >= 0),
  summary         TEXT    NOT NULL,
  detail          TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(detail) AND json_type(detail) = 'object')
) STRICT;

CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_incident ON audit_log (incident_id, id) WHERE incident_id IS NOT NULL;
CREATE INDEX audit_log_key ON audit_log (idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- INSERT OR REPLACE deletes the old row without firing DELETE triggers (unless
-- recursive_triggers is on), so an insert that reuses an existing id is refused up front.
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE idempotency_claims (
  key            TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 255),
  scope          TEXT NOT NULL CHECK (length(scope) >= 1),
  claimed_by     TEXT NOT NULL CHECK (length(claimed_by) >= 1),
  claimed_at     TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', claimed_at) IS claimed_at),
  state          TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'succeeded', 'failed')),
  finished_at    TEXT CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', finished_at) IS finished_at),
  result_summary TEXT,
  result         TEXT CHECK (json_valid(result)),  -- any JSON value
  CHECK ((state = 'running') = (finished_at IS NULL))
) STRICT;

CREATE INDEX idempotency_claims_running ON idempotency_claims (claimed_at) WHERE state = 'running';

CREATE TABLE incidents (
  id               TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*:*'),
  signal           TEXT NOT NULL CHECK (length(signal) >= 1),
  scope            TEXT NOT NULL CHECK (length(scope) >= 1),
  severity         TEXT NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high')),
  state            TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'resolved')),
  title            TEXT NOT NULL,
  opened_at        TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', opened_at) IS opened_at),
  updated_at       TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at),
  acknowledged_at  TEXT CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', acknowledged_at) IS acknowledged_at),
  acknowledged_by  TEXT,
  escalated_at     TEXT CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', escalated_at) IS escalated_at),
  escalated_by     TEXT,
  resolved_at      TEXT CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', resolved_at) IS resolved_at),
  resolved_by      TEXT,
  resolution       TEXT CHECK (resolution IN ('manual', 'auto')),
  slack_channel    TEXT,
  slack_ts         TEXT,
  evidence         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(evidence) AND json_type(evidence) = 'object'),
  runbook_provider TEXT,
  CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL)),
  CHECK ((escalated_at IS NULL) = (escalated_by IS NULL)),
  CHECK ((resolved_at IS NULL) = (resolved_by IS NULL)),
  CHECK ((resolved_at IS NULL) = (resolution IS NULL)),
  CHECK ((state = 'resolved') = (resolved_at IS NOT NULL)),
  CHECK (state <> 'acknowledged' OR acknowledged_at IS NOT NULL)
) STRICT;

-- The rule "one open incident per (signal, scope)" lives in the schema, not only in code.
CREATE UNIQUE INDEX incidents_one_open ON incidents (signal, scope) WHERE state <> 'resolved';
CREATE INDEX incidents_unresolved ON incidents (opened_at) WHERE state <> 'resolved';
CREATE INDEX incidents_resolved_at ON incidents (resolved_at) WHERE resolved_at IS NOT NULL;

CREATE TABLE incident_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  at          TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', at) IS at),
  kind        TEXT NOT NULL CHECK (kind GLOB '[a-z]*' AND length(kind) <= 64),
  actor       TEXT NOT NULL CHECK (length(actor) >= 1),
  detail      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail) AND json_type(detail) = 'object')
) STRICT;

CREATE INDEX incident_events_incident ON incident_events (incident_id, at, id);

CREATE TABLE incident_steps (
  incident_id TEXT    NOT NULL REFERENCES incidents (id),
  step_id     TEXT    NOT NULL CHECK (length(step_id) BETWEEN 1 AND 64 AND step_id NOT GLOB '*:*'),
  position    INTEGER NOT NULL CHECK (position >= 0),
  kind        TEXT    NOT NULL CHECK (kind IN ('guidance', 'action')),
  title       TEXT    NOT NULL,
  body        TEXT    NOT NULL,
  action      TEXT,
  params      TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(params) AND json_type(params) = 'object'),
  destructive INTEGER NOT NULL DEFAULT 0 CHECK (destructive IN (0, 1)),
  state       TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'succeeded', 'failed')),
  last_key    TEXT,
  updated_at  TEXT    NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at),
  PRIMARY KEY (incident_id, step_id),
  UNIQUE (incident_id, position),
  CHECK ((kind = 'action') = (action IS NOT NULL)),
  CHECK (kind = 'action' OR destructive = 0)
) STRICT;

CREATE TABLE checkpoints (
  name       TEXT PRIMARY KEY CHECK (length(name) >= 1),
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at)
) STRICT;

CREATE TABLE rotations (
  id                   TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
  target_client_id     TEXT NOT NULL CHECK (length(target_client_id) >= 1),
  strategy             TEXT NOT NULL CHECK (strategy IN ('client_secret', 'private_key_jwt')),
  "trigger"            TEXT NOT NULL CHECK ("trigger" IN ('schedule', 'command', 'step')),
  requested_by         TEXT NOT NULL CHECK (length(requested_by) >= 1),
  state                TEXT NOT NULL CHECK (length(state) >= 1),
  client_request_token TEXT,
  started_at           TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', started_at) IS started_at),
  updated_at           TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', updated_at) IS updated_at),
  finished_at          TEXT CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', finished_at) IS finished_at),
  outcome              TEXT CHECK (outcome IN ('succeeded', 'failed', 'rolled_back', 'cancelled')),
  error                TEXT,
  detail               TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail) AND json_type(detail) = 'object'),
  CHECK ((finished_at IS NULL) = (outcome IS NULL))
) STRICT;

-- Two rotations of one client at once would fight over AWSPENDING: the schema forbids it.
CREATE UNIQUE INDEX rotations_one_unfinished ON rotations (target_client_id) WHERE finished_at IS NULL;
CREATE INDEX rotations_target_started ON rotations (target_client_id, started_at);
CREATE INDEX rotations_started ON rotations (started_at);

CREATE TABLE job_slots (
  job         TEXT NOT NULL CHECK (length(job) >= 1),
  slot        TEXT NOT NULL CHECK (length(slot) >= 1),
  started_at  TEXT NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', started_at) IS started_at),
  finished_at TEXT CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', finished_at) IS finished_at),
  outcome     TEXT CHECK (outcome IN ('succeeded', 'failed', 'skipped', 'aborted')),
  PRIMARY KEY (job, slot),
  CHECK ((finished_at IS NULL) = (outcome IS NULL))
) STRICT;

CREATE INDEX job_slots_job_started ON job_slots (job, started_at);
