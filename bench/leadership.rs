//! The war room and the exports on the demo data: how long assembling the war room takes
//! against the plain dashboard it builds on, and how long the XLSX and CSV files of a cycle take
//! to build (on a blocking thread in the server) against reading the report rows.
//!
//! Run: `cargo bench --bench leadership --features ssr`. Not a pass/fail test: it prints figures
//! and ratios. On SQLite, in a temporary file.

use sinergi::dashboard::ssr::dashboard_for;
use sinergi::leadership::ssr::leadership;
use sinergi::reports::ssr::{csv, report, xlsx};
use sinergi::server::db::Db;
use sinergi::server::seed;
use std::time::Instant;

async fn time<F, Fut, T>(reps: u32, f: F) -> f64
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let start = Instant::now();
    for _ in 0..reps {
        std::hint::black_box(f().await);
    }
    start.elapsed().as_secs_f64() * 1000.0 / reps as f64
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dir = std::env::temp_dir().join(format!("sinergi_bench_lead_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = Db::connect(&format!("sqlite://{}", dir.join("bench.db").display()))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    seed::seed_demo(&db).await.unwrap();
    let inst = seed::instansi_id(&db, seed::DEMO_INSTANSI_CODE)
        .await
        .unwrap();
    let cycle = seed::cycle_id(&db, inst, "SPBE 2025").await.unwrap();

    let reps = 50;
    let dash = time(reps, || dashboard_for(&db, inst, "Kota", Some(cycle))).await;
    let war = time(reps, || leadership(&db, inst, Some(cycle))).await;
    let rows = time(reps, || report(&db, inst, cycle)).await;
    let data = report(&db, inst, cycle).await.unwrap();
    let xlsx_ms = time(reps, || async { xlsx(&data, "http://localhost").unwrap() }).await;
    let csv_ms = time(reps, || async { csv(&data, "http://localhost") }).await;
    let bytes = xlsx(&data, "http://localhost").unwrap().len();

    // A cycle ten times larger (470 indicators), to see how the files scale.
    let mut big = data.clone();
    for k in 1..10 {
        big.rows.extend(data.rows.iter().cloned().map(|mut r| {
            r.code = format!("{}-{k}", r.code);
            r
        }));
    }
    let big_xlsx = time(10, || async { xlsx(&big, "http://localhost").unwrap() }).await;

    println!("war room and exports, SPBE 2025 demo (47 indicators), SQLite, mean of {reps}:");
    println!("  dashboard read          {dash:8.2} ms");
    println!(
        "  war room read           {war:8.2} ms   ({:.1}x the dashboard)",
        war / dash
    );
    println!("  report rows read        {rows:8.2} ms");
    println!(
        "  XLSX build              {xlsx_ms:8.2} ms   ({bytes} bytes; {:.1}x the rows read)",
        xlsx_ms / rows
    );
    println!(
        "  CSV build               {csv_ms:8.3} ms   (XLSX/CSV {:.0}x)",
        xlsx_ms / csv_ms
    );
    println!(
        "  XLSX, 470 indicators    {big_xlsx:8.2} ms   ({:.1}x the 47-indicator file)",
        big_xlsx / xlsx_ms
    );
    let _ = std::fs::remove_dir_all(&dir);
}
