-- Foundation schema (PostgreSQL). The SQLite twin in ../sqlite has the same tables, columns
-- and constraint names; only the id and type spellings differ.
-- Times are Unix seconds (BIGINT) so both backends and the `Any` driver read them alike.
-- Flags are BIGINT 0/1 for the same reason.

-- Tenants: every Pemda-owned row below carries instansi_id, from this first migration on.
CREATE TABLE instansi (
    id          BIGSERIAL PRIMARY KEY,
    code        TEXT    NOT NULL CONSTRAINT instansi_code_unique UNIQUE,
    name        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

-- Units of a Pemda: dinas, badan, bagian, kecamatan.
CREATE TABLE opd (
    id          BIGSERIAL PRIMARY KEY,
    instansi_id BIGINT  NOT NULL REFERENCES instansi (id),
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL CONSTRAINT opd_kind_check
                CHECK (kind IN ('sekretariat', 'bagian', 'dinas', 'badan', 'inspektorat', 'kecamatan', 'lainnya')),
    CONSTRAINT opd_code_unique UNIQUE (instansi_id, code)
);

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    instansi_id   BIGINT  NOT NULL REFERENCES instansi (id),
    username      TEXT    NOT NULL CONSTRAINT users_username_unique UNIQUE,
    display_name  TEXT    NOT NULL,
    -- argon2 PHC string; never leaves the server.
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CONSTRAINT users_role_check
                  CHECK (role IN ('admin', 'koordinator', 'opd', 'asesor', 'pimpinan', 'viewer')),
    is_active     BIGINT  NOT NULL DEFAULT 1,
    created_at    BIGINT  NOT NULL
);

CREATE TABLE user_opd (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    opd_id  BIGINT NOT NULL REFERENCES opd (id),
    PRIMARY KEY (user_id, opd_id)
);

-- Only a SHA-256 of the session token is stored: a leaked table opens no session.
CREATE TABLE sessions (
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Framework packs are data, versioned: the validated JSON document as loaded.
CREATE TABLE framework_pack (
    id        BIGSERIAL PRIMARY KEY,
    code      TEXT   NOT NULL,
    version   BIGINT NOT NULL,
    name      TEXT   NOT NULL,
    document  TEXT   NOT NULL,
    loaded_at BIGINT NOT NULL,
    CONSTRAINT framework_pack_version_unique UNIQUE (code, version)
);

-- One evaluation of one pack by one instansi.
CREATE TABLE cycle (
    id          BIGSERIAL PRIMARY KEY,
    instansi_id BIGINT NOT NULL REFERENCES instansi (id),
    pack_id     BIGINT NOT NULL REFERENCES framework_pack (id),
    name        TEXT   NOT NULL,
    year        BIGINT NOT NULL,
    is_current  BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    CONSTRAINT cycle_name_unique UNIQUE (instansi_id, name)
);

-- The stage ledger: append-only; the newest entry per (cycle, indicator, stage) is in force.
-- Levels are exact fractions (level_num / level_den) because some indicators average
-- sub-assessments (e.g. 7/6).
CREATE TABLE level_entry (
    id             BIGSERIAL PRIMARY KEY,
    instansi_id    BIGINT NOT NULL REFERENCES instansi (id),
    cycle_id       BIGINT NOT NULL REFERENCES cycle (id),
    indicator_code TEXT   NOT NULL,
    stage          TEXT   NOT NULL CONSTRAINT level_entry_stage_check
                   CHECK (stage IN ('target', 'mandiri', 'verifikasi', 'eksternal', 'akhir')),
    level_num      BIGINT NOT NULL,
    level_den      BIGINT NOT NULL DEFAULT 1,
    justification  TEXT   NOT NULL DEFAULT '',
    created_by     BIGINT REFERENCES users (id),
    created_at     BIGINT NOT NULL,
    CONSTRAINT level_entry_range_check
        CHECK (level_den > 0 AND level_num >= level_den AND level_num <= 5 * level_den)
);
CREATE INDEX level_entry_current ON level_entry (cycle_id, stage, indicator_code, id);

-- Published results of earlier years (the city's own and the national average).
CREATE TABLE index_history (
    instansi_id      BIGINT NOT NULL REFERENCES instansi (id),
    year             BIGINT NOT NULL,
    framework_code   TEXT   NOT NULL,
    index_hundredths BIGINT NOT NULL,
    predicate        TEXT   NOT NULL,
    PRIMARY KEY (instansi_id, year)
);

CREATE TABLE national_average (
    year             BIGINT PRIMARY KEY,
    framework_code   TEXT   NOT NULL,
    index_hundredths BIGINT NOT NULL
);

-- Every committed change, numbered and append-only: the audit trail and the live feed.
CREATE TABLE event (
    id          BIGSERIAL PRIMARY KEY,
    instansi_id BIGINT NOT NULL REFERENCES instansi (id),
    kind        TEXT   NOT NULL,
    subject     TEXT   NOT NULL,
    payload     TEXT   NOT NULL,
    actor_id    BIGINT REFERENCES users (id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX event_instansi ON event (instansi_id, id);
