-- Cycle milestones, the SPBE → Pemdi crosswalk, frozen stage snapshots, pending imports of
-- official results, indicator discussions and level criteria. Same tables, columns and constraint names on both backends.

-- The dates of a cycle (ISO YYYY-MM-DD): self-assessment deadline, document review, interview,
-- visit, results.
CREATE TABLE milestone (
    cycle_id BIGINT NOT NULL REFERENCES cycle (id),
    kind     TEXT   NOT NULL CONSTRAINT milestone_kind_check
             CHECK (kind IN ('mandiri', 'dokumen', 'wawancara', 'visitasi', 'hasil')),
    due_on   TEXT   NOT NULL,
    PRIMARY KEY (cycle_id, kind)
);

-- Which indicators of one pack feed which indicator of another: data, per instansi, seeded
-- with a sensible default and editable by its koordinator.
CREATE TABLE crosswalk (
    instansi_id BIGINT NOT NULL REFERENCES instansi (id),
    from_pack   TEXT   NOT NULL,
    from_code   TEXT   NOT NULL,
    to_pack     TEXT   NOT NULL,
    to_code     TEXT   NOT NULL,
    PRIMARY KEY (instansi_id, from_pack, from_code, to_pack, to_code)
);

-- A submitted stage, frozen: the ledger entries in force at that moment. Entries and their
-- evidence versions are never changed, so the entry ids pin the exact evidence too.
CREATE TABLE snapshot (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    instansi_id BIGINT NOT NULL REFERENCES instansi (id),
    cycle_id    BIGINT NOT NULL REFERENCES cycle (id),
    stage       TEXT   NOT NULL CONSTRAINT snapshot_stage_check
                CHECK (stage IN ('target', 'mandiri', 'verifikasi', 'eksternal', 'akhir')),
    note        TEXT   NOT NULL DEFAULT '',
    created_by  BIGINT REFERENCES users (id),
    created_at  BIGINT NOT NULL
);

CREATE TABLE snapshot_entry (
    snapshot_id    BIGINT NOT NULL REFERENCES snapshot (id),
    indicator_code TEXT   NOT NULL,
    entry_id       BIGINT NOT NULL REFERENCES level_entry (id),
    PRIMARY KEY (snapshot_id, indicator_code)
);

-- An uploaded official result waiting for the koordinator's confirmation: nothing reaches the
-- ledger until it is confirmed, and then every row or none.
CREATE TABLE import_batch (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    instansi_id BIGINT NOT NULL REFERENCES instansi (id),
    cycle_id    BIGINT NOT NULL REFERENCES cycle (id),
    stage       TEXT   NOT NULL CONSTRAINT import_batch_stage_check
                CHECK (stage IN ('eksternal', 'akhir')),
    file_name   TEXT   NOT NULL,
    -- The parsed rows as JSON (code, level, note, problem).
    rows        TEXT   NOT NULL,
    status      TEXT   NOT NULL DEFAULT 'pratinjau' CONSTRAINT import_batch_status_check
                CHECK (status IN ('pratinjau', 'diterapkan', 'dibatalkan')),
    created_by  BIGINT REFERENCES users (id),
    created_at  BIGINT NOT NULL
);

-- The discussion of an indicator in a cycle (append-only, like everything else).
CREATE TABLE comment (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    instansi_id    BIGINT NOT NULL REFERENCES instansi (id),
    cycle_id       BIGINT NOT NULL REFERENCES cycle (id),
    indicator_code TEXT   NOT NULL,
    body           TEXT   NOT NULL,
    created_by     BIGINT REFERENCES users (id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX comment_indicator ON comment (cycle_id, indicator_code, id);

-- Level criteria (checklist items) per indicator of a cycle, seeded from the pack's level
-- descriptions and editable by the koordinator.
CREATE TABLE criterion (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    cycle_id       BIGINT NOT NULL REFERENCES cycle (id),
    indicator_code TEXT   NOT NULL,
    level          BIGINT NOT NULL CONSTRAINT criterion_level_check CHECK (level BETWEEN 1 AND 5),
    body           TEXT   NOT NULL,
    is_active      BIGINT NOT NULL DEFAULT 1,
    created_by     BIGINT REFERENCES users (id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX criterion_indicator ON criterion (cycle_id, indicator_code, level, id);

-- Marks on a criterion, append-only; the newest is in force: checked or not, the evidence
-- version it rests on, and whether the asesor accepted that evidence.
CREATE TABLE criterion_mark (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    criterion_id        BIGINT NOT NULL REFERENCES criterion (id),
    checked             BIGINT NOT NULL,
    evidence_version_id BIGINT REFERENCES evidence_version (id),
    accepted            BIGINT NOT NULL DEFAULT 0,
    created_by          BIGINT REFERENCES users (id),
    created_at          BIGINT NOT NULL
);
CREATE INDEX criterion_mark_criterion ON criterion_mark (criterion_id, id);
