-- 008_audit.sql — the audit log (issue 6 item 4): one row per consultation or change of
-- personal data (who, when, what, why), hash-chained by core/audit.hpp.
-- Applied once, inside one transaction, when PRAGMA user_version < 8.

-- Rows are written only by store/audit_rows.cpp, with explicit ids 1, 2, 3 …; prev_hash is the
-- hash of the row before (64 zeros for the first), hash = SHA-256(prev_hash ‖ canonical row).
CREATE TABLE audit (
  id             INTEGER PRIMARY KEY,
  at_ms          INTEGER NOT NULL,
  actor          TEXT NOT NULL,          -- user/console name, "api", or "awared"
  action         TEXT NOT NULL,          -- e.g. registry.update, dossier.read
  subject        TEXT NOT NULL,          -- e.g. client:C-001, incident:M-000042
  justification  TEXT NOT NULL DEFAULT '',
  prev_hash      TEXT NOT NULL,          -- hex
  hash           TEXT NOT NULL           -- hex
);

-- Append-only. Whoever drops these triggers or edits the file is caught by the hash chain.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'audit rows are append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE(ABORT, 'audit rows are append-only');
END;
