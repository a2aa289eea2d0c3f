//! Hostile input (issue 7): well over 500 generated bad inputs against the API routes, the
//! server fns, the forms and the upload, on SQLite and PostgreSQL. No answer is a 5xx (no
//! panic reaches a client), every refusal carries a message, nothing another instansi owns is
//! reachable, and no stored script comes back as markup in a page.

mod common;

use common::{call, get, login, on_both, post_multipart, router};
use http::{header, StatusCode};
use serde_json::{json, Value};
use sinergi::server::seed::{self, DEMO_PASSWORD};

/// Values no field should accept as they are, or should store only as inert text.
fn bad_values() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        " ",
        "-1",
        "0",
        "6",
        "5.5.5",
        "1e309",
        "NaN",
        "inf",
        "9223372036854775808",
        "-9223372036854775809",
        "0x10",
        "abc",
        "null",
        "true",
        "[]",
        "{}",
        "1/0",
        "7/0",
        "-7/6",
        "'; DROP TABLE users; --",
        "1 OR 1=1",
        "1; SELECT pg_sleep(5)",
        "$1",
        "\\",
        "%",
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "javascript:alert(1)",
        "\u{0}",
        "a\u{0}b",
        "\u{202e}fdp.exe",
        "\u{feff}",
        "\u{fffd}",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "ا",
        "e\u{301}",
        "../../etc/passwd",
        "%00",
        "%zz",
        "&",
        "=",
        "+",
        "\r\nSet-Cookie: x=1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("x".repeat(100_000));
    v.push("🤖".repeat(5_000));
    v.push(format!("{}{}", "[".repeat(5_000), "]".repeat(5_000)));
    v
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

struct Tally {
    requests: usize,
    refused: usize,
}

impl Tally {
    fn check(&mut self, what: &str, status: StatusCode, body: &str) {
        self.requests += 1;
        assert!(
            !status.is_server_error(),
            "{what} answered {status}: {}",
            &body[..body.len().min(300)]
        );
        if status.is_client_error() {
            self.refused += 1;
            assert!(!body.trim().is_empty(), "{what}: a refusal says why");
        }
    }
}

async fn api(
    app: &axum::Router,
    method: &str,
    path: &str,
    token: &str,
    body: Option<String>,
) -> (StatusCode, String) {
    let mut req = http::Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    if method == "GET" {
        req = req.header(header::ACCEPT, "application/json");
    }
    let res = tower::ServiceExt::oneshot(
        app.clone(),
        req.body(axum::body::Body::from(body.unwrap_or_default()))
            .unwrap(),
    )
    .await
    .unwrap();
    let status = res.status();
    (status, common::body_text(res).await)
}

async fn fresh_token(app: &axum::Router, cookie: &str) -> String {
    common::api_token(app, cookie, "write").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_bad_inputs_get_clear_4xx_answers_and_nothing_executes() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let app = router(&t.db);
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE).await.unwrap();
        let cycle = seed::cycle_id(&t.db, inst, "SPBE 2025").await.unwrap();
        let (_, body) = call(&app, "papan-daftar", "", Some(&opd)).await;
        let list: Value = serde_json::from_str(&body).unwrap();
        let board = list["boards"][0]["id"].as_i64().unwrap();
        let mut tally = Tally { requests: 0, refused: 0 };
        let bad = bad_values();

        // The API: path ids, query, and JSON bodies of every shape. A new token every 100
        // requests keeps the rate limit out of the way (it is tested elsewhere).
        let mut token = fresh_token(&app, &opd).await;
        let mut used = 0;
        for b in &bad {
            let e = enc(b);
            let calls: Vec<(&str, String, Option<String>)> = vec![
                ("GET", format!("/api/v1/cycles?page={e}&per_page={e}"), None),
                ("GET", format!("/api/v1/cycles/{e}/indicators"), None),
                ("GET", format!("/api/v1/cycles/{cycle}/scores?x={e}"), None),
                ("GET", format!("/api/v1/boards/{e}/cards"), None),
                ("POST", format!("/api/v1/cycles/{cycle}/indicators/{e}/claims"),
                    Some(json!({ "level": 4, "justification": "uji" }).to_string())),
                ("POST", format!("/api/v1/cycles/{cycle}/indicators/45/claims"),
                    Some(json!({ "level": b, "justification": b, "evidence": [b] }).to_string())),
                ("POST", format!("/api/v1/cycles/{cycle}/indicators/45/claims"), Some(b.clone())),
                ("POST", format!("/api/v1/boards/{board}/cards"),
                    Some(json!({ "title": b, "lead_opd": b }).to_string())),
                ("POST", format!("/api/v1/boards/{board}/cards/{e}/comments"),
                    Some(json!({ "body": b }).to_string())),
            ];
            for (method, path, body) in calls {
                if used == 100 {
                    token = fresh_token(&app, &opd).await;
                    used = 0;
                }
                used += 1;
                // A path that is not even a valid URI is refused by the HTTP layer itself.
                if http::Uri::try_from(path.as_str()).is_err() {
                    continue;
                }
                let (status, body) = api(&app, method, &path, &token, body).await;
                tally.check(&format!("{method} {}", &path[..path.len().min(80)]), status, &body);
                if status.is_client_error() {
                    let v: Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("API errors are JSON: {body}"));
                    assert!(v["error"]["code"].is_string(), "{body}");
                }
            }
        }
        // Deep JSON and a huge body.
        for body in [format!("{}1{}", "[".repeat(20_000), "]".repeat(20_000)), "{".repeat(200_000)] {
            let (status, text) = api(&app, "POST", &format!("/api/v1/boards/{board}/cards"), &token, Some(body)).await;
            tally.check("deep JSON", status, &text);
            assert!(status.is_client_error());
        }

        // The server fns, as the pages call them (form-encoded), with each bad value in each
        // field in turn.
        let fns: Vec<(&str, Vec<(&str, String)>)> = vec![
            ("klaim-level", vec![("cycle", cycle.to_string()), ("code", "45".into()), ("level", "4".into()), ("justification", "x".into()), ("evidence", "".into())]),
            ("kartu-baru", vec![("board", board.to_string()), ("column", "1".into()), ("title", "Kartu".into()), ("lead", "1".into())]),
            ("kartu-komentar", vec![("board", board.to_string()), ("card", "1".into()), ("body", "x".into())]),
            ("dasbor", vec![("cycle", cycle.to_string())]),
            ("token-buat", vec![("name", "x".into()), ("scope", "read".into())]),
        ];
        for (endpoint, fields) in &fns {
            for (i, _) in fields.iter().enumerate() {
                for b in bad.iter().step_by(2) {
                    let args: Vec<String> = fields
                        .iter()
                        .enumerate()
                        .map(|(j, (k, v))| format!("{k}={}", enc(if i == j { b } else { v })))
                        .collect();
                    let (status, body) = call(&app, endpoint, &args.join("&"), Some(&opd)).await;
                    tally.check(&format!("{endpoint} {}", &args.join("&")[..args.join("&").len().min(120)]), status, &body);
                }
            }
            // Fields missing altogether, and unknown ones (the dashboard's only argument is
            // optional: without it, it shows the current cycle).
            let (status, body) = call(&app, endpoint, "tidak=ada", Some(&opd)).await;
            tally.check(endpoint, status, &body);
            if *endpoint != "dasbor" {
                assert!(status.is_client_error(), "{endpoint}: {status}");
            }
        }

        // The sign-in form and malformed uploads.
        for b in bad.iter().take(20) {
            let res = tower::ServiceExt::oneshot(
                app.clone(),
                http::Request::post("/masuk")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(axum::body::Body::from(format!("username={}&password={}", enc(b), enc(b))))
                    .unwrap(),
            )
            .await
            .unwrap();
            tally.check("POST /masuk", res.status(), "redirect");
        }
        for (ctype, body) in [
            ("multipart/form-data; boundary=abc", "--abc\r\nContent-Disposition: form-data; name=\"berkas\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 terpotong".to_string()),
            ("multipart/form-data", "tanpa batas".to_string()),
            ("text/plain", "bukan multipart".to_string()),
            ("multipart/form-data; boundary=abc", format!("--abc\r\nContent-Disposition: form-data; name=\"judul\"\r\n\r\n{}\r\n--abc--\r\n", "x".repeat(200_000))),
        ] {
            let res = tower::ServiceExt::oneshot(
                app.clone(),
                http::Request::post("/bukti/unggah")
                    .header(header::CONTENT_TYPE, ctype)
                    .header(header::COOKIE, &opd)
                    .body(axum::body::Body::from(body))
                    .unwrap(),
            )
            .await
            .unwrap();
            let status = res.status();
            let location = res.headers().get(header::LOCATION).map(|v| v.to_str().unwrap_or("").to_string()).unwrap_or_default();
            let text = common::body_text(res).await;
            tally.check("upload", status, &format!("{location}{text}"));
            assert!(!location.contains("ok="), "a malformed upload is not stored: {location}");
        }
        // A script as an evidence title, a card title, a comment: stored as text.
        let (_, msg) = post_multipart(&app, "/bukti/unggah", &[("judul", "<script>alert('bukti')</script>")], Some(("berkas", "a.pdf", b"%PDF-1.7\n%%EOF\n")), Some(&opd)).await;
        tally.check("upload", StatusCode::SEE_OTHER, &msg);

        assert!(tally.requests >= 500, "only {} inputs", tally.requests);
        assert!(tally.refused >= 300, "{} refused of {}", tally.refused, tally.requests);
        eprintln!("{}: {} hostile requests, {} refused with a 4xx, none 5xx", t.label, tally.requests, tally.refused);

        // Nothing stored comes back as markup: the board, its cards' pages and the library.
        for path in [format!("/papan/{board}"), "/bukti".to_string(), "/saya".to_string()] {
            let html = common::body_text(get(&app, &path, Some(&opd)).await).await;
            for raw in ["<script>alert(", "<img src=x onerror", "<script>alert('bukti')"] {
                assert!(!html.contains(raw), "{path} contains {raw}");
            }
        }
        let cards: Vec<i64> = sqlx::query("SELECT id FROM card WHERE title LIKE '%<script>%' OR title LIKE '%onerror%'")
            .fetch_all(&t.db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| sqlx::Row::try_get(r, "id").unwrap())
            .collect();
        for card in cards.iter().take(5) {
            let html = common::body_text(get(&app, &format!("/papan/{board}/kartu/{card}"), Some(&opd)).await).await;
            assert!(!html.contains("<script>alert(") && !html.contains("<img src=x onerror"), "card {card}");
        }
        t
    })
    .await;
}
