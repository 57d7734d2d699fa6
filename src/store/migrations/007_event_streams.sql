-- 007: Auth0 Event Streams. One row per CloudEvent id, whichever route (webhook or SQS) brought
-- it first: redeliveries and the other route's copy are duplicates. Only what detection needs is
-- kept (ids and connection names, never profile fields).
CREATE TABLE tenant_events (
  event_id        TEXT NOT NULL PRIMARY KEY,
  type            TEXT NOT NULL,
  kind            TEXT NOT NULL,
  -- The CloudEvent time: windows are about when it happened (delivery is unordered).
  occurred_at     TEXT NOT NULL,
  received_at     TEXT NOT NULL,
  via             TEXT NOT NULL CHECK (via IN ('webhook', 'sqs')),
  user_id         TEXT,
  connection      TEXT,
  organization_id TEXT,
  organization_connection TEXT
) STRICT;
CREATE INDEX tenant_events_kind_time ON tenant_events (kind, occurred_at);

-- Events that could not be used (not JSON, not a CloudEvent, or a queue message that failed
-- every time): counted and kept aside with a digest to find the sender's copy, never the body.
CREATE TABLE tenant_event_rejects (
  id          INTEGER PRIMARY KEY,
  via         TEXT NOT NULL CHECK (via IN ('webhook', 'sqs')),
  reason      TEXT NOT NULL,
  digest      TEXT NOT NULL,
  ref         TEXT,
  rejected_at TEXT NOT NULL
) STRICT;
