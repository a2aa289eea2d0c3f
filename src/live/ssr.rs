//! The SSE endpoint of the live feed.

use super::LiveEvent;
use crate::auth::ssr::{session_token, user_for_token};
use crate::server::db::Db;
use crate::server::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sqlx::Row;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

/// How often a stream looks for new events. One indexed query per open page per interval;
/// PostgreSQL LISTEN/NOTIFY can replace the wait later without changing the protocol.
pub const POLL: Duration = Duration::from_millis(500);
/// How often a stream re-checks that its session is still valid.
const SESSION_RECHECK: u32 = 60;

#[derive(Deserialize)]
pub struct StreamQuery {
    #[serde(default)]
    pub setelah: Option<i64>,
    /// A kiosk link's token, for a wall screen without a session.
    #[serde(default)]
    pub kios: Option<String>,
}

/// The newest event number of an instansi (0 when none).
pub async fn latest_event(db: &Db, instansi_id: i64) -> Result<i64, sqlx::Error> {
    let row = sqlx::query("SELECT COALESCE(MAX(id), 0) AS n FROM event WHERE instansi_id = $1")
        .bind(instansi_id)
        .fetch_one(&db.pool)
        .await?;
    row.try_get::<i64, _>("n")
}

/// Events of an instansi after a number, oldest first, at most 500.
pub async fn events_after(
    db: &Db,
    instansi_id: i64,
    after: i64,
) -> Result<Vec<LiveEvent>, sqlx::Error> {
    sqlx::query(
        "SELECT id, kind, subject FROM event WHERE instansi_id = $1 AND id > $2 ORDER BY id LIMIT 500",
    )
    .bind(instansi_id)
    .bind(after)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(LiveEvent {
            id: r.try_get("id")?,
            kind: r.try_get("kind")?,
            subject: r.try_get("subject")?,
        })
    })
    .collect()
}

struct Cursor {
    db: Db,
    live: std::sync::Arc<tokio::sync::Notify>,
    credential: Credential,
    instansi_id: i64,
    last: i64,
    queue: VecDeque<LiveEvent>,
    polls: u32,
}

/// Who is following a stream: a signed-in session, or a kiosk link (read-only, no sign-in).
#[derive(Clone)]
enum Credential {
    Session(String),
    Kiosk(String),
}

impl Credential {
    /// The instansi whose events it may read, while it is still valid.
    async fn instansi(&self, db: &Db) -> Result<Option<i64>, crate::error::AppError> {
        match self {
            Credential::Session(t) => Ok(user_for_token(db, t).await?.map(|u| u.instansi_id)),
            Credential::Kiosk(t) => crate::leadership::ssr::kiosk_instansi(db, t).await,
        }
    }
}

/// `GET /api/peristiwa`: 401 without a session (or a live kiosk link in `?kios=`); otherwise the
/// stream of the caller's instansi. A stream ends when its session ends or its link is revoked.
pub async fn stream_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<StreamQuery>,
) -> Response {
    let credential = match (session_token(&headers), q.kios.clone()) {
        (Some(t), _) => Credential::Session(t),
        (None, Some(k)) => Credential::Kiosk(k),
        (None, None) => {
            return (StatusCode::UNAUTHORIZED, "Silakan masuk terlebih dahulu.").into_response()
        }
    };
    let instansi_id = match credential.instansi(&state.db).await {
        Ok(Some(i)) => i,
        Ok(None) => {
            return (StatusCode::UNAUTHORIZED, "Silakan masuk terlebih dahulu.").into_response()
        }
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "Terjadi kesalahan.").into_response(),
    };
    // A reconnecting browser sends the last number it saw; it wins over the page's own.
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok());
    let last = match resume.or(q.setelah) {
        Some(n) => n.max(0),
        None => match latest_event(&state.db, instansi_id).await {
            Ok(n) => n,
            Err(_) => {
                return (StatusCode::INTERNAL_SERVER_ERROR, "Terjadi kesalahan.").into_response()
            }
        },
    };
    let cursor = Cursor {
        db: state.db.clone(),
        live: state.live.clone(),
        credential,
        instansi_id,
        last,
        queue: VecDeque::new(),
        polls: 0,
    };
    let stream = futures::stream::unfold(cursor, |mut c| async move {
        loop {
            if let Some(ev) = c.queue.pop_front() {
                let data = serde_json::to_string(&ev).unwrap_or_default();
                let event = Event::default().id(ev.id.to_string()).data(data);
                return Some((Ok::<_, Infallible>(event), c));
            }
            // A commit in this process wakes the stream at once; the poll catches the rest.
            tokio::select! {
                _ = tokio::time::sleep(POLL) => {}
                _ = c.live.notified() => {}
            }
            c.polls += 1;
            if c.polls % SESSION_RECHECK == 0
                && !matches!(c.credential.instansi(&c.db).await, Ok(Some(_)))
            {
                return None;
            }
            match events_after(&c.db, c.instansi_id, c.last).await {
                Ok(events) => {
                    if let Some(e) = events.last() {
                        c.last = e.id;
                    }
                    c.queue.extend(events);
                }
                Err(e) => tracing::warn!(error = %e, "live feed query failed; retrying"),
            }
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
