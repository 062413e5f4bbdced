-- Accounts, sessions and the audit log. Applied after schema.sql when the database is created.
-- Secrets never sit here in usable form: passwords are argon2id hashes, session/setup tokens and
-- recovery codes are SHA-256 hashes of high-entropy random values, TOTP secrets are sealed with
-- AES-256-GCM under a key that lives in data/ beside (not inside) the database. See docs/security.md.
-- All times are UTC.

CREATE SEQUENCE users_id_seq START 1;

CREATE TABLE users (
  user_id              INTEGER PRIMARY KEY DEFAULT nextval('users_id_seq'),
  login                VARCHAR NOT NULL UNIQUE,      -- lower-case; also the audit actor
  role                 VARCHAR NOT NULL CHECK (role IN ('admin', 'dispatcher', 'marketer', 'leader')),
  password_hash        VARCHAR,                      -- argon2id PHC string; NULL until setup is completed
  totp_secret_sealed   VARCHAR,                      -- AES-GCM sealed base32 secret; NULL until enrolled
  totp_pending_sealed  VARCHAR,                      -- secret shown during enrolment, not yet confirmed
  totp_last_step       BIGINT,                       -- last accepted RFC 6238 time step: steps <= it are refused
  recovery_code_hashes VARCHAR[] NOT NULL DEFAULT [],-- SHA-256 of the unused recovery codes; a used one is removed
  failed_attempts      INTEGER NOT NULL DEFAULT 0,   -- consecutive failed logins; reset by a successful one
  locked_until         TIMESTAMP,                    -- lockout with exponential back-off
  password_changed_at  TIMESTAMP,
  setup_token_hash     VARCHAR,                      -- SHA-256 of the one-time setup token (new user or reset)
  setup_expires_at     TIMESTAMP,
  disabled_at          TIMESTAMP,                    -- disabled accounts can't log in; kept for the audit trail
  created_at           TIMESTAMP NOT NULL
);

-- Server-side sessions. The cookie carries a random 32-byte token; only its SHA-256 is stored, so a
-- copy of the database does not yield live sessions. The CSRF token is not stored: it is
-- HMAC(csrf key, token_hash), recomputed on each request.
CREATE TABLE sessions (
  token_hash     VARCHAR PRIMARY KEY,
  user_id        INTEGER NOT NULL,
  created_at     TIMESTAMP NOT NULL,                 -- absolute timeout counts from here
  last_seen_at   TIMESTAMP NOT NULL,                 -- idle timeout counts from here
  revoked_at     TIMESTAMP,
  revoked_reason VARCHAR                             -- logout | idle | expired | password | role | reset | disabled | admin
);

-- Append-only: the code has an INSERT and a SELECT for this table and nothing else.
CREATE SEQUENCE audit_log_id_seq START 1;

CREATE TABLE audit_log (
  id          BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id_seq'),
  "at"        TIMESTAMP NOT NULL,                 -- quoted: AT is a DuckDB keyword
  actor_login VARCHAR,                               -- NULL for an unknown login (the typed text is not kept)
  action      VARCHAR NOT NULL,                      -- e.g. login.success, login.failure, import, export, user.role
  target      VARCHAR,                               -- the user, import or report acted upon
  ip          VARCHAR,
  detail      VARCHAR NOT NULL DEFAULT '{}'          -- JSON object; secrets are redacted before writing
);
