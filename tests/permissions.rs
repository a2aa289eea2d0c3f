//! The permission matrix (issue 7, a first part): operations × every demo role, each answer
//! compared with the rule as the README states it, through the server fns and the API alike,
//! on SQLite and PostgreSQL.

mod common;

use common::{call, get, login, on_both, router};
use http::StatusCode;
use sinergi::server::seed::{self, DEMO_PASSWORD};
use sqlx::Row;

const ROLES: [&str; 7] = [
    "admin",
    "koordinator",
    "opd",
    "kadinkes",
    "asesor",
    "pimpinan",
    "viewer",
];

/// The OPD codes each demo account belongs to (from the seed).
fn opds_of(user: &str) -> Vec<&'static str> {
    seed::DEMO_USERS
        .iter()
        .find(|u| u.0 == user)
        .map(|u| u.3.to_vec())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_gets_exactly_what_the_rules_say() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let app = router(&t.db);
        let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE)
            .await
            .unwrap();
        let cycle = seed::cycle_id(&t.db, inst, "SPBE 2025").await.unwrap();
        let koord = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let (board, columns) = common::spbe_board(&app, &koord).await;
        let column = columns[0];
        let dinkes = common::opd_id(&t.db, "DINKES").await;
        // A card led by DINKES, for the comment row.
        let (_, card) = call(
            &app,
            "kartu-baru",
            &format!("board={board}&column={column}&title=Kartu+matriks&lead={dinkes}"),
            Some(&koord),
        )
        .await;
        let card: i64 = card.trim().parse().unwrap();
        // Who is responsible for indicator 45 (lead and contributors), as the claim rule reads it.
        let responsible: Vec<String> = sqlx::query(
            "SELECT o.code FROM cycle_indicator ci JOIN opd o ON o.id = ci.lead_opd_id \
             WHERE ci.cycle_id = $1 AND ci.indicator_code = '45' \
             UNION SELECT o.code FROM indicator_contributor ic JOIN opd o ON o.id = ic.opd_id \
             WHERE ic.cycle_id = $1 AND ic.indicator_code = '45'",
        )
        .bind(cycle)
        .fetch_all(&t.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("code").unwrap())
        .collect();
        assert!(
            responsible.contains(&"DINKES".to_string()),
            "{responsible:?}"
        );

        let mut rows = Vec::new();
        for user in ROLES {
            let cookie = login(&app, user, DEMO_PASSWORD).await.unwrap();
            let role = seed::DEMO_USERS
                .iter()
                .find(|u| u.0 == user)
                .unwrap()
                .2
                .as_str();
            let member_of_45 = opds_of(user)
                .iter()
                .any(|o| responsible.iter().any(|r| r == o));
            // (operation, allowed by the README's rule, answer)
            let mut check = |op: &str, allowed: bool, status: StatusCode| {
                let ok = status.is_success() || status.is_redirection();
                let refused = matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND);
                rows.push(format!("{user:<12} {op:<28} {}", status.as_u16()));
                assert!(
                    if allowed { ok } else { refused },
                    "{}: {user} ({role}) {op}: expected {}, got {status}",
                    t.label,
                    if allowed { "allowed" } else { "refused" }
                );
            };
            // Every signed-in role reads the dashboard and the war room.
            check(
                "read dashboard",
                true,
                call(&app, "dasbor", "", Some(&cookie)).await.0,
            );
            check(
                "read war room",
                true,
                call(&app, "pimpinan", "", Some(&cookie)).await.0,
            );
            // Accounts and kiosk links: admin and koordinator.
            let runs = matches!(role, "admin" | "koordinator");
            check(
                "list accounts",
                runs,
                call(&app, "daftar-pengguna", "", Some(&cookie)).await.0,
            );
            check(
                "create kiosk link",
                runs,
                call(&app, "kios-baru", "label=Layar+uji", Some(&cookie))
                    .await
                    .0,
            );
            // The national roll-up: the deployment's super-admin only.
            check(
                "national roll-up",
                user == seed::DEMO_NATIONAL,
                call(&app, "nasional", "", Some(&cookie)).await.0,
            );
            // Comments: everyone but the viewer.
            check(
                "comment on a card",
                role != "viewer",
                call(
                    &app,
                    "kartu-komentar",
                    &format!("board={board}&card={card}&body=Catatan"),
                    Some(&cookie),
                )
                .await
                .0,
            );
            // A card led by DINKES: admin, koordinator, and members of DINKES.
            let starts =
                runs || (matches!(role, "opd" | "asesor") && opds_of(user).contains(&"DINKES"));
            check(
                "start a DINKES card",
                starts,
                call(
                    &app,
                    "kartu-baru",
                    &format!("board={board}&column={column}&title=Kartu+{user}&lead={dinkes}"),
                    Some(&cookie),
                )
                .await
                .0,
            );
            // A Mandiri claim of indicator 45: members of its lead or contributing OPDs, never
            // pimpinan or viewer.
            let claims = member_of_45 && !matches!(role, "pimpinan" | "viewer");
            let args = format!("cycle={cycle}&code=45&level=4&justification=Matriks&evidence=");
            check(
                "claim indicator 45",
                claims,
                call(&app, "klaim-level", &args, Some(&cookie)).await.0,
            );
            // Official levels (Target, Eksternal, Akhir): admin and koordinator.
            let official =
                format!("cycle={cycle}&code=45&stage=target&level=5&justification=Matriks");
            check(
                "set an official level",
                runs,
                call(&app, "level-resmi", &official, Some(&cookie)).await.0,
            );
            // Exports: every signed-in member of the instansi.
            check(
                "export xlsx",
                true,
                get(&app, &format!("/ekspor/{cycle}/xlsx"), Some(&cookie))
                    .await
                    .status(),
            );
            // The API, with the person's own tokens: the same rules.
            let token = common::api_token(&app, &cookie, "write").await;
            let api = |method: &'static str, path: String, body: Option<String>| {
                let app = app.clone();
                let token = token.clone();
                async move {
                    let req = http::Request::builder()
                        .method(method)
                        .uri(path)
                        .header(http::header::AUTHORIZATION, format!("Bearer {token}"))
                        .header(http::header::CONTENT_TYPE, "application/json")
                        .body(axum::body::Body::from(body.unwrap_or_default()))
                        .unwrap();
                    tower::ServiceExt::oneshot(app, req).await.unwrap().status()
                }
            };
            check(
                "API read cycles",
                true,
                api("GET", "/api/v1/cycles".into(), None).await,
            );
            check(
                "API claim indicator 45",
                claims,
                api(
                    "POST",
                    format!("/api/v1/cycles/{cycle}/indicators/45/claims"),
                    Some(r#"{"level": 4, "justification": "Matriks API"}"#.into()),
                )
                .await,
            );
            check(
                "API comment on a card",
                role != "viewer",
                api(
                    "POST",
                    format!("/api/v1/boards/{board}/cards/{card}/comments"),
                    Some(r#"{"body": "Catatan API"}"#.into()),
                )
                .await,
            );
        }
        eprintln!("{}: permission matrix\n{}", t.label, rows.join("\n"));
        t
    })
    .await;
}
