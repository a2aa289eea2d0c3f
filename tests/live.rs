//! Live-stream drill (issue 7): a page that disconnects and reconnects again and again during a
//! burst of changes from several clients misses none of them, sees none twice, and sees them in
//! order, whether it resumes with the browser's `Last-Event-ID` or the page's `?setelah=`.
//! And a change wakes many open pages for one read of the event table, not one read each.
//! On SQLite and PostgreSQL.

mod common;

use common::live::{open_stream, read_events, Resume};
use common::{call, login, on_both, router, router_with_live};
use http::StatusCode;
use sinergi::live::ssr::{latest_event, LiveHub};
use sinergi::server::seed::{self, DEMO_PASSWORD};
use sqlx::Row;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A new card on the SPBE 2025 board, made by the koordinator: (board, card).
async fn new_card(app: &axum::Router, db: &sinergi::server::db::Db, koord: &str) -> (i64, i64) {
    let (board, columns) = common::spbe_board(app, koord).await;
    let lead = common::opd_id(db, "DISKOMINFO").await;
    let args = format!(
        "board={board}&column={}&title=Kartu+uji&lead={lead}",
        columns[0]
    );
    let (status, card) = call(app, "kartu-baru", &args, Some(koord)).await;
    assert_eq!(status, StatusCode::OK, "{card}");
    (board, card.trim().parse().unwrap())
}

/// Writes per writer; five writers.
const WRITES: usize = 100;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_reconnects_during_a_burst_misses_no_event() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let app = router(&t.db);
        let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE)
            .await
            .unwrap();
        let cycle = seed::cycle_id(&t.db, inst, "SPBE 2025").await.unwrap();
        let koord = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let (board, card) = new_card(&app, &t.db, &koord).await;
        let start = latest_event(&t.db, inst).await.unwrap();

        // The mayor's page follows the feed from here.
        let watcher = login(&app, "pimpinan", DEMO_PASSWORD).await.unwrap();
        let mut stream = open_stream(&app, &watcher, Resume::Setelah(start)).await;

        // The burst: four people comment on the card, one claims levels, all at once.
        let mut writers = Vec::new();
        for user in ["admin", "koordinator", "opd", "asesor", "kadinkes"] {
            let cookie = login(&app, user, DEMO_PASSWORD).await.unwrap();
            let app = app.clone();
            writers.push(tokio::spawn(async move {
                for i in 0..WRITES {
                    let (status, body) = if user == "opd" {
                        let level = 1 + i % 5;
                        call(
                            &app,
                            "klaim-level",
                            &format!(
                                "cycle={cycle}&code=45&level={level}&justification=Beban+{i}&evidence="
                            ),
                            Some(&cookie),
                        )
                        .await
                    } else {
                        call(
                            &app,
                            "kartu-komentar",
                            &format!("board={board}&card={card}&body={user}+{i}"),
                            Some(&cookie),
                        )
                        .await
                    };
                    assert_eq!(status, StatusCode::OK, "{user} write {i}: {body}");
                }
            }));
        }

        // Read a few events, drop the connection (a frame half received is lost with it),
        // sometimes stay away while changes land, reconnect with the last number seen.
        let started = Instant::now();
        let mut seen: Vec<i64> = Vec::new();
        let mut last = start;
        let mut reconnects = 0;
        let mut expected: Option<Vec<i64>> = None;
        loop {
            let want = [1, 7, 23, 40, 3, 15][reconnects % 6];
            for (id, _) in read_events(&mut stream, want, Duration::from_millis(300)).await {
                assert!(id > last, "event {id} after {last}: a duplicate or out of order");
                seen.push(id);
                last = id;
            }
            if expected.is_none() && writers.iter().all(|w| w.is_finished()) {
                for w in writers.drain(..) {
                    w.await.unwrap();
                }
                expected = Some(
                    sqlx::query("SELECT id FROM event WHERE instansi_id = $1 AND id > $2 ORDER BY id")
                        .bind(inst)
                        .bind(start)
                        .fetch_all(&t.db.pool)
                        .await
                        .unwrap()
                        .iter()
                        .map(|r| r.try_get::<i64, _>("id").unwrap())
                        .collect(),
                );
            }
            if let Some(all) = &expected {
                if seen.len() >= all.len() {
                    break;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(90),
                "{}: {} events seen after 90 s",
                t.label,
                seen.len()
            );
            drop(stream);
            reconnects += 1;
            if reconnects % 3 == 0 {
                tokio::time::sleep(Duration::from_millis(40)).await;
            }
            let resume = if reconnects % 2 == 0 {
                Resume::LastEventId(last)
            } else {
                Resume::Setelah(last)
            };
            stream = open_stream(&app, &watcher, resume).await;
        }
        let all = expected.unwrap();
        // One event per accepted write, every one of them seen, in order, once.
        assert_eq!(all.len(), 5 * WRITES, "{}: one event per write", t.label);
        assert_eq!(seen, all, "{}: the page saw exactly the committed events", t.label);
        assert!(reconnects >= 10, "{}: only {reconnects} reconnects", t.label);
        // And nothing more arrives.
        let more = read_events(&mut stream, 1, Duration::from_millis(600)).await;
        assert!(more.is_empty(), "{more:?}");
        eprintln!(
            "{}: {} events over {reconnects} reconnects in {:?}, none missed",
            t.label,
            seen.len(),
            started.elapsed()
        );
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_change_wakes_fifty_pages_for_one_read_of_the_table() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let hub = Arc::new(LiveHub::default());
        let (app, _) = router_with_live(&t.db, hub.clone());
        let koord = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let (board, card) = new_card(&app, &t.db, &koord).await;
        let watcher = login(&app, "pimpinan", DEMO_PASSWORD).await.unwrap();
        // Fifty open pages, each reading its stream as a browser does.
        let mut pages = Vec::new();
        for _ in 0..50 {
            let mut stream = open_stream(&app, &watcher, Resume::Newest).await;
            pages.push(tokio::spawn(async move {
                read_events(&mut stream, 1, Duration::from_secs(10)).await
            }));
        }
        // Each has made its first read and waits.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let before = hub.reads();
        let (status, body) = call(
            &app,
            "kartu-komentar",
            &format!("board={board}&card={card}&body=Untuk+semua"),
            Some(&koord),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let mut ids = Vec::new();
        for page in pages {
            let got = page.await.unwrap();
            assert_eq!(got.len(), 1, "{}: every page gets the change", t.label);
            ids.push(got[0].0);
        }
        assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
        let reads = hub.reads() - before;
        assert!(
            reads <= 2,
            "{}: {reads} reads of the event table for fifty pages",
            t.label
        );
        eprintln!("{}: one change, fifty pages, {reads} read(s)", t.label);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_compressed_for_a_browser_but_the_live_stream_never() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let app = router(&t.db);
        let cookie = login(&app, "pimpinan", DEMO_PASSWORD).await.unwrap();
        let fetch = |path: &'static str| {
            let app = app.clone();
            let cookie = cookie.clone();
            async move {
                let req = http::Request::get(path)
                    .header(http::header::COOKIE, cookie)
                    .header(http::header::ACCEPT_ENCODING, "gzip, deflate, br")
                    .body(axum::body::Body::empty())
                    .unwrap();
                tower::ServiceExt::oneshot(app, req).await.unwrap()
            }
        };
        let page = fetch("/dasbor").await;
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(
            page.headers().get(http::header::CONTENT_ENCODING).unwrap(),
            "br",
            "{}: the dashboard goes out compressed",
            t.label
        );
        // A compressed event stream would sit in the compressor's buffer: never.
        let stream = fetch("/api/peristiwa").await;
        assert_eq!(stream.status(), StatusCode::OK);
        assert_eq!(
            stream.headers().get(http::header::CONTENT_TYPE).unwrap(),
            "text/event-stream"
        );
        assert!(
            stream
                .headers()
                .get(http::header::CONTENT_ENCODING)
                .is_none(),
            "{}: the live stream is not compressed",
            t.label
        );
        t
    })
    .await;
}
