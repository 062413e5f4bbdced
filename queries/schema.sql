-- Handoff canonical data model. The first file a reader opens: every report reads these tables.
-- Columns marked PII hold personal data of seekers; phones and e-mails never arrive here raw,
-- only as keyed HMAC-SHA256 hashes (see docs/data-model.md).

-- D.T's ordered keys as ENUMs, so ORDER BY follows D.T's order and not the alphabet.
CREATE TYPE overall_status AS ENUM ('new', 'unassignable', 'unassigned', 'assigned', 'active', 'paused', 'closed');
CREATE TYPE seeker_path AS ENUM ('none', 'attempted', 'established', 'scheduled', 'met', 'ongoing', 'coaching');
CREATE TYPE contact_type AS ENUM ('access', 'personal', 'user', 'placeholder');
CREATE TYPE event_kind AS ENUM (
  'created', 'assigned', 'accepted', 'declined', 'status_changed', 'seeker_path_changed',
  'attempt', 'established', 'scheduled', 'met', 'no_show',
  'update_requested', 'update_answered', 'comment', 'field_changed', 'unparsed'
);

CREATE TABLE contacts (
  contact_id          VARCHAR NOT NULL,   -- source id (D.T post ID); upserts key on it
  name                VARCHAR,            -- PII
  created_at          TIMESTAMP NOT NULL, -- D.T post_date (UTC)
  contact_type        contact_type NOT NULL, -- only 'access' contacts are seekers
  overall_status      overall_status,
  seeker_path         seeker_path,
  gender              VARCHAR,
  age_band            VARCHAR,            -- D.T age key, e.g. '<41'
  languages           VARCHAR[],
  sources             VARCHAR[],
  campaigns           VARCHAR[],
  tags                VARCHAR[],
  location_ids        BIGINT[],           -- location grid ids
  assigned_to         VARCHAR,            -- multipliers.user_id
  accepted            BOOLEAN,
  requires_update     BOOLEAN,
  reason_closed       VARCHAR,
  reason_paused       VARCHAR,
  reason_unassignable VARCHAR,
  milestones          VARCHAR[],
  faith_status        VARCHAR,
  baptism_date        DATE,
  attempts_count      INTEGER,            -- D.T quick_button_no_answer
  established_count   INTEGER,            -- quick_button_contact_established
  scheduled_count     INTEGER,            -- quick_button_meeting_scheduled
  met_count           INTEGER,            -- quick_button_meeting_complete
  no_show_count       INTEGER,            -- quick_button_no_show
  phone_hashes        VARCHAR[],          -- HMAC-SHA256 of normalised phones (PII-derived)
  email_hashes        VARCHAR[],          -- HMAC-SHA256 of normalised e-mails (PII-derived)
  last_modified       TIMESTAMP,
  source_format       VARCHAR NOT NULL,   -- dt-rest, dt-csv, canonical
  import_version      INTEGER NOT NULL
);

CREATE TABLE multipliers (
  user_id           VARCHAR NOT NULL,     -- D.T user ID or canonical id
  display_name      VARCHAR,              -- PII (worker)
  login             VARCHAR,
  roles             VARCHAR[],
  user_status       VARCHAR,
  gender            VARCHAR,
  languages         VARCHAR[],
  location_ids      BIGINT[],
  workload_status   VARCHAR,              -- active | existing | too_many
  capacity          INTEGER,              -- active contacts it can hold; NULL = setting default (10)
  unavailable       STRUCT(start_date DATE, end_date DATE)[],
  source_format     VARCHAR NOT NULL,
  import_version    INTEGER NOT NULL
);

-- Columns with few distinct values (names, ids of workers, field keys, old and new values) are
-- stored with dictionary compression, which DuckDB would mostly choose anyway: naming it spares
-- trying the other methods on every segment, a tenth of a first import of twelve million events
-- (docs/performance.md), for a file a few percent larger.
CREATE TABLE events (
  event_id        VARCHAR NOT NULL,       -- stable: source + source key (D.T histid), so re-imports replace
  contact_id      VARCHAR NOT NULL,
  occurred_at     TIMESTAMP NOT NULL,
  kind            event_kind NOT NULL,
  actor_name      VARCHAR USING COMPRESSION dictionary, -- PII (worker)
  actor_id        VARCHAR USING COMPRESSION dictionary, -- multipliers.user_id when known
  target_user_id  VARCHAR USING COMPRESSION dictionary, -- for assigned: who it was assigned to
  field           VARCHAR USING COMPRESSION dictionary, -- D.T meta_key
  old_value       VARCHAR USING COMPRESSION dictionary,
  new_value       VARCHAR USING COMPRESSION dictionary, -- keys, not labels, where a key exists
  note            VARCHAR,                -- PII: comment text or unparsed activity text (phones/e-mails redacted)
  source_format   VARCHAR NOT NULL USING COMPRESSION dictionary,
  import_version  INTEGER NOT NULL
);

CREATE TABLE locations (
  location_id   BIGINT NOT NULL,          -- location grid id
  name          VARCHAR NOT NULL,
  level         INTEGER,                  -- 0 country, 1 admin1, 2 admin2, 3 city
  level_name    VARCHAR,
  parent_id     BIGINT,
  country_code  VARCHAR,
  longitude     DOUBLE,
  latitude      DOUBLE,
  population    BIGINT,
  import_version INTEGER NOT NULL
);

-- One row per import attempt, refused and failed ones included (they do not bump the dataset version).
CREATE TABLE imports (
  version        INTEGER,                 -- dataset version this import produced; NULL when refused/failed
  attempt_id     VARCHAR NOT NULL,
  files          VARCHAR[],
  started_at     TIMESTAMP NOT NULL,
  finished_at    TIMESTAMP,
  outcome        VARCHAR NOT NULL,        -- ok | refused | failed
  message        VARCHAR,
  counts_json    VARCHAR,                 -- per table added/updated, rows read, rejects
  rejects_count  INTEGER NOT NULL DEFAULT 0,
  unparsed_count INTEGER NOT NULL DEFAULT 0,
  skipped_count  INTEGER NOT NULL DEFAULT 0
);

-- Row-level problems of every import: rejected rows, unparsed activity notes, skipped files.
CREATE TABLE import_issues (
  attempt_id  VARCHAR NOT NULL,
  kind        VARCHAR NOT NULL,           -- reject | unparsed | skipped
  file        VARCHAR NOT NULL,
  row_number  INTEGER,                    -- 1-based data row (CSV) or array index + 1 (JSON)
  field       VARCHAR,
  value       VARCHAR,                    -- phones/e-mails redacted
  reason      VARCHAR NOT NULL
);

CREATE TABLE meta (
  key   VARCHAR NOT NULL,
  value VARCHAR
);
