//! The server under load, measured against its physical limits (issue 7): the real release
//! binary, started as a separate process on a temporary SQLite file (and, for the two-instance
//! figure, on PostgreSQL), driven over TCP from this process.
//!
//! - Dashboard SSR: requests/s and p50/p99 latency at 64 keep-alive connections, against the
//!   same server returning the same bytes as a static file.
//! - Live fan-out: 1,000 connected live streams; time from sending a change to its receipt at
//!   every client (p50/p99), against a raw in-process broadcast of the same frame to 1,000 tasks.
//!   With PostgreSQL (`BENCH_DATABASE_URL`, else `TEST_DATABASE_URL` when reachable): the same
//!   with the clients split over two instances and the change made through one of them.
//! - Memory: the server's resident set idle, after the load, and with 1,000 live clients.
//!
//! Run: `cargo bench --bench serve --features ssr` (or `make bench`). Not a pass/fail test: it
//! prints figures and ratios measured in this one run. Both sides share this machine's cores,
//! as a load generator on the same host always does.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CONNECTIONS: usize = 64;
const LOAD: Duration = Duration::from_secs(6);
const LIVE_CLIENTS: usize = 1000;
const CHANGES: usize = 50;

/// A server process, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    async fn start(database_url: &str, data: &std::path::Path, port: u16, seed: bool) -> Server {
        let addr = format!("127.0.0.1:{port}");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sinergi"));
        cmd.args(["serve", "--addr", &addr])
            .env("DATABASE_URL", database_url)
            .env("SINERGI_DATA_DIR", data)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null());
        if !seed {
            cmd.arg("--no-seed");
        }
        let child = cmd.spawn().expect("start the sinergi binary");
        let server = Server { child, addr };
        let started = Instant::now();
        loop {
            if let Ok(mut c) = connect(&server.addr).await {
                if let Ok((200, _, _)) = request(&mut c, "GET", "/healthz", None, None).await {
                    return server;
                }
            }
            assert!(started.elapsed() < Duration::from_secs(60), "server start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn rss_mib(&self) -> f64 {
        rss_mib(self.child.id())
    }
}

/// The resident set size of process `pid` in MiB, from /proc.
fn rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

async fn connect(addr: &str) -> Result<SendRequest<Full<Bytes>>, Box<dyn std::error::Error>> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (send, conn) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    Ok(send)
}

type Answer = (u16, http::HeaderMap, Bytes);

async fn request(
    send: &mut SendRequest<Full<Bytes>>,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: Option<String>,
) -> Result<Answer, Box<dyn std::error::Error>> {
    send.ready().await?;
    let mut req = http::Request::builder()
        .method(method)
        .uri(path)
        .header(http::header::HOST, "127.0.0.1");
    if let Some(c) = cookie {
        req = req.header(http::header::COOKIE, c);
    }
    if form.is_some() {
        req = req
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(http::header::ACCEPT, "application/json");
    }
    let res = send
        .send_request(req.body(Full::new(Bytes::from(form.unwrap_or_default())))?)
        .await?;
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await?.to_bytes();
    Ok((status, headers, body))
}

/// Signs in and returns the session cookie (`name=value`).
async fn sign_in(addr: &str, user: &str) -> String {
    let mut c = connect(addr).await.unwrap();
    let (status, headers, _) = request(
        &mut c,
        "POST",
        "/masuk",
        None,
        Some(format!(
            "username={user}&password=sinergi-demo&lanjut=%2Fdasbor"
        )),
    )
    .await
    .unwrap();
    assert_eq!(status, 303, "sign-in of {user}");
    headers
        .get_all(http::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sinergi_sesi="))
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_string()
}

/// Calls a server fn over HTTP; returns its body.
async fn server_fn(addr: &str, cookie: &str, endpoint: &str, args: String) -> String {
    let mut c = connect(addr).await.unwrap();
    let (status, _, body) = request(
        &mut c,
        "POST",
        &format!("/api/{endpoint}"),
        Some(cookie),
        Some(args),
    )
    .await
    .unwrap();
    let body = String::from_utf8_lossy(&body).to_string();
    assert_eq!(status, 200, "{endpoint}: {body}");
    body
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

struct Load {
    per_second: f64,
    p50: f64,
    p99: f64,
    bytes: usize,
}

/// `CONNECTIONS` keep-alive connections, each sending GET `path` back to back for `LOAD`.
async fn load(addr: &str, path: &str, cookie: &str) -> Load {
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let bytes = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + LOAD;
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let (addr, path, cookie) = (addr.to_string(), path.to_string(), cookie.to_string());
        let (latencies, bytes) = (latencies.clone(), bytes.clone());
        tasks.push(tokio::spawn(async move {
            let mut c = connect(&addr).await.unwrap();
            let mut mine = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                let (status, _, body) = request(&mut c, "GET", &path, Some(&cookie), None)
                    .await
                    .unwrap();
                assert_eq!(status, 200, "{path}");
                mine.push(t.elapsed().as_secs_f64() * 1000.0);
                bytes.store(body.len(), Ordering::Relaxed);
            }
            latencies.lock().unwrap().extend(mine);
        }));
    }
    let started = Instant::now();
    for t in tasks {
        t.await.unwrap();
    }
    let took = started.elapsed().as_secs_f64();
    let mut l = latencies.lock().unwrap().clone();
    l.sort_by(|a, b| a.partial_cmp(b).unwrap());
    Load {
        per_second: l.len() as f64 / took,
        p50: percentile(&l, 0.5),
        p99: percentile(&l, 0.99),
        bytes: bytes.load(Ordering::Relaxed),
    }
}

/// One live client: the moments (since `epoch`) at which it received each event.
async fn live_client(
    addr: String,
    cookie: String,
    ready: Arc<AtomicUsize>,
    epoch: Instant,
    got: Arc<Mutex<Vec<Vec<f64>>>>,
    index: usize,
) {
    let mut c = connect(&addr).await.unwrap();
    c.ready().await.unwrap();
    let req = http::Request::get("/api/peristiwa")
        .header(http::header::HOST, "127.0.0.1")
        .header(http::header::COOKIE, &cookie)
        .body(Full::new(Bytes::new()))
        .unwrap();
    let res = c.send_request(req).await.unwrap();
    assert_eq!(res.status(), 200, "live stream");
    ready.fetch_add(1, Ordering::SeqCst);
    let mut body = res.into_body();
    let mut text = String::new();
    while let Some(Ok(frame)) = body.frame().await {
        let Ok(data) = frame.into_data() else {
            continue;
        };
        let now = epoch.elapsed().as_secs_f64() * 1000.0;
        text.push_str(&String::from_utf8_lossy(&data));
        while let Some(end) = text.find("\n\n") {
            let frame: String = text.drain(..end + 2).collect();
            if frame.lines().any(|l| l.starts_with("data:")) {
                got.lock().unwrap()[index].push(now);
            }
        }
    }
}

/// Every client's receipts but the first (the warm-up change).
fn without_first(got: &Mutex<Vec<Vec<f64>>>) -> Vec<Vec<f64>> {
    got.lock()
        .unwrap()
        .iter()
        .map(|c| c.iter().skip(1).copied().collect())
        .collect()
}

struct Fanout {
    each_p50: f64,
    each_p99: f64,
    all_p50: f64,
    all_p99: f64,
    missing: usize,
    /// The change's own round trip (request to its answer), within the figures above.
    write_p50: f64,
    /// The servers' resident set with every client connected (MiB).
    rss_mib: f64,
}

/// Sorted figures of `changes` sent at `sent[i]`: every client's receipt, and per change the
/// moment the last client had it.
fn fanout_figures(sent: &[f64], got: &[Vec<f64>]) -> Fanout {
    let mut each = Vec::new();
    let mut all = Vec::new();
    let mut missing = 0;
    for (i, t0) in sent.iter().enumerate() {
        let mut last: f64 = 0.0;
        for client in got {
            match client.get(i) {
                Some(t) => {
                    each.push(t - t0);
                    last = last.max(t - t0);
                }
                None => missing += 1,
            }
        }
        all.push(last);
    }
    each.sort_by(|a, b| a.partial_cmp(b).unwrap());
    all.sort_by(|a, b| a.partial_cmp(b).unwrap());
    Fanout {
        each_p50: percentile(&each, 0.5),
        each_p99: percentile(&each, 0.99),
        all_p50: percentile(&all, 0.5),
        all_p99: percentile(&all, 0.99),
        missing,
        write_p50: 0.0,
        rss_mib: 0.0,
    }
}

/// Connects `LIVE_CLIENTS` live streams spread over `addrs`, then makes `CHANGES` comments
/// through `writer` one after another (each once every client has the previous one).
/// `pids` are the servers whose resident set is read once every client is connected.
async fn fanout(
    addrs: &[String],
    pids: &[u32],
    cookie: &str,
    writer: &str,
    board: i64,
    card: i64,
) -> Fanout {
    let epoch = Instant::now();
    let ready = Arc::new(AtomicUsize::new(0));
    let got = Arc::new(Mutex::new(vec![Vec::new(); LIVE_CLIENTS]));
    let mut clients = Vec::new();
    for i in 0..LIVE_CLIENTS {
        let addr = addrs[i % addrs.len()].clone();
        clients.push(tokio::spawn(live_client(
            addr,
            cookie.to_string(),
            ready.clone(),
            epoch,
            got.clone(),
            i,
        )));
    }
    while ready.load(Ordering::SeqCst) < LIVE_CLIENTS {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Every stream has made its first read and waits.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss: f64 = pids.iter().map(|p| rss_mib(*p)).sum();
    // One change first, not counted: the first wake of a fresh server reads more than later ones.
    let mut sent = Vec::new();
    let mut writes = Vec::new();
    for n in 0..=CHANGES {
        let t = epoch.elapsed().as_secs_f64() * 1000.0;
        sent.push(t);
        server_fn(
            writer,
            cookie,
            "kartu-komentar",
            format!("board={board}&card={card}&body=Ukur+{n}"),
        )
        .await;
        writes.push(epoch.elapsed().as_secs_f64() * 1000.0 - t);
        let deadline = Instant::now() + Duration::from_secs(10);
        while got.lock().unwrap().iter().any(|c| c.len() <= n) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let got = without_first(&got);
    let mut figures = fanout_figures(&sent[1..], &got);
    writes.remove(0);
    writes.sort_by(|a, b| a.partial_cmp(b).unwrap());
    figures.write_p50 = percentile(&writes, 0.5);
    figures.rss_mib = rss;
    for c in clients {
        c.abort();
    }
    figures
}

/// The same payload through a raw in-process broadcast to `LIVE_CLIENTS` tasks.
async fn raw_broadcast(frame: &str) -> Fanout {
    let epoch = Instant::now();
    let (tx, _) = tokio::sync::broadcast::channel::<Arc<str>>(64);
    let got = Arc::new(Mutex::new(vec![Vec::new(); LIVE_CLIENTS]));
    let mut tasks = Vec::new();
    for i in 0..LIVE_CLIENTS {
        let mut rx = tx.subscribe();
        let got = got.clone();
        tasks.push(tokio::spawn(async move {
            while let Ok(payload) = rx.recv().await {
                std::hint::black_box(payload.len());
                let now = epoch.elapsed().as_secs_f64() * 1000.0;
                got.lock().unwrap()[i].push(now);
            }
        }));
    }
    let payload: Arc<str> = frame.into();
    let mut sent = Vec::new();
    // The first send (tasks still starting) is not counted, as for the live streams.
    for n in 0..=CHANGES {
        sent.push(epoch.elapsed().as_secs_f64() * 1000.0);
        tx.send(payload.clone()).unwrap();
        while got.lock().unwrap().iter().any(|c| c.len() <= n) {
            tokio::task::yield_now().await;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    drop(tx);
    for t in tasks {
        t.await.unwrap();
    }
    let got = without_first(&got);
    fanout_figures(&sent[1..], &got)
}

/// A board and a fresh card on it, for the comments of the fan-out.
async fn card_to_comment(addr: &str, cookie: &str) -> (i64, i64) {
    let boards: serde_json::Value =
        serde_json::from_str(&server_fn(addr, cookie, "papan-daftar", String::new()).await)
            .unwrap();
    let board = boards["boards"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["cycle_name"] == "SPBE 2025"))
        .and_then(|b| b["id"].as_i64())
        .expect("the SPBE 2025 board");
    let args = format!("id={board}&opd=&indikator=&petugas=&label=&tenggat=");
    let detail: serde_json::Value =
        serde_json::from_str(&server_fn(addr, cookie, "papan", args).await).unwrap();
    let column = detail["columns"][0]["id"].as_i64().expect("a column");
    let lead = detail["lead_choices"][0]["id"]
        .as_i64()
        .expect("an OPD to lead");
    let card = server_fn(
        addr,
        cookie,
        "kartu-baru",
        format!("board={board}&column={column}&title=Kartu+beban&lead={lead}"),
    )
    .await;
    (board, card.trim().parse().unwrap())
}

fn print_fanout(label: &str, f: &Fanout) {
    println!(
        "{label:<44} each client p50 {:>7.2} ms  p99 {:>7.2} ms | every client p50 {:>7.2} ms  p99 {:>7.2} ms{}",
        f.each_p50,
        f.each_p99,
        f.all_p50,
        f.all_p99,
        match (f.missing, f.write_p50 > 0.0) {
            (0, false) => String::new(),
            (0, true) => format!("  (the change's own round trip p50 {:.2} ms)", f.write_p50),
            (n, _) => format!("  ({n} receipts MISSING)"),
        }
    );
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("sinergi_bench_serve_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    let server = Server::start(&url, &dir, 3105, true).await;
    let addr = server.addr.clone();
    println!(
        "Sinergi release binary on SQLite, {} cores shared with this load generator",
        num_cpus()
    );

    // The mayor's dashboard, and the same bytes as a static file of the same server.
    let cookie = sign_in(&addr, "pimpinan").await;
    let mut c = connect(&addr).await.unwrap();
    let (status, _, page) = request(&mut c, "GET", "/dasbor", Some(&cookie), None)
        .await
        .unwrap();
    assert_eq!(status, 200);
    // The server reads the site's files at start: write the copy, then start it again (same
    // database, the session stays valid).
    let site = std::path::Path::new("target/site");
    std::fs::create_dir_all(site).unwrap();
    let static_file = site.join("bench-dasbor.html");
    std::fs::write(&static_file, &page).unwrap();
    drop(server);
    let server = Server::start(&url, &dir, 3105, true).await;
    let mut c = connect(&addr).await.unwrap();
    let (status, _, _) = request(&mut c, "GET", "/dasbor", Some(&cookie), None)
        .await
        .unwrap();
    assert_eq!(status, 200);
    let rss_idle = server.rss_mib();
    let (status, _, same) = request(&mut c, "GET", "/bench-dasbor.html", Some(&cookie), None)
        .await
        .unwrap();
    assert_eq!((status, same.len()), (200, page.len()), "the static copy");

    let health = load(&addr, "/healthz", &cookie).await;
    let ssr = load(&addr, "/dasbor", &cookie).await;
    let raw = load(&addr, "/bench-dasbor.html", &cookie).await;
    let _ = std::fs::remove_file(&static_file);
    println!(
        "dashboard SSR, {CONNECTIONS} connections     {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  ({} bytes)",
        ssr.per_second, ssr.p50, ssr.p99, ssr.bytes
    );
    println!(
        "same bytes, static file                {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  ({} bytes)",
        raw.per_second, raw.p50, raw.p99, raw.bytes
    );
    println!(
        "/healthz (2 bytes, one SELECT 1)      {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms",
        health.per_second, health.p50, health.p99
    );
    println!(
        "ratio SSR / static                     {:>8.2}x throughput, {:.2}x p50, {:.2}x p99",
        raw.per_second / ssr.per_second,
        ssr.p50 / raw.p50,
        ssr.p99 / raw.p99
    );
    let rss_loaded = server.rss_mib();

    // Live fan-out on one instance.
    let koord = sign_in(&addr, "koordinator").await;
    let (board, card) = card_to_comment(&addr, &koord).await;
    let frame = format!(
        "id: 1000\ndata: {{\"id\":1000,\"kind\":\"kartu.komentar\",\"subject\":\"kartu:{card}\"}}\n\n"
    );
    let raw_fan = raw_broadcast(&frame).await;
    let rss_before_live = server.rss_mib();
    let live = fanout(
        std::slice::from_ref(&addr),
        &[server.child.id()],
        &koord,
        &addr,
        board,
        card,
    )
    .await;
    println!();
    print_fanout("raw in-process broadcast, 1,000 tasks", &raw_fan);
    print_fanout("live stream, 1,000 clients, one instance", &live);
    println!(
        "ratio live / raw (every client, p50)   {:>8.1}x",
        live.all_p50 / raw_fan.all_p50
    );
    println!();
    println!("server resident set: idle {rss_idle:.1} MiB, after the SSR load {rss_loaded:.1} MiB, before the live clients {rss_before_live:.1} MiB, with 1,000 live clients {:.1} MiB", live.rss_mib);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);

    // Two instances on one PostgreSQL.
    let pg = std::env::var("BENCH_DATABASE_URL")
        .or_else(|_| std::env::var("TEST_DATABASE_URL"))
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let Some(pg_url) = fresh_pg_database(&pg).await else {
        println!("\n(no PostgreSQL at {pg}: the two-instance figure is skipped)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("sinergi_bench_pg_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let a = Server::start(&pg_url.1, &dir, 3106, true).await;
    let b = Server::start(&pg_url.1, &dir, 3107, false).await;
    let cookie = sign_in(&a.addr, "koordinator").await;
    let (board, card) = card_to_comment(&a.addr, &cookie).await;
    let pids = [a.child.id(), b.child.id()];
    let one = fanout(
        std::slice::from_ref(&a.addr),
        &pids[..1],
        &cookie,
        &a.addr,
        board,
        card,
    )
    .await;
    let two = fanout(
        &[a.addr.clone(), b.addr.clone()],
        &pids,
        &cookie,
        &a.addr,
        board,
        card,
    )
    .await;
    println!();
    print_fanout("PostgreSQL, 1,000 clients on one instance", &one);
    print_fanout("PostgreSQL, 500 + 500 on two instances", &two);
    println!(
        "ratio two instances / one (every, p50) {:>8.2}x; two instances / raw {:.1}x",
        two.all_p50 / one.all_p50,
        two.all_p50 / raw_fan.all_p50
    );
    println!(
        "resident set with the clients connected: one instance {:.1} MiB, two instances {:.1} MiB together",
        one.rss_mib, two.rss_mib
    );
    drop(a);
    drop(b);
    let _ = std::fs::remove_dir_all(&dir);
    drop_pg_database(&pg, &pg_url.0).await;
}

fn num_cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// A fresh database on the PostgreSQL server at `url`: (its name, its URL).
async fn fresh_pg_database(url: &str) -> Option<(String, String)> {
    use sqlx::Executor;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.ok()?;
    let name = format!("sinergi_bench_{}", std::process::id());
    pool.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .ok()?;
    pool.close().await;
    let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(url);
    Some((name.clone(), format!("{base}/{name}")))
}

async fn drop_pg_database(url: &str, name: &str) {
    use sqlx::Executor;
    if let Ok(pool) = sqlx::AnyPool::connect(url).await {
        let _ = pool
            .execute(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .await;
        pool.close().await;
    }
}
