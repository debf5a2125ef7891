-- 007_users.sql — the people who use awared, and their login sessions (issue 6).
-- Applied once, inside one transaction, when PRAGMA user_version < 7.
CREATE TABLE users (
  name          TEXT PRIMARY KEY,          -- login name, also what the audit log records
  password_hash TEXT NOT NULL,             -- argon2id string (libsodium), never the password
  role          TEXT NOT NULL CHECK (role IN ('centralist', 'pac_operator', 'hulpverlener', 'admin')),
  regions       TEXT NOT NULL DEFAULT '',  -- centralist: comma-separated region ids
  organisation  TEXT NOT NULL DEFAULT '',  -- hulpverlener: their organisation
  clients       TEXT NOT NULL DEFAULT '',  -- hulpverlener: comma-separated client ids
  active        INTEGER NOT NULL DEFAULT 1,
  created_ms    INTEGER NOT NULL,
  updated_ms    INTEGER NOT NULL
);

-- A login session: only the SHA-256 of the token is kept, so the database cannot be used to
-- log in. Expired or revoked sessions are refused (and purged later).
CREATE TABLE sessions (
  token_digest  TEXT PRIMARY KEY,
  user_name     TEXT NOT NULL REFERENCES users(name),
  created_ms    INTEGER NOT NULL,
  expires_ms    INTEGER NOT NULL,
  revoked_ms    INTEGER
);
CREATE INDEX sessions_user ON sessions(user_name);
