-- 009_retention.sql — retention of the audit log and of ended registrations (issue 6 item 5).
-- Applied once, inside one transaction, when PRAGMA user_version < 9.

-- The audit log's checkpoint: the first row still kept and the hash of the (purged) row before
-- it. Absent until the first purge. The purge also appends an audit.purge row naming the same
-- checkpoint, so the checkpoint is itself covered by the hash chain (core/audit.hpp).
CREATE TABLE audit_checkpoint (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  first_id   INTEGER NOT NULL,
  prev_hash  TEXT NOT NULL,
  at_ms      INTEGER NOT NULL
);

-- Rows stay append-only, except the ones before the checkpoint, which the purge removes.
DROP TRIGGER audit_no_delete;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
WHEN OLD.id >= coalesce((SELECT first_id FROM audit_checkpoint WHERE id = 1), 1)
BEGIN
  SELECT RAISE(ABORT, 'audit rows are append-only (only rows before the checkpoint are purged)');
END;

-- A checkpoint only moves forward.
CREATE TRIGGER audit_checkpoint_forward BEFORE UPDATE ON audit_checkpoint
WHEN NEW.first_id < OLD.first_id
BEGIN
  SELECT RAISE(ABORT, 'the audit checkpoint only moves forward');
END;
