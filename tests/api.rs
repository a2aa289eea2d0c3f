//! The REST API (`/api/v1`) with personal tokens (issue 6), on SQLite and PostgreSQL: tokens
//! shown once and stored hashed, a read token cannot write, a token of one instansi sees nothing
//! of another, JSON errors with stable codes, pagination, the per-token rate limit, and the
//! OpenAPI document: it is well formed, and every documented route answers as documented (each
//! answer is checked against the document's own schema).

mod common;

use common::{call, login, on_both, router};
use http::{header, StatusCode};
use serde_json::{json, Value};
use sinergi::auth::Role;
use sinergi::server::seed::{self, DEMO_PASSWORD};
use sqlx::Row;

async fn api(
    app: &axum::Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, http::HeaderMap, Value) {
    let mut req = http::Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let body = match body {
        Some(b) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            axum::body::Body::from(b.to_string())
        }
        None => axum::body::Body::empty(),
    };
    let res = tower::ServiceExt::oneshot(app.clone(), req.body(body).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let text = common::body_text(res).await;
    let value =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    (status, headers, value)
}

/// Creates a token through the page's server fn, as the signed-in user.
async fn token(app: &axum::Router, user: &str, password: &str, scope: &str) -> String {
    let cookie = login(app, user, password).await.unwrap();
    let t = common::api_token(app, &cookie, scope).await;
    assert!(t.starts_with("sng_") && t.len() == 68, "{t}");
    t
}

fn error_code(v: &Value) -> &str {
    v["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code: {v}"))
}

async fn spbe_2025(t: &common::TestDb) -> i64 {
    let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE)
        .await
        .unwrap();
    seed::cycle_id(&t.db, inst, "SPBE 2025").await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_is_shown_once_stored_hashed_and_reads_the_cycle() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let app = router(&t.db);
        let cycle = spbe_2025(&t).await;
        let tok = token(&app, "viewer", DEMO_PASSWORD, "read").await;
        // Stored as a hash only; the list shows no secret.
        let stored: String = sqlx::query("SELECT token_hash FROM api_token")
            .fetch_one(&t.db.pool)
            .await
            .unwrap()
            .try_get("token_hash")
            .unwrap();
        assert_ne!(stored, tok);
        assert!(!stored.contains(&tok[4..]));
        let cookie = login(&app, "viewer", DEMO_PASSWORD).await.unwrap();
        let (_, list) = call(&app, "token-daftar", "", Some(&cookie)).await;
        assert!(!list.contains(&tok) && list.contains("Uji read"), "{list}");

        let (status, h, v) = api(&app, "GET", "/api/v1/cycles", Some(&tok), None).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(h["x-ratelimit-limit"], "120");
        let names: Vec<&str> = v["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"SPBE 2025"), "{names:?}");

        // Levels per stage and the index agree with the app.
        let (status, _, v) = api(
            &app,
            "GET",
            &format!("/api/v1/cycles/{cycle}/indicators?per_page=200"),
            Some(&tok),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(v["total"], 47);
        let i45 = v["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == "45")
            .unwrap();
        assert_eq!(
            i45["levels"]["mandiri"],
            format!("{}.00", seed::SPBE_2025_MANDIRI[44])
        );
        let (_, _, s) = api(
            &app,
            "GET",
            &format!("/api/v1/cycles/{cycle}/scores"),
            Some(&tok),
            None,
        )
        .await;
        let mandiri = s["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["stage"] == "mandiri")
            .unwrap();
        assert_eq!(mandiri["index_text"], "4,38", "{s}");
        // The exact value is for machines: a decimal point.
        let exact = mandiri["index"].as_str().unwrap();
        assert!(exact.starts_with("4.3") && !exact.contains(','), "{exact}");
        assert_eq!(mandiri["predicate"], "Memuaskan");

        // Pagination: 47 indicators, 20 a page, the third page has 7.
        let (_, _, p) = api(
            &app,
            "GET",
            &format!("/api/v1/cycles/{cycle}/indicators?page=3&per_page=20"),
            Some(&tok),
            None,
        )
        .await;
        assert_eq!(
            (
                p["page"].as_i64(),
                p["per_page"].as_i64(),
                p["total"].as_i64()
            ),
            (Some(3), Some(20), Some(47))
        );
        assert_eq!(p["data"].as_array().unwrap().len(), 7);
        let (status, _, e) = api(
            &app,
            "GET",
            &format!("/api/v1/cycles/{cycle}/indicators?per_page=500"),
            Some(&tok),
            None,
        )
        .await;
        assert_eq!(
            (status, error_code(&e)),
            (StatusCode::BAD_REQUEST, "invalid")
        );
        assert!(e["error"]["message"].as_str().unwrap().contains("per_page"));

        // Errors are JSON with stable codes.
        for (path, tok, status, code) in [
            ("/api/v1/cycles".to_string(), None, 401, "unauthorized"),
            (
                "/api/v1/cycles".to_string(),
                Some("sng_bukan"),
                401,
                "unauthorized",
            ),
            (
                format!("/api/v1/cycles/{}/scores", cycle + 999),
                Some(tok.as_str()),
                404,
                "not_found",
            ),
            (
                "/api/v1/cycles/abc/scores".to_string(),
                Some(tok.as_str()),
                400,
                "invalid",
            ),
            (
                "/api/v1/tidak-ada".to_string(),
                Some(tok.as_str()),
                404,
                "not_found",
            ),
        ] {
            let (s, _, v) = api(&app, "GET", &path, tok, None).await;
            assert_eq!((s.as_u16(), error_code(&v)), (status, code), "{path}: {v}");
        }

        // Revoked: refused at once.
        let id: i64 = sqlx::query("SELECT id FROM api_token")
            .fetch_one(&t.db.pool)
            .await
            .unwrap()
            .try_get("id")
            .unwrap();
        let (status, _) = call(&app, "token-cabut", &format!("id={id}"), Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _, v) = api(&app, "GET", "/api/v1/cycles", Some(&tok), None).await;
        assert_eq!(
            (status, error_code(&v)),
            (StatusCode::UNAUTHORIZED, "unauthorized")
        );
        // Someone else cannot revoke my token.
        let other = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let tok2 = token(&app, "viewer", DEMO_PASSWORD, "read").await;
        let id2: i64 = sqlx::query("SELECT MAX(id) AS id FROM api_token")
            .fetch_one(&t.db.pool)
            .await
            .unwrap()
            .try_get("id")
            .unwrap();
        let (status, _) = call(&app, "token-cabut", &format!("id={id2}"), Some(&other)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(
            api(&app, "GET", "/api/v1/boards", Some(&tok2), None)
                .await
                .0,
            StatusCode::OK
        );
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_token_cannot_write_and_a_write_token_follows_the_apps_rules() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let app = router(&t.db);
        let cycle = spbe_2025(&t).await;
        let entries = || async {
            sqlx::query("SELECT COUNT(*) AS n FROM level_entry")
                .fetch_one(&t.db.pool)
                .await
                .unwrap()
                .try_get::<i64, _>("n")
                .unwrap()
        };
        let claim = json!({ "level": 5, "justification": "Integrasi layanan telemedisin" });
        let path = format!("/api/v1/cycles/{cycle}/indicators/45/claims");
        let before = entries().await;

        let read = token(&app, "opd", DEMO_PASSWORD, "read").await;
        let (status, _, v) = api(&app, "POST", &path, Some(&read), Some(claim.clone())).await;
        assert_eq!(
            (status, error_code(&v)),
            (StatusCode::FORBIDDEN, "insufficient_scope"),
            "{}",
            t.label
        );
        assert_eq!(entries().await, before, "nothing written");

        // The same rule as the page: a viewer may not claim, even with a write token.
        let viewer = token(&app, "viewer", DEMO_PASSWORD, "write").await;
        let (status, _, v) = api(&app, "POST", &path, Some(&viewer), Some(claim.clone())).await;
        assert_eq!(
            (status, error_code(&v)),
            (StatusCode::FORBIDDEN, "forbidden"),
            "{v}"
        );
        assert_eq!(entries().await, before);

        let write = token(&app, "opd", DEMO_PASSWORD, "write").await;
        for (bad, why) in [
            (json!({ "level": 7, "justification": "x" }), "level"),
            (json!({ "level": "lima", "justification": "x" }), "level"),
            (json!({ "level": true, "justification": "x" }), "level"),
            (json!({ "justification": "x" }), "level"),
            (
                json!({ "level": 4, "justification": "x", "admin": true }),
                "admin",
            ),
        ] {
            let (status, _, v) = api(&app, "POST", &path, Some(&write), Some(bad.clone())).await;
            assert_eq!(
                (status, error_code(&v)),
                (StatusCode::BAD_REQUEST, "invalid"),
                "{bad}: {v}"
            );
            assert!(
                v["error"]["message"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .contains(why)
                    || why == "level",
                "{v}"
            );
        }
        assert_eq!(entries().await, before);
        let (status, _, v) = api(&app, "POST", &path, Some(&write), Some(claim.clone())).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        assert!(v["event_id"].as_i64().unwrap() > 0);
        assert_eq!(entries().await, before + 1);
        let (_, _, v) = api(
            &app,
            "GET",
            &format!("/api/v1/cycles/{cycle}/indicators?per_page=200"),
            Some(&write),
            None,
        )
        .await;
        let i45 = v["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == "45")
            .unwrap();
        assert_eq!(
            (i45["levels"]["mandiri"].as_str(), i45["status"].as_str()),
            (Some("5.00"), Some("menunggu"))
        );

        // Cards and comments through the board's own rules.
        let (_, _, boards) = api(&app, "GET", "/api/v1/boards", Some(&write), None).await;
        let board = boards["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["cycle_name"] == "SPBE 2025")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let (status, _, v) = api(
            &app,
            "POST",
            &format!("/api/v1/boards/{board}/cards"),
            Some(&write),
            Some(json!({ "title": "Kartu dari API", "lead_opd": "DINKES" })),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        let card = v["id"].as_i64().unwrap();
        let (status, _, v) = api(
            &app,
            "POST",
            &format!("/api/v1/boards/{board}/cards/{card}/comments"),
            Some(&write),
            Some(json!({ "body": "Dibuat lewat API @koordinator" })),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        let (_, _, cards) = api(
            &app,
            "GET",
            &format!("/api/v1/boards/{board}/cards?per_page=200"),
            Some(&write),
            None,
        )
        .await;
        let c = cards["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == card)
            .unwrap();
        assert_eq!(
            (
                c["title"].as_str(),
                c["lead"].as_str(),
                c["comments"].as_i64()
            ),
            (Some("Kartu dari API"), Some("DINKES"), Some(1)),
            "{c}"
        );
        // A card for an OPD the member does not belong to: the board's rule refuses it.
        let (status, _, v) = api(
            &app,
            "POST",
            &format!("/api/v1/boards/{board}/cards"),
            Some(&write),
            Some(json!({ "title": "Bukan OPD saya", "lead_opd": "DISKOMINFO" })),
        )
        .await;
        assert_eq!(
            (status, error_code(&v)),
            (StatusCode::FORBIDDEN, "forbidden"),
            "{v}"
        );
        // Not JSON at all.
        let res = tower::ServiceExt::oneshot(
            app.clone(),
            http::Request::post(format!("/api/v1/boards/{board}/cards"))
                .header(header::AUTHORIZATION, format!("Bearer {write}"))
                .body(axum::body::Body::from("{judul: 1"))
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_of_one_instansi_sees_nothing_of_another() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let app = router(&t.db);
        let cycle = spbe_2025(&t).await;
        sqlx::query("INSERT INTO instansi (code, name, created_at) VALUES ('kab-lain', 'Kabupaten Lain', 0)")
            .execute(&t.db.pool)
            .await
            .unwrap();
        let other = seed::instansi_id(&t.db, "kab-lain").await.unwrap();
        sinergi::auth::ssr::create_user(&t.db, other, "tamu.lain", "Tamu", "rahasia-panjang", Role::Koordinator, &[])
            .await
            .unwrap();
        let theirs = token(&app, "tamu.lain", "rahasia-panjang", "write").await;
        let (_, _, v) = api(&app, "GET", "/api/v1/cycles", Some(&theirs), None).await;
        assert_eq!(v["total"], 0, "{}: {v}", t.label);
        let (_, _, v) = api(&app, "GET", "/api/v1/boards", Some(&theirs), None).await;
        assert_eq!(v["total"], 0);
        let ours = token(&app, "koordinator", DEMO_PASSWORD, "read").await;
        let (_, _, boards) = api(&app, "GET", "/api/v1/boards", Some(&ours), None).await;
        let board = boards["data"][0]["id"].as_i64().unwrap();
        for path in [
            format!("/api/v1/cycles/{cycle}/indicators"),
            format!("/api/v1/cycles/{cycle}/scores"),
            format!("/api/v1/boards/{board}/cards"),
        ] {
            let (status, _, v) = api(&app, "GET", &path, Some(&theirs), None).await;
            assert_eq!((status, error_code(&v)), (StatusCode::NOT_FOUND, "not_found"), "{path}");
            assert!(!v.to_string().contains("Kota Mojokerto"));
        }
        let (status, _, _) = api(&app, "POST", &format!("/api/v1/boards/{board}/cards"), Some(&theirs),
            Some(json!({ "title": "Menyusup", "lead_opd": "DINKES" }))).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _, _) = api(&app, "POST", &format!("/api/v1/cycles/{cycle}/indicators/45/claims"), Some(&theirs),
            Some(json!({ "level": 5, "justification": "x" }))).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        t
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_token_gets_its_own_limit_of_requests_a_minute() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let app = router(&t.db);
        let a = token(&app, "viewer", DEMO_PASSWORD, "read").await;
        let b = token(&app, "viewer", DEMO_PASSWORD, "read").await;
        // The window is one calendar minute: start at the top of a fresh one if this one is
        // nearly over, so the 121 requests fall in one window.
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        if secs % 60 > 45 {
            tokio::time::sleep(std::time::Duration::from_secs(61 - secs % 60)).await;
        }
        let mut last = None;
        for i in 0..120 {
            let (status, h, _) = api(&app, "GET", "/api/v1/boards", Some(&a), None).await;
            assert_eq!(status, StatusCode::OK, "request {i}");
            last = Some(h["x-ratelimit-remaining"].to_str().unwrap().to_string());
        }
        assert_eq!(last.as_deref(), Some("0"));
        let (status, h, v) = api(&app, "GET", "/api/v1/boards", Some(&a), None).await;
        assert_eq!(
            (status, error_code(&v)),
            (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            "{}",
            t.label
        );
        let retry: i64 = h[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry));
        // Another token of the same person is not affected.
        assert_eq!(
            api(&app, "GET", "/api/v1/boards", Some(&b), None).await.0,
            StatusCode::OK
        );
        t
    })
    .await;
}

/// Checks `v` against a schema of the document (the subset it uses); returns the problems.
fn check(v: &Value, schema: &Value, doc: &Value, at: &str, out: &mut Vec<String>) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap();
        return check(v, &doc["components"]["schemas"][name], doc, at, out);
    }
    let kind = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let allowed: Vec<&str> = match &schema["type"] {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(|x| x.as_str()).collect(),
        _ => vec![],
    };
    let k = kind(v);
    // An integer is also a number.
    let fits = allowed.is_empty()
        || allowed.contains(&k)
        || (k == "integer" && allowed.contains(&"number"));
    if !fits {
        out.push(format!("{at}: {k} is not {allowed:?}"));
        return;
    }
    if let Some(e) = schema["enum"].as_array() {
        if !e.contains(v) {
            out.push(format!("{at}: {v} not in {e:?}"));
        }
    }
    if let (Some(min), Some(n)) = (schema["minimum"].as_i64(), v.as_i64()) {
        if n < min {
            out.push(format!("{at}: {n} < {min}"));
        }
    }
    if let Value::Object(m) = v {
        for r in schema["required"].as_array().into_iter().flatten() {
            if !m.contains_key(r.as_str().unwrap()) {
                out.push(format!("{at}: missing {r}"));
            }
        }
        if let Some(props) = schema["properties"].as_object() {
            for (key, val) in m {
                match props.get(key) {
                    Some(s) => check(val, s, doc, &format!("{at}.{key}"), out),
                    None => out.push(format!("{at}: undocumented field {key}")),
                }
            }
        }
    }
    if let Value::Array(items) = v {
        for (i, item) in items.iter().enumerate() {
            check(item, &schema["items"], doc, &format!("{at}[{i}]"), out);
        }
    }
}

/// Validates the document against the OpenAPI 3.1 schema with `openapi-spec-validator` (PyPI),
/// when it is installed (`make test` installs it; `REQUIRE_OPENAPI_VALIDATOR=1` makes its
/// absence a failure).
fn validate_with_the_reference_validator(doc: &Value) {
    let file = std::env::temp_dir().join(format!("sinergi_openapi_{}.json", std::process::id()));
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = std::process::Command::new("python3")
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output();
    let _ = std::fs::remove_file(&file);
    match out {
        Ok(o) if o.status.success() => {}
        Ok(o) if String::from_utf8_lossy(&o.stderr).contains("No module named") => {
            if std::env::var("REQUIRE_OPENAPI_VALIDATOR").as_deref() == Ok("1") {
                panic!("REQUIRE_OPENAPI_VALIDATOR=1 but openapi-spec-validator is not installed");
            }
            eprintln!(
                "\n!!! openapi-spec-validator not installed: reference validation SKIPPED !!!\n"
            );
        }
        Ok(o) => panic!(
            "the OpenAPI document does not validate:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => {
            if std::env::var("REQUIRE_OPENAPI_VALIDATOR").as_deref() == Ok("1") {
                panic!("python3 not found: {e}");
            }
            eprintln!("\n!!! python3 not found: OpenAPI reference validation SKIPPED !!!\n");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_route_answers_as_documented() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let app = router(&t.db);
        let cycle = spbe_2025(&t).await;
        // The document itself: public, OpenAPI 3.1, every operation described.
        let (status, _, doc) = api(&app, "GET", "/api/v1/openapi.json", None, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(doc["openapi"], "3.1.0");
        assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
        validate_with_the_reference_validator(&doc);
        let write = token(&app, "opd", DEMO_PASSWORD, "write").await;
        let (_, _, boards) = api(&app, "GET", "/api/v1/boards", Some(&write), None).await;
        let board = boards["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["cycle_name"] == "SPBE 2025")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let (_, _, card) = api(
            &app,
            "POST",
            &format!("/api/v1/boards/{board}/cards"),
            Some(&write),
            Some(json!({ "title": "Kartu contoh", "lead_opd": "DINKES" })),
        )
        .await;
        let card = card["id"].as_i64().unwrap();
        let params = json!({ "cycle": cycle, "code": "45", "board": board, "card": card });
        // A valid body for each write operation.
        let bodies = json!({
            "claimLevel": { "level": "4", "justification": "Uji dokumen" },
            "createCard": { "title": "Kartu uji dokumen", "lead_opd": "DINKES" },
            "commentCard": { "body": "Komentar uji dokumen" },
        });
        let mut answered = 0;
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for (method, op) in ops.as_object().unwrap() {
                let mut url = path.clone();
                for p in op["parameters"].as_array().unwrap() {
                    if p["in"] == "path" {
                        let name = p["name"].as_str().unwrap();
                        let value = params[name].to_string().trim_matches('"').to_string();
                        url = url.replace(&format!("{{{name}}}"), &value);
                    }
                }
                assert!(!url.contains('{'), "{url}");
                let id = op["operationId"].as_str().unwrap();
                let public = op["security"].as_array().unwrap().is_empty();
                let body = bodies.get(id).cloned();
                if method == "post" {
                    let mut problems = Vec::new();
                    check(
                        body.as_ref().unwrap(),
                        &op["requestBody"]["content"]["application/json"]["schema"],
                        &doc,
                        id,
                        &mut problems,
                    );
                    assert!(problems.is_empty(), "{problems:?}");
                }
                let (status, _, v) = api(
                    &app,
                    &method.to_uppercase(),
                    &url,
                    (!public).then_some(write.as_str()),
                    body,
                )
                .await;
                let documented = &op["responses"][status.as_str()];
                assert!(
                    documented.is_object(),
                    "{method} {url} answered {status}, undocumented: {v}"
                );
                assert!(status.is_success(), "{method} {url}: {status} {v}");
                let mut problems = Vec::new();
                check(
                    &v,
                    &documented["content"]["application/json"]["schema"],
                    &doc,
                    id,
                    &mut problems,
                );
                assert!(problems.is_empty(), "{method} {url}: {problems:?}");
                // Without a token, every protected route answers the documented 401.
                if !public {
                    let (status, _, v) = api(
                        &app,
                        &method.to_uppercase(),
                        &url,
                        None,
                        bodies.get(id).cloned(),
                    )
                    .await;
                    assert_eq!(status, StatusCode::UNAUTHORIZED);
                    let mut problems = Vec::new();
                    check(
                        &v,
                        &op["responses"]["401"]["content"]["application/json"]["schema"],
                        &doc,
                        id,
                        &mut problems,
                    );
                    assert!(problems.is_empty(), "{problems:?}");
                }
                answered += 1;
            }
        }
        assert_eq!(answered, sinergi::api::v1::routes().len(), "{}", t.label);
        t
    })
    .await;
}
