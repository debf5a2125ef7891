-- 010_notes.sql — centralists' notes during handling and who opened meeluisteren (issue 7).
-- Applied once, inside one transaction, when PRAGMA user_version < 10.

-- A note a centralist wrote on an incident: the signed-in user, when, and the checked text
-- (core/incident_note.hpp). Purged with its incident ([retention] incidents_days).
CREATE TABLE incident_notes (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  at_ms       INTEGER NOT NULL,
  author      TEXT NOT NULL,
  text        TEXT NOT NULL
);
CREATE INDEX incident_notes_incident ON incident_notes(incident_id);

-- Who last opened meeluisteren on the incident, and when (every opening is also an
-- incident_events row). Cleared when a closed incident reopens.
ALTER TABLE incidents ADD COLUMN listen_in_by TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN listen_in_ms INTEGER NOT NULL DEFAULT 0;
