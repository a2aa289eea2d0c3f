-- Collaboration boards (SQLite). The PostgreSQL twin differs only in the id spelling.
-- A board belongs to one cycle; its columns are ordered; cards are ordered within a column.

CREATE TABLE board (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    instansi_id BIGINT NOT NULL REFERENCES instansi (id),
    cycle_id    BIGINT NOT NULL REFERENCES cycle (id),
    name        TEXT   NOT NULL,
    is_default  BIGINT NOT NULL DEFAULT 0,
    -- Bumped by every move: the first write of a move's transaction, so concurrent moves on one
    -- board queue behind each other (a row lock on PostgreSQL, the write lock on SQLite).
    revision    BIGINT NOT NULL DEFAULT 0,
    created_by  BIGINT REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    CONSTRAINT board_name_unique UNIQUE (cycle_id, name)
);

CREATE TABLE board_column (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    board_id BIGINT NOT NULL REFERENCES board (id),
    name     TEXT   NOT NULL,
    position BIGINT NOT NULL,
    -- Cards moved here are finished (default: the last column, "Selesai").
    is_done  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX board_column_board ON board_column (board_id, position);

CREATE TABLE card (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    instansi_id BIGINT NOT NULL REFERENCES instansi (id),
    board_id    BIGINT NOT NULL REFERENCES board (id),
    column_id   BIGINT NOT NULL REFERENCES board_column (id),
    position    BIGINT NOT NULL,
    title       TEXT   NOT NULL,
    description TEXT   NOT NULL DEFAULT '',
    lead_opd_id BIGINT NOT NULL REFERENCES opd (id),
    -- YYYY-MM-DD (WIB), or NULL.
    due_date    TEXT,
    -- Every edit of the card's fields must name the version it started from.
    version     BIGINT NOT NULL DEFAULT 1,
    done_at     BIGINT,
    created_by  BIGINT REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    updated_by  BIGINT REFERENCES users (id),
    updated_at  BIGINT NOT NULL
);
CREATE INDEX card_board ON card (board_id, column_id, position);

CREATE TABLE card_opd (
    card_id BIGINT NOT NULL REFERENCES card (id),
    opd_id  BIGINT NOT NULL REFERENCES opd (id),
    PRIMARY KEY (card_id, opd_id)
);

CREATE TABLE card_indicator (
    card_id        BIGINT NOT NULL REFERENCES card (id),
    indicator_code TEXT   NOT NULL,
    target_level   BIGINT NOT NULL CONSTRAINT card_indicator_level_check CHECK (target_level BETWEEN 1 AND 5),
    PRIMARY KEY (card_id, indicator_code)
);

CREATE TABLE card_assignee (
    card_id BIGINT NOT NULL REFERENCES card (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (card_id, user_id)
);

CREATE TABLE card_label (
    card_id BIGINT NOT NULL REFERENCES card (id),
    label   TEXT   NOT NULL,
    PRIMARY KEY (card_id, label)
);

CREATE TABLE card_check (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    card_id    BIGINT NOT NULL REFERENCES card (id),
    body       TEXT   NOT NULL,
    position   BIGINT NOT NULL,
    done       BIGINT NOT NULL DEFAULT 0,
    done_by    BIGINT REFERENCES users (id),
    done_at    BIGINT
);
CREATE INDEX card_check_card ON card_check (card_id, position);

CREATE TABLE card_attachment (
    card_id     BIGINT NOT NULL REFERENCES card (id),
    evidence_id BIGINT NOT NULL REFERENCES evidence (id),
    added_by    BIGINT REFERENCES users (id),
    added_at    BIGINT NOT NULL,
    PRIMARY KEY (card_id, evidence_id)
);

CREATE TABLE card_comment (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    card_id    BIGINT NOT NULL REFERENCES card (id),
    body       TEXT   NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX card_comment_card ON card_comment (card_id, id);

-- In-app notifications; `dedupe` keeps a due-soon reminder from being written twice.
CREATE TABLE notification (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    instansi_id BIGINT NOT NULL REFERENCES instansi (id),
    user_id     BIGINT NOT NULL REFERENCES users (id),
    kind        TEXT   NOT NULL CONSTRAINT notification_kind_check
                CHECK (kind IN ('sebutan', 'penugasan', 'tenggat', 'usulan')),
    card_id     BIGINT REFERENCES card (id),
    body        TEXT   NOT NULL,
    dedupe      TEXT,
    created_at  BIGINT NOT NULL,
    read_at     BIGINT,
    CONSTRAINT notification_dedupe_unique UNIQUE (user_id, dedupe)
);
CREATE INDEX notification_user ON notification (user_id, id);

-- Who has a board open (and which card they edit); rows older than a few seconds are stale.
CREATE TABLE presence (
    board_id BIGINT NOT NULL REFERENCES board (id),
    user_id  BIGINT NOT NULL REFERENCES users (id),
    card_id  BIGINT,
    seen_at  BIGINT NOT NULL,
    PRIMARY KEY (board_id, user_id)
);

-- A card's activity is the events of its subject.
CREATE INDEX event_subject ON event (instansi_id, subject, id);
