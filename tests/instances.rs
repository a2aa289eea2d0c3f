//! Several stateless instances on one PostgreSQL (issue 6).
//!
//! Two routers stand for two instances: each has its own connection pool and its own live hub,
//! and they share nothing but the database. A session opened on one is valid on the other; a
//! change made through one reaches a live stream on the other within a second. The second
//! instance's safety-net poll is set to a minute here, so only its LISTEN/NOTIFY listener can
//! be that fast. A stream that reconnects to the other instance resumes exactly where it was.
//! On a machine without PostgreSQL the test says so and skips, unless `REQUIRE_POSTGRES=1`.

mod common;

use common::live::{open_stream, read_events, Resume};
use common::{call, login, router_with_live};
use http::{header, StatusCode};
use sinergi::live::ssr::LiveHub;
use sinergi::server::db::Db;
use sinergi::server::seed::{self, DEMO_PASSWORD};
use std::time::{Duration, Instant};

async fn claim(app: &axum::Router, cookie: &str, cycle: i64, level: u8) {
    let (status, body) = call(
        app,
        "klaim-level",
        &format!("cycle={cycle}&code=45&level={level}&justification=Bukti+baru&evidence="),
        Some(cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_through_one_instance_reaches_a_stream_on_another_within_a_second() {
    let Some(t) = common::postgres().await else {
        return;
    };
    let test = async {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE)
            .await
            .unwrap();
        let cycle = seed::cycle_id(&t.db, inst, "SPBE 2025").await.unwrap();

        // Instance A: its own pool, no listener (its streams would only poll).
        let (a, _) = router_with_live(&t.db, Default::default());
        // Instance B: its own pool and a listener; a minute between polls.
        let db_b = Db::connect(&t.url).await.unwrap();
        let hub_b = LiveHub::listening(&t.url, Duration::from_secs(60));
        let (b, _) = router_with_live(&db_b, hub_b.clone());
        let started = Instant::now();
        while !hub_b.is_listening() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "listener connects"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }

        // Signed in on A, the session is valid on B.
        let cookie = login(&a, "opd", DEMO_PASSWORD).await.unwrap();
        let (status, body) = call(&b, "dasbor", "", Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK, "{body}");

        // A stream on B from now; a claim through A arrives within a second.
        let mut stream = open_stream(&b, &cookie, Resume::Newest).await;
        // Give the stream its first (empty) read so it waits on the hub, as a browser's does.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let sent = Instant::now();
        claim(&a, &cookie, cycle, 5).await;
        let got = read_events(&mut stream, 1, Duration::from_secs(5)).await;
        let took = sent.elapsed();
        assert_eq!(got.len(), 1, "the change reaches the other instance");
        assert_eq!(got[0].1, "level.dicatat");
        assert!(
            took < Duration::from_secs(1),
            "took {took:?}: only the notification can be this fast"
        );
        eprintln!("instance A → stream on instance B: {took:?}");

        // The browser goes away; three more changes land through A; it reconnects to B with
        // the last number it saw and receives exactly those three, in order.
        drop(stream);
        let last_seen = got[0].0;
        for level in [4, 3, 5] {
            claim(&a, &cookie, cycle, level).await;
        }
        let mut stream = open_stream(&b, &cookie, Resume::LastEventId(last_seen)).await;
        let missed = read_events(&mut stream, 3, Duration::from_secs(5)).await;
        assert_eq!(missed.len(), 3, "{missed:?}");
        assert!(missed.iter().all(|(_, k)| k == "level.dicatat"));
        assert!(missed.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(missed[0].0 > last_seen);
        // Nothing else arrives: no duplicate, no gap.
        let more = read_events(&mut stream, 1, Duration::from_millis(700)).await;
        assert!(more.is_empty(), "{more:?}");

        // Signing out on B ends the session on A too.
        let res = tower::ServiceExt::oneshot(
            b.clone(),
            http::Request::post("/keluar")
                .header(header::COOKIE, &cookie)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
        assert!(res.status().is_redirection());
        let (status, _) = call(&a, "dasbor", "", Some(&cookie)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        db_b.pool.close().await;
    };
    tokio::time::timeout(Duration::from_secs(120), test)
        .await
        .expect("two-instance test took over two minutes");
    t.close().await;
}
