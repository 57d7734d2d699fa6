-- 005: AUDIT_RETENTION_DAYS. The audit log stays append-only, except that entries older than a
-- horizon may be deleted. The horizon starts at the beginning of time (nothing can be deleted),
-- only ever moves forward, and is moved by the retention job alone; UPDATE and INSERT OR REPLACE
-- stay refused for every entry, and DELETE for every entry at or after the horizon.
CREATE TABLE audit_retention (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  prune_before TEXT    NOT NULL CHECK (strftime('%Y-%m-%dT%H:%M:%fZ', prune_before) IS prune_before)
) STRICT;

INSERT INTO audit_retention (id, prune_before) VALUES (1, '1970-01-01T00:00:00.000Z');

CREATE TRIGGER audit_retention_forward_only BEFORE UPDATE ON audit_retention
WHEN NEW.prune_before < OLD.prune_before OR NEW.id IS NOT OLD.id
BEGIN
  SELECT RAISE(ABORT, 'the audit retention horizon only moves forward');
END;

CREATE TRIGGER audit_retention_no_delete BEFORE DELETE ON audit_retention
BEGIN
  SELECT RAISE(ABORT, 'the audit retention horizon only moves forward');
END;

DROP TRIGGER audit_log_no_delete;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.at >= (SELECT prune_before FROM audit_retention WHERE id = 1)
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
