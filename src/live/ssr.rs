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
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

/// How often an idle stream looks for new events on its own when nothing wakes it (one indexed
/// query per open page per interval). With PostgreSQL notifications the wait is longer: see
/// [`LiveHub::listening`].
pub const POLL: Duration = Duration::from_millis(500);
/// How often a stream re-checks that its session (or kiosk link) is still valid.
const SESSION_RECHECK: Duration = Duration::from_secs(30);

/// What wakes this instance's open live streams.
///
/// A request of this process that wrote an event row wakes them through [`LiveHub::publish`] once
/// it has answered ([`crate::server::wake_live`]: one place, whichever handler). With PostgreSQL, every
/// event row also sends a `NOTIFY` on [`CHANNEL`] inside its own transaction (so it is heard
/// only once the change is committed), and [`LiveHub::listening`] follows that channel: a change
/// made through any instance wakes the streams of every instance at once. The poll is the safety
/// net for whatever a wake could miss (a listener reconnecting, a write from outside the app).
///
/// Woken streams read from the hub's shared copy of each instansi's newest events
/// ([`LiveHub::events_after`]): one change wakes a thousand open pages for one query, not a
/// thousand.
#[derive(Debug)]
pub struct LiveHub {
    wake: tokio::sync::Notify,
    poll: Duration,
    listening: std::sync::atomic::AtomicBool,
    /// Counts wakes: a feed read at an older generation may miss a newer commit.
    generation: std::sync::atomic::AtomicU64,
    feeds: std::sync::Mutex<HashMap<i64, Arc<tokio::sync::Mutex<Feed>>>>,
    /// Queries of the event table made for streams (a figure for tests and benchmarks).
    reads: std::sync::atomic::AtomicU64,
}

/// The newest events of one instansi as the hub last read them: every event numbered above
/// `floor` up to `upto`, oldest first.
#[derive(Debug)]
struct Feed {
    floor: i64,
    upto: i64,
    events: VecDeque<LiveEvent>,
    /// The hub's generation when it was read, and when: a wake or the poll makes it stale.
    generation: Option<u64>,
    read_at: std::time::Instant,
}

/// How many of an instansi's newest events the hub keeps for streams that are a little behind
/// (one that is further behind reads the table itself). Small, so that a deployment with many
/// instansi holds little: 600 instansi keep at most about 150,000 events in memory.
const FEED_KEEP: usize = 256;
/// The most events a stream is handed in one read.
const BATCH: usize = 500;

/// The PostgreSQL notification channel of the event stream; the payload is the instansi id.
pub const CHANNEL: &str = "sinergi_peristiwa";

impl Default for LiveHub {
    fn default() -> Self {
        LiveHub::new(POLL)
    }
}

impl LiveHub {
    fn new(poll: Duration) -> LiveHub {
        LiveHub {
            wake: tokio::sync::Notify::new(),
            poll,
            listening: std::sync::atomic::AtomicBool::new(false),
            generation: std::sync::atomic::AtomicU64::new(0),
            feeds: std::sync::Mutex::new(HashMap::new()),
            reads: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Wakes every open stream of this instance (after a commit).
    pub fn publish(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.wake.notify_waiters();
    }

    /// How many times the event table has been read for this hub's streams.
    pub fn reads(&self) -> u64 {
        self.reads.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The events of `instansi_id` after number `after`, oldest first, at most 500.
    ///
    /// Served from the hub's shared copy while no wake has come since it was read and it is
    /// younger than half a poll; otherwise one stream reads the table for all (the others wait
    /// on the feed's lock and then share what it read). A stream further behind than the copy
    /// reaches reads the table itself.
    pub async fn events_after(
        &self,
        db: &Db,
        instansi_id: i64,
        after: i64,
    ) -> Result<Vec<LiveEvent>, sqlx::Error> {
        use std::sync::atomic::Ordering;
        // Read before the table: a commit after this point leaves the copy stale.
        let generation = self.generation.load(Ordering::SeqCst);
        let known = self
            .feeds
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&instansi_id)
            .cloned();
        let feed = match known {
            Some(feed) => feed,
            None => {
                // The copy starts at the newest event; streams behind it catch up from the table.
                self.reads.fetch_add(1, Ordering::Relaxed);
                let newest = latest_event(db, instansi_id).await?;
                self.feeds
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .entry(instansi_id)
                    .or_insert_with(|| {
                        Arc::new(tokio::sync::Mutex::new(Feed {
                            floor: newest,
                            upto: newest,
                            events: VecDeque::new(),
                            generation: None,
                            read_at: std::time::Instant::now(),
                        }))
                    })
                    .clone()
            }
        };
        let mut feed = feed.lock().await;
        if after < feed.floor {
            drop(feed);
            self.reads.fetch_add(1, Ordering::Relaxed);
            return events_after(db, instansi_id, after).await;
        }
        // Read at this generation or a later one and recently: nothing committed is missing.
        let current = feed.generation.is_some_and(|g| g >= generation)
            && feed.read_at.elapsed() < self.poll / 2;
        if !current {
            loop {
                self.reads.fetch_add(1, Ordering::Relaxed);
                let batch = events_after(db, instansi_id, feed.upto).await?;
                let full = batch.len() == BATCH;
                for e in batch {
                    feed.upto = e.id;
                    feed.events.push_back(e);
                }
                if !full {
                    break;
                }
            }
            while feed.events.len() > FEED_KEEP {
                if let Some(e) = feed.events.pop_front() {
                    feed.floor = e.id;
                }
            }
            feed.generation = Some(feed.generation.map_or(generation, |g| g.max(generation)));
            feed.read_at = std::time::Instant::now();
        }
        let start = feed.events.partition_point(|e| e.id <= after);
        Ok(feed.events.range(start..).take(BATCH).cloned().collect())
    }

    /// How long an idle stream waits before it looks at the event table on its own.
    pub fn poll(&self) -> Duration {
        self.poll
    }

    /// Whether the PostgreSQL listener is connected and following [`CHANNEL`] now.
    pub fn is_listening(&self) -> bool {
        self.listening.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A hub that follows PostgreSQL notifications at `url` (reconnecting on its own) and polls
    /// only every `poll` as a safety net. Must be called inside a Tokio runtime.
    pub fn listening(url: &str, poll: Duration) -> Arc<LiveHub> {
        let hub = Arc::new(LiveHub::new(poll));
        let weak = Arc::downgrade(&hub);
        let url = url.to_string();
        tokio::spawn(async move {
            use std::sync::atomic::Ordering::Relaxed;
            loop {
                match listen(&url).await {
                    Ok(mut listener) => {
                        let Some(hub) = weak.upgrade() else { return };
                        hub.listening.store(true, Relaxed);
                        // Anything committed while we were not listening is read now.
                        hub.publish();
                        drop(hub);
                        loop {
                            let got = listener.try_recv().await;
                            let Some(hub) = weak.upgrade() else { return };
                            match got {
                                Ok(Some(_)) => hub.publish(),
                                // The connection dropped; sqlx reconnects at the next call and
                                // what was sent meanwhile is lost, so streams look for themselves.
                                Ok(None) => hub.publish(),
                                Err(e) => {
                                    tracing::warn!(error = %e, "live listener failed; reconnecting");
                                    hub.listening.store(false, Relaxed);
                                    break;
                                }
                            }
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot LISTEN for live events; retrying");
                        if weak.strong_count() == 0 {
                            return;
                        }
                    }
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
        hub
    }
}

async fn listen(url: &str) -> Result<sqlx::postgres::PgListener, sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

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

/// Events of an instansi after a number, oldest first, at most 500, from the table.
pub async fn events_after(
    db: &Db,
    instansi_id: i64,
    after: i64,
) -> Result<Vec<LiveEvent>, sqlx::Error> {
    sqlx::query(
        "SELECT id, kind, subject FROM event WHERE instansi_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(instansi_id)
    .bind(after)
    .bind(BATCH as i64)
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
    live: Arc<LiveHub>,
    credential: Credential,
    instansi_id: i64,
    last: i64,
    queue: VecDeque<LiveEvent>,
    next_check: tokio::time::Instant,
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
        next_check: tokio::time::Instant::now() + SESSION_RECHECK,
    };
    let stream = futures::stream::unfold(cursor, |mut c| async move {
        loop {
            if let Some(ev) = c.queue.pop_front() {
                let data = serde_json::to_string(&ev).unwrap_or_default();
                let event = Event::default().id(ev.id.to_string()).data(data);
                return Some((Ok::<_, Infallible>(event), c));
            }
            // Armed before the read: a commit that lands while the read runs still wakes the
            // wait below, so no change waits for the poll.
            let hub = c.live.clone();
            let woken = hub.wake.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            if tokio::time::Instant::now() >= c.next_check {
                if !matches!(c.credential.instansi(&c.db).await, Ok(Some(_))) {
                    return None;
                }
                c.next_check = tokio::time::Instant::now() + SESSION_RECHECK;
            }
            match c.live.events_after(&c.db, c.instansi_id, c.last).await {
                Ok(events) => {
                    if let Some(e) = events.last() {
                        c.last = e.id;
                    }
                    c.queue.extend(events);
                }
                Err(e) => tracing::warn!(error = %e, "live feed query failed; retrying"),
            }
            if c.queue.is_empty() {
                tokio::select! {
                    _ = tokio::time::sleep(hub.poll()) => {}
                    _ = woken => {}
                }
            }
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
