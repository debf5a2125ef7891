-- 004_timers.sql — escalation deadlines of open incidents (deliver_timeout, accept_timeout).
-- Applied once, inside one transaction, when PRAGMA user_version < 4. The row is written in
-- the same transaction that opens (or reopens) the incident, and rewritten in the transaction
-- that records a timer firing (with its incident_events row), so a restart resumes each
-- deadline from the stored time and never fires one twice. Times are awared wall-clock ms.
CREATE TABLE incident_timers (
  incident_id    INTEGER PRIMARY KEY REFERENCES incidents(id),
  deliver_due_ms INTEGER,                            -- escalate if still NEW; NULL = none
  accept_due_ms  INTEGER,                            -- re-alert if not accepted; NULL = none
  accept_stage   INTEGER NOT NULL DEFAULT 0,         -- accept re-alerts done: 0, 1, 2
  to_fallback    INTEGER NOT NULL DEFAULT 0          -- 1: also sent to the fallback region
);
