-- 002_registry.sql — the registry maintained through the REST API and awarectl: meldkamer
-- regions, AOL polygon zones, AOP photo references, `active` flags and change times.
-- Applied once, inside one transaction, when PRAGMA user_version < 2.
--
-- Geometry is stored as GeoJSON text (coordinates [lon, lat], rings closed) so it can be read
-- with the sqlite3 shell; the store decodes it when it loads the registry.

ALTER TABLE clients ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE clients ADD COLUMN updated_ms INTEGER NOT NULL DEFAULT 0;

ALTER TABLE devices ADD COLUMN updated_ms INTEGER NOT NULL DEFAULT 0;

ALTER TABLE aops ADD COLUMN photo_refs TEXT NOT NULL DEFAULT '[]';   -- JSON array of strings
ALTER TABLE aops ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE aops ADD COLUMN updated_ms INTEGER NOT NULL DEFAULT 0;

ALTER TABLE aols ADD COLUMN zone TEXT;                -- GeoJSON Polygon coordinates, NULL = circle
ALTER TABLE aols ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE aols ADD COLUMN updated_ms INTEGER NOT NULL DEFAULT 0;

-- Police meldkamer regions (and desks). clients.home_region refers to regions.id.
CREATE TABLE regions (
  id         TEXT PRIMARY KEY,                       -- e.g. 'midden-nederland'
  name       TEXT NOT NULL,                          -- e.g. 'Midden-Nederland'
  area       TEXT NOT NULL,                          -- GeoJSON MultiPolygon coordinates
  active     INTEGER NOT NULL DEFAULT 1,             -- 0: kept, but not used for matching
  updated_ms INTEGER NOT NULL DEFAULT 0
);

-- One row: a counter bumped by every registry write, read together with the registry so a
-- newer match index is never replaced by an older one.
CREATE TABLE registry_meta (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO registry_meta (id, version) VALUES (1, 1);

CREATE INDEX devices_client ON devices(client_id);
CREATE INDEX aops_client ON aops(client_id);
CREATE INDEX aols_client ON aols(client_id);
