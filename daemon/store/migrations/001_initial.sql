-- 001_initial.sql — the first schema: registrations, device bookkeeping, activations, incidents.
-- Applied once, inside one transaction, when PRAGMA user_version < 1.

-- Registrations (maintained by PAC operators).
CREATE TABLE clients (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  home_region TEXT NOT NULL DEFAULT ''
);

CREATE TABLE devices (
  id        TEXT PRIMARY KEY,                        -- X-Mark device identity (Hello.device_id)
  client_id TEXT NOT NULL REFERENCES clients(id),
  active    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE aops (
  id          TEXT PRIMARY KEY,
  client_id   TEXT NOT NULL REFERENCES clients(id),
  signalement TEXT NOT NULL DEFAULT '',
  pleger      TEXT NOT NULL DEFAULT '',
  case_worker TEXT NOT NULL DEFAULT '',
  valid_from  TEXT NOT NULL,                         -- ISO date, inclusive
  valid_until TEXT NOT NULL                          -- ISO date, inclusive
);

CREATE TABLE aols (
  id           TEXT PRIMARY KEY,
  client_id    TEXT REFERENCES clients(id),
  label        TEXT NOT NULL DEFAULT '',
  address      TEXT NOT NULL DEFAULT '',
  instructions TEXT NOT NULL DEFAULT '',
  lat          REAL NOT NULL,
  lon          REAL NOT NULL,
  radius_m     REAL NOT NULL
);

-- The last message numbering seen per device, to log restarts of its numbering.
CREATE TABLE device_state (
  device_id   TEXT PRIMARY KEY,
  boot_epoch  INTEGER NOT NULL,
  last_seq    INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL
);

-- Every activation as received. (device_id, boot_epoch, seq) identifies a message: a
-- retransmission hits the UNIQUE constraint and is only acked again.
CREATE TABLE activations (
  id             INTEGER PRIMARY KEY,
  device_id      TEXT NOT NULL,
  boot_epoch     INTEGER NOT NULL,
  seq            INTEGER NOT NULL,
  received_ms    INTEGER NOT NULL,
  device_time_ms INTEGER NOT NULL,
  trigger        TEXT NOT NULL,                      -- alarm, test, cancel
  lat            REAL,                               -- NULL when no valid fix
  lon            REAL,
  accuracy_m     REAL,
  fix_time_ms    INTEGER,
  fix_source     TEXT,
  fix_invalid    INTEGER NOT NULL DEFAULT 0,         -- a fix was sent but was invalid
  audio_kind     TEXT,
  audio_address  TEXT,
  audio_codec    TEXT,
  battery_pct    INTEGER NOT NULL,
  incident_id    INTEGER REFERENCES incidents(id),
  UNIQUE (device_id, boot_epoch, seq)
);

-- Incidents as the meldkamer handles them.
CREATE TABLE incidents (
  id               INTEGER PRIMARY KEY,
  priority         INTEGER NOT NULL,                 -- 1 spoed, 2 technisch, 3 test
  state            INTEGER NOT NULL,                 -- 1 new, 2 delivered, 3 accepted, 4 closed
  received_ms      INTEGER NOT NULL,
  device_id        TEXT NOT NULL,
  boot_epoch       INTEGER NOT NULL,
  seq              INTEGER NOT NULL,
  client_id        TEXT NOT NULL DEFAULT '',
  region           TEXT NOT NULL,
  context          TEXT NOT NULL,                    -- JSON: match result, position, audio, flags
  activation_count INTEGER NOT NULL DEFAULT 1,
  accepted_by      TEXT NOT NULL DEFAULT '',
  outcome          TEXT NOT NULL DEFAULT '',
  note             TEXT NOT NULL DEFAULT '',
  updated_ms       INTEGER NOT NULL
);
CREATE INDEX incidents_open ON incidents(state) WHERE state < 4;

-- Every state transition of an incident: when, what and who.
CREATE TABLE incident_events (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  at_ms       INTEGER NOT NULL,
  state       INTEGER NOT NULL,
  who         TEXT NOT NULL DEFAULT '',
  detail      TEXT NOT NULL DEFAULT ''
);
