//! The national roll-up for a super-admin and the synthetic national-scale dataset (issue 6),
//! on SQLite and PostgreSQL.

mod common;

use common::{call, get, login, on_both, router};
use http::StatusCode;
use serde_json::Value;
use sinergi::dashboard::ssr::dashboard_for;
use sinergi::server::seed::{self, DEMO_PASSWORD};
use sinergi::server::synthetic;
use sqlx::Row;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_super_admin_reads_every_instansi_and_nobody_else_does() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let mut seen = Vec::new();
        let added = synthetic::synthesize(&t.db, 3, 2, 2025, |n, of| seen.push((n, of)))
            .await
            .unwrap();
        assert_eq!(added, 3);
        assert_eq!(seen.last(), Some(&(3, 3)), "progress is reported");
        // A re-run adds nothing.
        assert_eq!(
            synthetic::synthesize(&t.db, 3, 2, 2025, |_, _| {})
                .await
                .unwrap(),
            0
        );
        let entries: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM level_entry WHERE justification = 'sintetis'")
                .fetch_one(&t.db.pool)
                .await
                .unwrap()
                .try_get("n")
                .unwrap();
        assert_eq!(entries, 3 * 2 * 47 * 5, "{}", t.label);

        let app = router(&t.db);
        let admin = login(&app, "admin", DEMO_PASSWORD).await.unwrap();
        let (status, body) = call(&app, "nasional", "", Some(&admin)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let r: Value = serde_json::from_str(&body).unwrap();
        let rows = r["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 4, "the demo and three synthetic instansi");
        assert_eq!(r["summary"]["instansi"], 4);
        // Highest first.
        let heads: Vec<i64> = rows.iter().filter_map(|x| x["headline"].as_i64()).collect();
        assert!(heads.windows(2).all(|w| w[0] >= w[1]), "{heads:?}");
        // Each row agrees with that instansi's own dashboard.
        for row in rows {
            let id = seed::instansi_id(&t.db, row["code"].as_str().unwrap())
                .await
                .unwrap();
            let d = dashboard_for(&t.db, id, "", None).await.unwrap();
            let mandiri = d
                .stages
                .iter()
                .find(|s| s.stage.as_str() == "mandiri")
                .unwrap();
            assert_eq!(
                row["mandiri"]["text"].as_str(),
                mandiri.index.as_ref().map(|f| f.text.as_str()),
                "{}: {row}",
                t.label
            );
            assert_eq!(row["cycle"].as_str(), Some(d.cycle_name.as_str()));
        }
        let demo = rows
            .iter()
            .find(|x| x["code"] == seed::DEMO_INSTANSI_CODE)
            .unwrap();
        assert_eq!(demo["mandiri"]["text"], "4,38");
        // The page, server-rendered.
        let page = common::body_text(get(&app, "/nasional", Some(&admin)).await).await;
        assert!(
            page.contains("Rekap nasional") && page.contains("sintetis-0002"),
            "{page}"
        );

        // Everyone else: 403, and no other instansi's name on the page.
        for user in ["koordinator", "pimpinan", "viewer"] {
            let cookie = login(&app, user, DEMO_PASSWORD).await.unwrap();
            let (status, body) = call(&app, "nasional", "", Some(&cookie)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{user}: {body}");
            let page = common::body_text(get(&app, "/nasional", Some(&cookie)).await).await;
            assert!(!page.contains("Sintetis"), "{user}");
        }
        let (status, _) = call(&app, "nasional", "", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        // The super-admin still sees no page of another instansi.
        let other = seed::instansi_id(&t.db, &synthetic::code(1)).await.unwrap();
        let cycle = seed::cycle_id(&t.db, other, "SPBE 2025").await.unwrap();
        let (status, _) = call(&app, "dasbor", &format!("cycle={cycle}"), Some(&admin)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_size_is_refused_with_a_clear_message() {
    on_both(|t| async move {
        let err = synthetic::synthesize(&t.db, 0, 8, 2025, |_, _| {})
            .await
            .unwrap_err();
        assert!(err.to_string().contains("1–10.000"), "{err}");
        let err = synthetic::synthesize(&t.db, 5, 31, 2025, |_, _| {})
            .await
            .unwrap_err();
        assert!(err.to_string().contains("1–30"));
        t
    })
    .await;
}
