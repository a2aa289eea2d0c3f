-- Sign-in lockout (issue 7); personal API tokens and the national super-admin (issue 6).
-- The twin in the other backend's folder is the same but for the id spelling.

-- One row per failed sign-in, kept for the lockout window only.
CREATE TABLE login_failure (
    username TEXT   NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX login_failure_user ON login_failure (username, at);
CREATE INDEX login_failure_at ON login_failure (at);

-- Personal API tokens (issue 6): only a SHA-256 of the token is stored; shown once at creation.
CREATE TABLE api_token (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    instansi_id  BIGINT NOT NULL REFERENCES instansi (id),
    user_id      BIGINT NOT NULL REFERENCES users (id),
    name         TEXT   NOT NULL,
    scope        TEXT   NOT NULL CHECK (scope IN ('read', 'write')),
    token_hash   TEXT   NOT NULL CONSTRAINT api_token_hash_unique UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_token_user ON api_token (user_id, id);

-- A super-admin of the deployment reads the national roll-up of every instansi (read-only).
ALTER TABLE users ADD COLUMN is_national BIGINT NOT NULL DEFAULT 0;
