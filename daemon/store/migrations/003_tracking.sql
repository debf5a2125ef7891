-- 003_tracking.sql — live tracking: the positions a device sends while its incident is open.
-- Applied once, inside one transaction, when PRAGMA user_version < 3. A position that arrives
-- while the device has no open incident is never written (privacy: location is recorded only
-- while an alarm is open). (device_id, boot_epoch, seq) identifies a message: a retransmitted
-- position hits the UNIQUE constraint and is only acked again.
CREATE TABLE positions (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  device_id   TEXT NOT NULL,
  boot_epoch  INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  lat         REAL NOT NULL,
  lon         REAL NOT NULL,
  accuracy_m  REAL NOT NULL,
  fix_time_ms INTEGER NOT NULL,                      -- device clock
  fix_source  TEXT NOT NULL,                         -- gps, network, none
  received_ms INTEGER NOT NULL,                      -- awared clock
  UNIQUE (device_id, boot_epoch, seq)
);
CREATE INDEX positions_of_incident ON positions(incident_id, id);

-- The latest incident of a device, for merge_window and tracking.
CREATE INDEX incidents_of_device ON incidents(device_id, id);
