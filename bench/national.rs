//! National scale (issue 6): the synthetic dataset of `sinergi synthesize` (600 instansi × 8
//! years × 47 indicators × 5 stages = 1,128,000 ledger entries; `SINERGI_BENCH_INSTANSI` to
//! change the 600), and what it does to the reads: the national roll-up of every instansi, and
//! one instansi's dashboard against the same dashboard on the demo alone.
//!
//! Run: `cargo bench --bench national --features ssr`. Not a pass/fail test: it prints figures
//! and ratios. On SQLite in a temporary file, and also on PostgreSQL when `BENCH_DATABASE_URL`
//! names a database it may fill (e.g. a fresh `createdb sinergi_bench`).

use sinergi::dashboard::ssr::dashboard_for;
use sinergi::national::ssr::rollup;
use sinergi::server::db::Db;
use sinergi::server::{seed, synthetic};
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

async fn run(label: &str, db: &Db, count: usize) {
    db.migrate().await.unwrap();
    seed::seed_demo(db).await.unwrap();
    let demo = seed::instansi_id(db, seed::DEMO_INSTANSI_CODE)
        .await
        .unwrap();
    let dash_demo = time(20, || dashboard_for(db, demo, "Kota", None)).await;
    let rollup_demo = time(5, || rollup(db)).await;

    let started = Instant::now();
    synthetic::synthesize(db, count, 8, 2025, |n, of| {
        if n % 100 == 0 {
            eprintln!("  {label}: {n}/{of} instansi");
        }
    })
    .await
    .unwrap();
    let generate = started.elapsed().as_secs_f64();
    let entries = count * 8 * 47 * 5;

    let dash_big = time(20, || dashboard_for(db, demo, "Kota", None)).await;
    let other = seed::instansi_id(db, &synthetic::code(count / 2 + 1))
        .await
        .unwrap();
    let dash_other = time(20, || dashboard_for(db, other, "Sintetis", None)).await;
    let rollup_big = time(3, || rollup(db)).await;
    let r = rollup(db).await.unwrap();

    println!(
        "{label}: national scale, {count} instansi + the demo, {entries} synthetic ledger entries"
    );
    println!(
        "  generate (sinergi synthesize)        {generate:>9.1} s   ({:.0} entries/s)",
        entries as f64 / generate
    );
    println!("  dashboard, demo alone                {dash_demo:>9.2} ms");
    println!(
        "  dashboard, demo at national scale    {dash_big:>9.2} ms   ({:.2}x the demo alone)",
        dash_big / dash_demo
    );
    println!("  dashboard, a synthetic instansi      {dash_other:>9.2} ms   (8 cycles of history)");
    println!("  national roll-up, demo alone         {rollup_demo:>9.2} ms   (1 instansi)");
    println!(
        "  national roll-up, {} instansi       {rollup_big:>9.2} ms   ({:.3} ms per instansi; {:.1}x one dashboard)",
        r.summary.instansi,
        rollup_big / r.summary.instansi as f64,
        rollup_big / dash_big
    );
    println!(
        "  roll-up: {} with an index, mean {:?} hundredths, by predicate {:?}",
        r.summary.scored, r.summary.mean_hundredths, r.summary.by_predicate
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let count: usize = std::env::var("SINERGI_BENCH_INSTANSI")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600);
    let dir = std::env::temp_dir().join(format!("sinergi_bench_national_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = Db::connect(&format!("sqlite://{}", dir.join("bench.db").display()))
        .await
        .unwrap();
    run("SQLite", &db, count).await;
    db.pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    if let Ok(url) = std::env::var("BENCH_DATABASE_URL") {
        let db = Db::connect(&url).await.unwrap();
        run("PostgreSQL", &db, count).await;
    }
}
