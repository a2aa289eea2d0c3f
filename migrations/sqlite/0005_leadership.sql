-- Leadership war room, kiosk links, the joint commitment and per-user language (issue 5).
-- The PostgreSQL twin in ../postgres is the same but for the id spelling.

-- The head (kepala) of an OPD signs the joint commitment for it.
ALTER TABLE user_opd ADD COLUMN is_head BIGINT NOT NULL DEFAULT 0;

-- The user's interface language: 'id' (default) or 'en'.
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'id';

-- A read-only link to the leadership dashboard for a wall screen. Only a SHA-256 of the token is
-- stored; the koordinator sees the link once, and can revoke it.
CREATE TABLE kiosk_link (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    instansi_id BIGINT NOT NULL REFERENCES instansi (id),
    token_hash  TEXT   NOT NULL CONSTRAINT kiosk_link_token_unique UNIQUE,
    label       TEXT   NOT NULL,
    created_by  BIGINT REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX kiosk_link_instansi ON kiosk_link (instansi_id, id);

-- The joint commitment of a cycle: one text, published by the koordinator.
CREATE TABLE commitment (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    instansi_id  BIGINT NOT NULL REFERENCES instansi (id),
    cycle_id     BIGINT NOT NULL REFERENCES cycle (id),
    title        TEXT   NOT NULL,
    body         TEXT   NOT NULL,
    published_by BIGINT REFERENCES users (id),
    published_at BIGINT NOT NULL,
    CONSTRAINT commitment_cycle_unique UNIQUE (cycle_id)
);

-- One signature per OPD: who signed for it, and when.
CREATE TABLE commitment_signature (
    commitment_id BIGINT NOT NULL REFERENCES commitment (id),
    opd_id        BIGINT NOT NULL REFERENCES opd (id),
    user_id       BIGINT NOT NULL REFERENCES users (id),
    signed_at     BIGINT NOT NULL,
    PRIMARY KEY (commitment_id, opd_id)
);
