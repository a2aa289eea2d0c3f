//! Reliability drill (issue 7): `kill -9` of the real server binary in the middle of a burst of
//! writes from ten clients. After a restart every write that got a success answer is there,
//! with its event, the database passes SQLite's integrity check, and the server serves again.
//! On SQLite, the embedded default, where a killed process is the whole database's risk.

use serde_json::Value;
use sinergi::server::db::Db;
use sqlx::Row;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Response {
    status: u16,
    /// Every Set-Cookie (a sign-in sets the session and the language).
    cookies: Vec<String>,
    body: String,
}

/// One HTTP/1.1 request on a fresh connection (the drill needs nothing more).
async fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<Response> {
    let mut s = tokio::net::TcpStream::connect(addr).await?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).await?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("truncated response"))?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let pairs: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
        .collect();
    let cookies = pairs
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .map(|(_, v)| v.clone())
        .collect();
    let headers: HashMap<String, String> = pairs.into_iter().collect();

    let body = if headers
        .get("transfer-encoding")
        .is_some_and(|t| t == "chunked")
    {
        let mut out = String::new();
        let mut rest = rest;
        while let Some((size, after)) = rest.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if n == 0 || after.len() < n {
                break;
            }
            out.push_str(&after[..n]);
            rest = after[n..].trim_start_matches("\r\n");
        }
        out
    } else {
        rest.to_string()
    };
    Ok(Response {
        status,
        cookies,
        body,
    })
}

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start(dir: &std::path::Path, addr: &str) -> Server {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .arg("--data-dir")
        .arg(dir)
        .args(["serve", "--addr", addr])
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start sinergi");
    // Killed and waited for on every path, a failed start included.
    let server = Server(child);
    for _ in 0..300 {
        if let Ok(r) = http(addr, "GET", "/healthz", &[], "").await {
            if r.status == 200 {
                return server;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not answer /healthz within 30 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_no_acknowledged_write() {
    let dir = std::env::temp_dir().join(format!("sinergi_drill_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut server = start(&dir, &addr).await;

    // The koordinator signs in and makes one write token per client (each token has its own
    // rate limit of 120 a minute).
    let r = http(
        &addr,
        "POST",
        "/masuk",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "username=koordinator&password=sinergi-demo",
    )
    .await
    .unwrap();
    assert_eq!(r.status, 303);
    let cookie = r
        .cookies
        .iter()
        .find(|c| c.starts_with("sinergi_sesi="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string();
    let mut tokens = Vec::new();
    for i in 0..10 {
        let r = http(
            &addr,
            "POST",
            "/api/token-buat",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Accept", "application/json"),
                ("Cookie", &cookie),
            ],
            &format!("name=latihan-{i}&scope=write"),
        )
        .await
        .unwrap();
        assert_eq!(r.status, 200, "{}", r.body);
        let v: Value = serde_json::from_str(&r.body).unwrap();
        tokens.push(v["token"].as_str().unwrap().to_string());
    }
    let auth = format!("Bearer {}", tokens[0]);
    let r = http(
        &addr,
        "GET",
        "/api/v1/boards",
        &[("Authorization", &auth)],
        "",
    )
    .await
    .unwrap();
    let boards: Value = serde_json::from_str(&r.body).unwrap();
    let board = boards["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["cycle_name"] == "SPBE 2025")
        .unwrap()["id"]
        .as_i64()
        .unwrap();

    // Ten clients write cards as fast as they can, 100 each; the server is killed (SIGKILL)
    // once 300 writes have been acknowledged, in the middle of the burst.
    let acked: Arc<Mutex<Vec<(i64, String)>>> = Arc::default();
    let count = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for (c, token) in tokens.iter().enumerate() {
        let (addr, acked, count) = (addr.clone(), acked.clone(), count.clone());
        let auth = format!("Bearer {token}");
        clients.push(tokio::spawn(async move {
            for i in 0..100 {
                let title = format!("latihan {c}-{i}");
                let body = format!("{{\"title\": \"{title}\", \"lead_opd\": \"DINKES\"}}");
                match http(
                    &addr,
                    "POST",
                    &format!("/api/v1/boards/{board}/cards"),
                    &[
                        ("Authorization", &auth),
                        ("Content-Type", "application/json"),
                    ],
                    &body,
                )
                .await
                {
                    Ok(r) if r.status == 201 => {
                        let v: Value = serde_json::from_str(&r.body).unwrap();
                        acked
                            .lock()
                            .unwrap()
                            .push((v["id"].as_i64().unwrap(), title));
                        count.fetch_add(1, Ordering::SeqCst);
                    }
                    // Anything else (a refused connection after the kill, a cut answer) is not
                    // an acknowledgement, and the client stops.
                    _ => break,
                }
            }
        }));
    }
    while count.load(Ordering::SeqCst) < 300 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.0.kill().unwrap(); // SIGKILL: no shutdown, no flush
    server.0.wait().unwrap();
    for c in clients {
        c.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 300 && acked.len() < 1000,
        "killed mid-burst: {}",
        acked.len()
    );

    // Restart on the same data: it starts cleanly and serves.
    let _again = start(&dir, &addr).await;
    let r = http(
        &addr,
        "GET",
        &format!("/api/v1/boards/{board}/cards?per_page=200&page=1"),
        &[("Authorization", &auth)],
        "",
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200);

    let db = Db::connect(&format!("sqlite://{}", dir.join("sinergi.db").display()))
        .await
        .unwrap();
    let ok: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    assert_eq!(ok, "ok");
    let mut missing = Vec::new();
    for (id, title) in &acked {
        let row = sqlx::query("SELECT title FROM card WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await
            .unwrap();
        if row.map(|r| r.try_get::<String, _>("title").unwrap()) != Some(title.clone()) {
            missing.push(title.clone());
        }
    }
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    // Every stored drill card has its event (the change and its event commit together).
    let cards: i64 = sqlx::query("SELECT COUNT(*) AS n FROM card WHERE title LIKE 'latihan %'")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    let without_event: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM card c WHERE c.title LIKE 'latihan %' AND NOT EXISTS \
         (SELECT 1 FROM event e WHERE e.kind = 'kartu.dibuat' \
            AND e.subject = 'papan/' || c.board_id || '/kartu/' || c.id)",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .try_get("n")
    .unwrap();
    assert!(cards >= acked.len() as i64);
    assert_eq!(without_event, 0, "no card without its event");
    eprintln!(
        "drill: {} writes acknowledged before kill -9, {} stored (the rest were in flight), all acknowledged present",
        acked.len(),
        cards
    );
    db.pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
