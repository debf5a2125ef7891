-- 006_supervision.sql — device supervision, proefmelding windows and contract reminders.
-- Applied once, inside one transaction, when PRAGMA user_version < 6.

-- A device may report more or less often than [supervision] heartbeat_interval_s; 0 = default.
ALTER TABLE devices ADD COLUMN heartbeat_interval_s INTEGER NOT NULL DEFAULT 0;

-- What awared last heard from each device (any message: heartbeat, activation, position) and
-- the health it last reported. A registered device that was never heard from gets a row when
-- supervision starts watching it (last_heard_ms = then), so its silence counts from there.
CREATE TABLE device_status (
  device_id      TEXT PRIMARY KEY,
  last_heard_ms  INTEGER NOT NULL,
  battery_pct    INTEGER,                 -- NULL until a report
  charging       INTEGER NOT NULL DEFAULT 0,
  gps_available  INTEGER NOT NULL DEFAULT 0,
  signal_dbm     INTEGER NOT NULL DEFAULT 0,
  reported_ms    INTEGER                  -- when the health above was reported; NULL = never
);

-- Proefmelding windows: while one is open for a device, its activations are TEST incidents
-- (to the PAC operator, recorded as the installation test), never spoedmeldingen.
CREATE TABLE test_windows (
  id          INTEGER PRIMARY KEY,
  device_id   TEXT NOT NULL,
  opened_ms   INTEGER NOT NULL,
  until_ms    INTEGER NOT NULL,           -- the window ends on its own here
  reason      TEXT NOT NULL,
  opened_by   TEXT NOT NULL,
  closed_ms   INTEGER,                    -- closed early by an operator
  closed_by   TEXT NOT NULL DEFAULT '',
  tests       INTEGER NOT NULL DEFAULT 0  -- activations recorded as tests in this window
);
CREATE INDEX test_windows_device ON test_windows(device_id, until_ms);

-- Contract reminders sent (one per AOP and end date: extending the contract allows a new one).
CREATE TABLE contract_reminders (
  aop_id       TEXT NOT NULL,
  valid_until  TEXT NOT NULL,
  sent_ms      INTEGER NOT NULL,
  PRIMARY KEY (aop_id, valid_until)
);
