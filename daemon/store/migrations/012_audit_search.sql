-- 012_audit_search.sql — indexes for searching the audit log by who, what and whose data
-- (GET /api/v1/audit?actor=…&action=…&subject=…, the web console's audit view). Applied once,
-- inside one transaction, when PRAGMA user_version < 12.

-- Each index ends in the row id (SQLite keeps the rowid in every index), so a filtered page,
-- oldest or newest first, walks the index in id order and stops at the page's limit.
CREATE INDEX audit_by_actor ON audit(actor);
CREATE INDEX audit_by_action ON audit(action);
CREATE INDEX audit_by_subject ON audit(subject);
