-- Assessment workspace: the responsibility matrix, the evidence library, evidence on ledger
-- entries and the asesor's reviews. Same tables, columns and constraint names on both backends.

-- Per indicator of a cycle: the lead OPD and an effort estimate (1 light … 5 heavy, per level).
CREATE TABLE cycle_indicator (
    cycle_id       BIGINT NOT NULL REFERENCES cycle (id),
    indicator_code TEXT   NOT NULL,
    lead_opd_id    BIGINT REFERENCES opd (id),
    effort         BIGINT NOT NULL DEFAULT 3
                   CONSTRAINT cycle_indicator_effort_check CHECK (effort BETWEEN 1 AND 5),
    PRIMARY KEY (cycle_id, indicator_code)
);

-- Contributing OPDs of an indicator of a cycle (any number).
CREATE TABLE indicator_contributor (
    cycle_id       BIGINT NOT NULL REFERENCES cycle (id),
    indicator_code TEXT   NOT NULL,
    opd_id         BIGINT NOT NULL REFERENCES opd (id),
    PRIMARY KEY (cycle_id, indicator_code, opd_id)
);

-- An evidence item (data dukung) with its metadata; its content lives in versions.
CREATE TABLE evidence (
    id          BIGSERIAL PRIMARY KEY,
    instansi_id BIGINT NOT NULL REFERENCES instansi (id),
    title       TEXT   NOT NULL,
    doc_type    TEXT   NOT NULL CONSTRAINT evidence_doc_type_check
                CHECK (doc_type IN ('perwal', 'keputusan', 'sop', 'laporan', 'notulen',
                                    'tangkapan_layar', 'tautan', 'lainnya')),
    doc_number  TEXT   NOT NULL DEFAULT '',
    doc_year    BIGINT,
    opd_id      BIGINT REFERENCES opd (id),
    -- ISO date (YYYY-MM-DD) until which the document is valid; NULL: no end.
    valid_until TEXT,
    created_by  BIGINT REFERENCES users (id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX evidence_instansi ON evidence (instansi_id, id);

-- A version is a stored file (content-addressed by SHA-256) or a link; never replaced.
CREATE TABLE evidence_version (
    id          BIGSERIAL PRIMARY KEY,
    evidence_id BIGINT NOT NULL REFERENCES evidence (id),
    instansi_id BIGINT NOT NULL REFERENCES instansi (id),
    version     BIGINT NOT NULL,
    file_name   TEXT,
    media_type  TEXT,
    size_bytes  BIGINT,
    sha256      TEXT,
    url         TEXT,
    created_by  BIGINT REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    CONSTRAINT evidence_version_unique UNIQUE (evidence_id, version),
    CONSTRAINT evidence_version_kind_check
        CHECK ((sha256 IS NOT NULL AND url IS NULL) OR (sha256 IS NULL AND url IS NOT NULL))
);
CREATE INDEX evidence_version_hash ON evidence_version (instansi_id, sha256);

-- The exact evidence versions a ledger entry rests on.
CREATE TABLE level_entry_evidence (
    entry_id   BIGINT NOT NULL REFERENCES level_entry (id),
    version_id BIGINT NOT NULL REFERENCES evidence_version (id),
    PRIMARY KEY (entry_id, version_id)
);
CREATE INDEX level_entry_evidence_version ON level_entry_evidence (version_id);

-- The asesor's decision on a self-assessment (Mandiri) entry: accepted, or revision asked.
CREATE TABLE review (
    id             BIGSERIAL PRIMARY KEY,
    instansi_id    BIGINT NOT NULL REFERENCES instansi (id),
    cycle_id       BIGINT NOT NULL REFERENCES cycle (id),
    indicator_code TEXT   NOT NULL,
    entry_id       BIGINT NOT NULL REFERENCES level_entry (id),
    decision       TEXT   NOT NULL CONSTRAINT review_decision_check
                   CHECK (decision IN ('diterima', 'revisi')),
    reason         TEXT   NOT NULL DEFAULT '',
    reviewer_id    BIGINT REFERENCES users (id),
    created_at     BIGINT NOT NULL,
    -- One decision per claim: a double click or a second asesor cannot decide it twice.
    CONSTRAINT review_entry_unique UNIQUE (entry_id)
);
