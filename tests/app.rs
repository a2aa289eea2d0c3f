//! The application through its real router, on SQLite and on PostgreSQL.

mod common;

use common::{call, get, login, on_both, router};
use http::{header, StatusCode};
use serde_json::Value;
use sinergi::auth::Role;
use sinergi::scoring::ratio::Ratio;
use sinergi::scoring::Framework;
use sinergi::server::seed::{self, DEMO_PASSWORD, SPBE_2025_MANDIRI};
use sqlx::Row;

async fn seeded(t: &common::TestDb) {
    assert!(seed::seed_demo(&t.db).await.expect("seed"), "{}", t.label);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeding_twice_changes_nothing_and_gives_one_account_per_role() {
    on_both(|t| async move {
        seeded(&t).await;
        assert!(!seed::seed_demo(&t.db).await.unwrap(), "{}", t.label);
        let rows = sqlx::query("SELECT role FROM users ORDER BY id")
            .fetch_all(&t.db.pool)
            .await
            .unwrap();
        let roles: Vec<String> = rows.iter().map(|r| r.try_get("role").unwrap()).collect();
        // One account per role, and the head of the health office (an OPD member too).
        let expected: Vec<&str> = seed::DEMO_USERS.iter().map(|u| u.2.as_str()).collect();
        assert_eq!(roles, expected, "{}", t.label);
        for role in Role::ALL {
            assert!(roles.iter().any(|r| r == role.as_str()), "{role:?}");
        }
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM event")
            .fetch_one(&t.db.pool)
            .await
            .unwrap()
            .try_get("n")
            .unwrap();
        assert_eq!(
            n as usize,
            seed::DEMO_USERS.len() + 1,
            "one event for the seed and one per account ({})",
            t.label
        );
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_role_signs_in_and_reads_the_dashboard_of_the_current_cycle() {
    on_both(|t| async move {
        seeded(&t).await;
        let app = router(&t.db);
        let f = Framework::from_json(sinergi::scoring::BUILTIN_PACKS[0]).unwrap();
        let levels: Vec<Ratio> = SPBE_2025_MANDIRI
            .iter()
            .map(|l| Ratio::from_int(*l as i128))
            .collect();
        let expected = f.score_vec(&levels).unwrap();
        for role in Role::ALL {
            let cookie = login(&app, role.as_str(), DEMO_PASSWORD)
                .await
                .expect("cookie");
            let (status, body) = call(&app, "dasbor", "", Some(&cookie)).await;
            assert_eq!(status, StatusCode::OK, "{} {role:?}: {body}", t.label);
            let d: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(d["cycle_name"], "SPBE 2025");
            assert_eq!(d["headline_stage"], "mandiri");
            assert_eq!(d["headline"]["text"], expected.index_text(','));
            assert_eq!(d["headline"]["text"], "4,38");
            assert_eq!(d["predicate"], "Memuaskan");
            assert_eq!(d["aspects"].as_array().unwrap().len(), 8);
            assert_eq!(d["domains"].as_array().unwrap().len(), 4);
            assert_eq!(
                d["domains"][0]["index"]["text"],
                expected.domains[0].text(2, ',')
            );
            // Verification covers 30 of 47 indicators: no index for that stage yet.
            assert_eq!(d["stages"][2]["filled"], 30);
            assert!(d["stages"][2]["index"].is_null());
            assert_eq!(d["history"].as_array().unwrap().len(), 7);
        }
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_call_gets_401_and_no_data() {
    on_both(|t| async move {
        seeded(&t).await;
        let app = router(&t.db);
        let (status, body) = call(&app, "dasbor", "", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{}", t.label);
        assert!(!body.contains("4,38"));
        let (status, _) = call(&app, "daftar-pengguna", "", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, body) = call(&app, "dasbor", "", Some("sinergi_sesi=forged")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_returns_to_the_form_without_a_session() {
    on_both(|t| async move {
        seeded(&t).await;
        let app = router(&t.db);
        let res = tower::ServiceExt::oneshot(
            app.clone(),
            http::Request::post("/masuk")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(axum::body::Body::from(
                    "username=admin&password=salah-sekali",
                ))
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(res.headers()[header::LOCATION], "/masuk?galat=kredensial");
        assert!(res.headers().get(header::SET_COOKIE).is_none());
        let page = common::body_text(get(&app, "/masuk?galat=kredensial", None).await).await;
        assert!(
            page.contains("Nama pengguna atau kata sandi salah."),
            "{}",
            t.label
        );
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admin_and_koordinator_list_accounts() {
    on_both(|t| async move {
        seeded(&t).await;
        let app = router(&t.db);
        for role in Role::ALL {
            let cookie = login(&app, role.as_str(), DEMO_PASSWORD).await.unwrap();
            let (status, body) = call(&app, "daftar-pengguna", "", Some(&cookie)).await;
            if role.manages_accounts() {
                assert_eq!(status, StatusCode::OK, "{role:?}");
                let rows: Value = serde_json::from_str(&body).unwrap();
                assert_eq!(rows.as_array().unwrap().len(), seed::DEMO_USERS.len());
                assert!(!body.contains("argon2"), "no hash leaves the server");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{} {role:?}", t.label);
                assert!(!body.contains("koordinator"));
            }
        }
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_page_is_server_rendered_with_the_index() {
    on_both(|t| async move {
        seeded(&t).await;
        let app = router(&t.db);
        let res = get(&app, "/dasbor", None).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(res.headers()[header::LOCATION], "/masuk?lanjut=%2Fdasbor");
        let cookie = login(&app, "pimpinan", DEMO_PASSWORD).await.unwrap();
        let res = get(&app, "/dasbor", Some(&cookie)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = common::body_text(res).await;
        assert!(
            html.contains(r#"data-testid="indeks" class="big">4,38<"#),
            "{}: {html}",
            t.label
        );
        assert!(html.contains("Memuaskan"));
        assert!(
            html.contains("Kebijakan Internal SPBE"),
            "domain names are in the HTML"
        );
        assert!(html.contains("Wali Kota"));
        assert!(html.contains(r#"<html lang="id""#));
        let res = get(&app, "/", Some(&cookie)).await;
        assert_eq!(res.headers()[header::LOCATION], "/dasbor");
        let res = get(&app, "/", None).await;
        assert_eq!(res.headers()[header::LOCATION], "/masuk");
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pemdi_cycle_has_aspects_but_no_domains() {
    on_both(|t| async move {
        seeded(&t).await;
        let app = router(&t.db);
        let id: i64 = sqlx::query("SELECT id FROM cycle WHERE name = 'Pemdi 2026'")
            .fetch_one(&t.db.pool)
            .await
            .unwrap()
            .try_get("id")
            .unwrap();
        let cookie = login(&app, "viewer", DEMO_PASSWORD).await.unwrap();
        let (status, body) = call(&app, "dasbor", &format!("cycle={id}"), Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let d: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(d["aspects"].as_array().unwrap().len(), 7);
        assert!(d["domains"].as_array().unwrap().is_empty());
        assert_eq!(d["cycles"].as_array().unwrap().len(), 2);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_newest_ledger_entry_is_in_force() {
    on_both(|t| async move {
        seeded(&t).await;
        let app = router(&t.db);
        let cookie = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        // Lower indicator 32 (2.75 %) from 5 to 1 in a new Mandiri entry: 4.3805 - 0.11 = 4.2705.
        sqlx::query(
            "INSERT INTO level_entry (instansi_id, cycle_id, indicator_code, stage, level_num, level_den, created_at) \
             SELECT instansi_id, id, '32', 'mandiri', 1, 1, 0 FROM cycle WHERE name = 'SPBE 2025'",
        )
        .execute(&t.db.pool)
        .await
        .unwrap();
        let (_, body) = call(&app, "dasbor", "", Some(&cookie)).await;
        let d: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(d["headline"]["exact"], "4,2705", "{}", t.label);
        assert_eq!(d["headline"]["text"], "4,27");
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_level_outside_one_to_five_cannot_be_stored() {
    on_both(|t| async move {
        seeded(&t).await;
        let r = sqlx::query(
            "INSERT INTO level_entry (instansi_id, cycle_id, indicator_code, stage, level_num, level_den, created_at) \
             SELECT instansi_id, id, '1', 'mandiri', 6, 1, 0 FROM cycle WHERE name = 'SPBE 2025'",
        )
        .execute(&t.db.pool)
        .await;
        assert!(r.is_err(), "{}", t.label);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_instansi_cannot_read_our_cycle() {
    on_both(|t| async move {
        seeded(&t).await;
        let app = router(&t.db);
        sqlx::query("INSERT INTO instansi (code, name, created_at) VALUES ('kab-lain', 'Kabupaten Lain', 0)")
            .execute(&t.db.pool)
            .await
            .unwrap();
        let other = seed::instansi_id(&t.db, "kab-lain").await.unwrap();
        sinergi::auth::ssr::create_user(&t.db, other, "tamu.lain", "Tamu", "rahasia-panjang", Role::Koordinator, &[])
            .await
            .unwrap();
        let ours: i64 = sqlx::query("SELECT id FROM cycle WHERE name = 'SPBE 2025'")
            .fetch_one(&t.db.pool)
            .await
            .unwrap()
            .try_get("id")
            .unwrap();
        let cookie = login(&app, "tamu.lain", "rahasia-panjang").await.unwrap();
        let (status, body) = call(&app, "dasbor", &format!("cycle={ours}"), Some(&cookie)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}: {body}", t.label);
        assert!(!body.contains("4,38"));
        let (status, body) = call(&app, "daftar-pengguna", "", Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK);
        let rows: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(rows.as_array().unwrap().len(), 1, "only its own accounts");
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_ends_the_session_on_the_server() {
    on_both(|t| async move {
        seeded(&t).await;
        let app = router(&t.db);
        let cookie = login(&app, "asesor", DEMO_PASSWORD).await.unwrap();
        let res = tower::ServiceExt::oneshot(
            app.clone(),
            http::Request::post("/keluar")
                .header(header::COOKIE, &cookie)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(res.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0"));
        let (status, _) = call(&app, "dasbor", "", Some(&cookie)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{}", t.label);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_new_account_is_refused_and_leaves_nothing_behind() {
    on_both(|t| async move {
        seeded(&t).await;
        let id = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE)
            .await
            .unwrap();
        let count = || async {
            sqlx::query("SELECT COUNT(*) AS n FROM users")
                .fetch_one(&t.db.pool)
                .await
                .unwrap()
                .try_get::<i64, _>("n")
                .unwrap()
        };
        let before = count().await;
        let dup = sinergi::auth::ssr::create_user(
            &t.db,
            id,
            "admin",
            "",
            "panjang-sekali",
            Role::Viewer,
            &[],
        )
        .await;
        assert!(dup.unwrap_err().to_string().contains("sudah dipakai"));
        let opd = sinergi::auth::ssr::create_user(
            &t.db,
            id,
            "staf.baru",
            "",
            "panjang-sekali",
            Role::Opd,
            &["TIDAKADA".into()],
        )
        .await;
        assert!(opd.unwrap_err().to_string().contains("TIDAKADA"));
        let short = sinergi::auth::ssr::create_user(
            &t.db,
            id,
            "staf.baru",
            "",
            "pendek",
            Role::Viewer,
            &[],
        )
        .await;
        assert!(short.unwrap_err().to_string().contains("minimal"));
        assert_eq!(count().await, before, "{}", t.label);
        sinergi::auth::ssr::create_user(
            &t.db,
            id,
            "staf.baru",
            "",
            "panjang-sekali",
            Role::Opd,
            &["DINKES".into()],
        )
        .await
        .unwrap();
        assert_eq!(count().await, before + 1);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_answers_ok() {
    on_both(|t| async move {
        let res = get(&router(&t.db), "/healthz", None).await;
        assert_eq!(res.status(), StatusCode::OK, "{}", t.label);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_page_is_a_404_in_indonesian() {
    on_both(|t| async move {
        seeded(&t).await;
        let res = get(&router(&t.db), "/tidak-ada", None).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{}", t.label);
        assert!(common::body_text(res)
            .await
            .contains("Halaman tidak ditemukan"));
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_pack_version_imports_and_a_bad_pack_is_refused_by_name() {
    on_both(|t| async move {
        sinergi::server::load_builtin_packs(&t.db).await.unwrap();
        let mut doc: Value = serde_json::from_str(sinergi::scoring::BUILTIN_PACKS[1]).unwrap();
        let again = sinergi::server::import_pack(&t.db, &doc.to_string()).await;
        assert!(again.unwrap_err().contains("already loaded"), "{}", t.label);
        doc["version"] = 2.into();
        let f = sinergi::server::import_pack(&t.db, &doc.to_string())
            .await
            .unwrap();
        assert_eq!(f.version, 2);
        doc["version"] = 3.into();
        doc["indicators"][0]["weight"] = "7".into();
        let bad = sinergi::server::import_pack(&t.db, &doc.to_string())
            .await
            .unwrap_err();
        assert!(bad.contains("indicator weights sum to 102"), "{bad}");
        let n: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM framework_pack WHERE code = 'pemdi-2026'")
                .fetch_one(&t.db.pool)
                .await
                .unwrap()
                .try_get("n")
                .unwrap();
        assert_eq!(n, 2);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recording_a_level_writes_the_entry_and_its_event_or_nothing() {
    use sinergi::assessment::ssr::{record_level, LevelClaim};
    use sinergi::assessment::Stage;
    on_both(|t| async move {
        seeded(&t).await;
        let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE)
            .await
            .unwrap();
        let cycle = seed::cycle_id(&t.db, inst, "SPBE 2025").await.unwrap();
        let counts = || async {
            let e: i64 = sqlx::query("SELECT COUNT(*) AS n FROM event")
                .fetch_one(&t.db.pool)
                .await
                .unwrap()
                .try_get("n")
                .unwrap();
            let l: i64 = sqlx::query("SELECT COUNT(*) AS n FROM level_entry")
                .fetch_one(&t.db.pool)
                .await
                .unwrap()
                .try_get("n")
                .unwrap();
            (e, l)
        };
        let before = counts().await;
        let claim = |indicator: &'static str, level: &'static str| LevelClaim {
            cycle_id: cycle,
            indicator,
            stage: Stage::Akhir,
            level,
            justification: "hasil nasional",
            actor_id: None,
        };
        for (ind, lvl, needle) in [
            ("48", "3", "'48'"),
            ("1", "6", "'6'"),
            ("1", "tiga", "'tiga'"),
            ("1", "0", "'0'"),
        ] {
            let e = record_level(&t.db, inst, claim(ind, lvl))
                .await
                .unwrap_err();
            assert!(e.to_string().contains(needle), "{}: {e}", t.label);
        }
        assert_eq!(
            counts().await,
            before,
            "refusals write nothing ({})",
            t.label
        );
        let other = LevelClaim {
            cycle_id: cycle + 100,
            ..claim("1", "3")
        };
        assert!(matches!(
            record_level(&t.db, inst, other).await,
            Err(sinergi::error::AppError::NotFound(_))
        ));
        let event = record_level(&t.db, inst, claim("1", "7/2")).await.unwrap();
        assert_eq!(counts().await, (before.0 + 1, before.1 + 1));
        let latest = sinergi::live::ssr::latest_event(&t.db, inst).await.unwrap();
        assert_eq!(latest, event);
        let events = sinergi::live::ssr::events_after(&t.db, inst, event - 1)
            .await
            .unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, "level.dicatat");
        assert_eq!(events[0].subject, format!("siklus/{cycle}/indikator/1"));
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_feed_needs_a_session_and_resumes_after_the_number_given() {
    use futures::StreamExt;
    on_both(|t| async move {
        seeded(&t).await;
        let app = router(&t.db);
        let res = get(&app, "/api/peristiwa", None).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{}", t.label);
        let cookie = login(&app, "viewer", DEMO_PASSWORD).await.unwrap();
        // From 0: the stream replays every event of the instansi, in order, with its number.
        let res = tower::ServiceExt::oneshot(
            app.clone(),
            http::Request::get("/api/peristiwa")
                .header(header::COOKIE, &cookie)
                .header("last-event-id", "0")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream"));
        let mut body = res.into_body().into_data_stream();
        let mut text = String::new();
        // One event per demo account, then the seed's own.
        while text.matches("id: ").count() < seed::DEMO_USERS.len() + 1 {
            let chunk = tokio::time::timeout(std::time::Duration::from_secs(5), body.next())
                .await
                .expect("events arrive")
                .expect("stream open")
                .unwrap();
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
        assert!(text.contains("id: 1\n"), "{text}");
        assert!(text.contains("demo.disemai"));
        assert!(text.contains("pengguna.dibuat"));
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers_and_only_a_kiosk_may_be_framed() {
    on_both(|t| async move {
        seeded(&t).await;
        let app = router(&t.db);
        for path in ["/masuk", "/healthz", "/tidak-ada", "/pkg/tidak-ada.js"] {
            let res = get(&app, path, None).await;
            let h = res.headers();
            assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(h["referrer-policy"], "same-origin", "{path}");
            assert_eq!(h["x-frame-options"], "DENY", "{path}");
            assert!(h["permissions-policy"]
                .to_str()
                .unwrap()
                .contains("camera=()"));
        }
        let res = get(&app, "/kios/bukan-token", None).await;
        assert_eq!(
            res.headers()["x-frame-options"],
            "SAMEORIGIN",
            "{}",
            t.label
        );
        assert!(res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .ends_with("frame-ancestors 'self'"));
        // HSTS only behind TLS (the proxy says so); never on plain HTTP, where it would lock a
        // LAN deployment out.
        assert!(get(&app, "/masuk", None)
            .await
            .headers()
            .get("strict-transport-security")
            .is_none());
        let res = tower::ServiceExt::oneshot(
            app.clone(),
            http::Request::get("/masuk")
                .header("x-forwarded-proto", "https")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(
            res.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains"
        );
        // A page's policy names its own nonce, which is on its hydration script and on nothing
        // the page did not write itself; it differs per response; the private header is gone.
        let nonce_of = |res: &http::Response<axum::body::Body>| {
            let csp = res.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .to_string();
            assert!(res.headers().get(sinergi::server::NONCE_HEADER).is_none());
            csp.split("'nonce-")
                .nth(1)
                .map(|r| r.split('\'').next().unwrap().to_string())
        };
        let res = get(&app, "/masuk", None).await;
        let nonce = nonce_of(&res).expect("a page has a nonce");
        let html = common::body_text(res).await;
        assert!(
            html.contains(&format!("<script type=\"module\" nonce=\"{nonce}\"")),
            "{html}"
        );
        let scripts = html.matches("<script").count();
        let allowed = html.matches(&format!("nonce=\"{nonce}\"")).count()
            + html
                .matches("<script defer src=\"/echarts.min.js\"")
                .count();
        assert_eq!(scripts, allowed, "every script is the page's own: {html}");
        let again = nonce_of(&get(&app, "/masuk", None).await).unwrap();
        assert_ne!(nonce, again);
        // Everything else carries a policy without any inline script.
        let res = get(&app, "/healthz", None).await;
        assert_eq!(nonce_of(&res), None);
        assert!(res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self' 'wasm-unsafe-eval';"));
        t
    })
    .await;
}

async fn post_form(
    app: &axum::Router,
    path: &str,
    body: &str,
    extra: &[(&str, &str)],
) -> http::Response<axum::body::Body> {
    let mut req = http::Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "sinergi.test");
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    tower::ServiceExt::oneshot(
        app.clone(),
        req.body(axum::body::Body::from(body.to_string())).unwrap(),
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_from_another_site_cannot_change_anything() {
    on_both(|t| async move {
        seeded(&t).await;
        let app = router(&t.db);
        let cookie = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let evil = [("origin", "https://evil.example")];
        // A sign-in form posted by another site: refused before any check, no session.
        let res = post_form(
            &app,
            "/masuk",
            &format!("username=opd&password={DEMO_PASSWORD}"),
            &evil,
        )
        .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{}", t.label);
        assert!(res.headers().get(header::SET_COOKIE).is_none());
        assert!(common::body_text(res)
            .await
            .contains("dikirim dari situs lain"));
        // Signing the user out from another site, with their cookie: refused, session intact.
        let res = post_form(
            &app,
            "/keluar",
            "",
            &[("origin", "https://evil.example"), ("cookie", &cookie)],
        )
        .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let res = post_form(
            &app,
            "/keluar",
            "",
            &[("sec-fetch-site", "cross-site"), ("cookie", &cookie)],
        )
        .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let (status, _) = call(&app, "dasbor", "", Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK, "the session survived");
        // A server fn called by another site's page: refused.
        let res = post_form(
            &app,
            "/api/dasbor",
            "",
            &[
                ("origin", "http://sinergi.test.evil.example"),
                ("cookie", &cookie),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        // Reading is not a change: a cross-site GET is answered as usual.
        let res = tower::ServiceExt::oneshot(
            app.clone(),
            http::Request::get("/healthz")
                .header("origin", "https://evil.example")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        // The same site's own page signs out.
        let res = post_form(
            &app,
            "/keluar",
            "",
            &[("origin", "http://sinergi.test"), ("cookie", &cookie)],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (status, _) = call(&app, "dasbor", "", Some(&cookie)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_passwords_lock_the_account_for_a_quarter_hour_with_a_clear_message() {
    on_both(|t| async move {
        seeded(&t).await;
        let app = router(&t.db);
        let location = |res: &http::Response<axum::body::Body>| {
            res.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .to_string()
        };
        for _ in 0..5 {
            let res = post_form(&app, "/masuk", "username=admin&password=tebakan-salah", &[]).await;
            assert_eq!(location(&res), "/masuk?galat=kredensial", "{}", t.label);
        }
        // Now even the right password is refused, with a message that says why and how long.
        let res = post_form(
            &app,
            "/masuk",
            &format!("username=Admin&password={DEMO_PASSWORD}"),
            &[],
        )
        .await;
        assert_eq!(location(&res), "/masuk?galat=terkunci", "{}", t.label);
        assert!(res.headers().get(header::SET_COOKIE).is_none());
        let page = common::body_text(get(&app, "/masuk?galat=terkunci", None).await).await;
        assert!(
            page.contains("Akun dikunci sementara; coba lagi dalam 15 menit."),
            "{page}"
        );
        // A name that does not exist locks the same way (nothing tells which names exist).
        for _ in 0..5 {
            post_form(&app, "/masuk", "username=tidak-ada&password=apa-saja", &[]).await;
        }
        let res = post_form(&app, "/masuk", "username=tidak-ada&password=apa-saja", &[]).await;
        assert_eq!(location(&res), "/masuk?galat=terkunci");
        // Other accounts are untouched.
        assert!(login(&app, "koordinator", DEMO_PASSWORD).await.is_some());
        // A quarter of an hour later the right password works again and clears the count.
        sqlx::query("UPDATE login_failure SET at = at - 901")
            .execute(&t.db.pool)
            .await
            .unwrap();
        assert!(
            login(&app, "admin", DEMO_PASSWORD).await.is_some(),
            "{}",
            t.label
        );
        let left: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM login_failure WHERE username = 'admin'")
                .fetch_one(&t.db.pool)
                .await
                .unwrap()
                .try_get("n")
                .unwrap();
        assert_eq!(left, 0);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_everywhere_ends_every_session_of_the_account_only() {
    on_both(|t| async move {
        seeded(&t).await;
        let app = router(&t.db);
        let laptop = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let phone = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let other = login(&app, "asesor", DEMO_PASSWORD).await.unwrap();
        // The sign-out page offers it.
        let page = common::body_text(get(&app, "/keluar", Some(&laptop)).await).await;
        assert!(page.contains("Keluar dari semua perangkat"), "{page}");
        let res = post_form(&app, "/keluar", "semua=1", &[("cookie", &laptop)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        for cookie in [&laptop, &phone] {
            let (status, _) = call(&app, "dasbor", "", Some(cookie)).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{}", t.label);
        }
        let (status, _) = call(&app, "dasbor", "", Some(&other)).await;
        assert_eq!(status, StatusCode::OK, "another account keeps its session");
        t
    })
    .await;
}
