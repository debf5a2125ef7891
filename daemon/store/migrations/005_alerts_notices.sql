-- 005_alerts_notices.sql — the PAC operator's alert queue and the case workers' notices.
-- Applied once, inside one transaction, when PRAGMA user_version < 5.
--
-- An alert is something the PAC operator must see: an incident that reached no console in time
-- or that nobody accepted (escalation), a proefmelding to confirm, and (supervision) technical
-- conditions of a device. Lifecycle: open -> acknowledged (an operator saw it) -> resolved
-- (the condition is gone, or an operator closed it). At most one alert per subject and kind is
-- not resolved (the partial unique index), so a condition that persists never floods the queue.
CREATE TABLE alerts (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,     -- niet_afgeleverd, niet_aangenomen, proefmelding, ...
  subject      TEXT NOT NULL,     -- what it is about: "incident:<id>" or "device:<id>"
  device_id    TEXT NOT NULL DEFAULT '',
  client_id    TEXT NOT NULL DEFAULT '',
  incident_id  INTEGER REFERENCES incidents(id),
  severity     INTEGER NOT NULL CHECK (severity IN (1, 2, 3)),  -- 1 urgent, 2 warning, 3 info
  state        INTEGER NOT NULL CHECK (state IN (1, 2, 3)),     -- 1 open, 2 acknowledged, 3 resolved
  detail       TEXT NOT NULL,     -- one line for the operator
  opened_ms    INTEGER NOT NULL,
  acked_ms     INTEGER,
  acked_by     TEXT NOT NULL DEFAULT '',
  resolved_ms  INTEGER,
  resolved_by  TEXT NOT NULL DEFAULT ''   -- an operator, or "awared" when the condition cleared
);
CREATE UNIQUE INDEX alerts_one_unresolved ON alerts(subject, kind) WHERE state <> 3;
CREATE INDEX alerts_unresolved ON alerts(state) WHERE state <> 3;

-- A notice to the case workers (hulpverleners) of a client: least data — the client id, when,
-- what happened and the incident's state; never a position or anything about the pleger.
-- Written in the same transaction as the change it reports. webhook_ms is set once the
-- configured webhook took it (NULL: not yet, or no webhook).
CREATE TABLE notices (
  id           INTEGER PRIMARY KEY,
  client_id    TEXT NOT NULL,
  case_worker  TEXT NOT NULL DEFAULT '',
  event        TEXT NOT NULL,     -- activatie, herhaalde_activatie, geannuleerd, afgesloten, proefmelding
  state        TEXT NOT NULL,     -- the incident's state after the event: new, delivered, accepted, closed
  at_ms        INTEGER NOT NULL,
  incident_id  INTEGER REFERENCES incidents(id),
  webhook_ms   INTEGER
);
CREATE INDEX notices_webhook_pending ON notices(id) WHERE webhook_ms IS NULL;
