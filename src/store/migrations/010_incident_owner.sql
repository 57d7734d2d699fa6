-- 010: who owns an incident, and a severity a person set. Acknowledging makes the clicker the
-- owner; *Take over* moves ownership to another responder (docs/on-call.md). `severity_set_by`
-- records that an operator chose the severity, and `detected_severity` the highest severity the
-- detector has assigned: detection may raise a person's choice again only when its own view rises
-- past that (docs/decisions/0014-owner-paging-and-manual-severity.md).
ALTER TABLE incidents ADD COLUMN owner TEXT;
ALTER TABLE incidents ADD COLUMN severity_set_by TEXT;
ALTER TABLE incidents ADD COLUMN detected_severity TEXT CHECK (detected_severity IN ('info', 'low', 'medium', 'high'));
UPDATE incidents SET owner = acknowledged_by WHERE acknowledged_by IS NOT NULL;
UPDATE incidents SET detected_severity = severity;
