-- 011_dc09_accounts.sql — which registered device a SIA DC-09 transmitter account speaks for
-- (issue 9). Applied once, inside one transaction, when PRAGMA user_version < 11.

-- One row per linked account (the account as the transmitter sends it, upper-case hex). A
-- message from a linked account is an activation, heartbeat or technical report of that device;
-- an account with no row is unknown (its panic is still dispatched, flagged). Erased with the
-- device (retention).
CREATE TABLE dc09_accounts (
  account   TEXT PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  linked_ms INTEGER NOT NULL,
  linked_by TEXT NOT NULL
);
CREATE INDEX dc09_accounts_device ON dc09_accounts(device_id);
