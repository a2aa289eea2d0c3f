//! The board under load: how long reading a board (every card with its OPDs, indicators,
//! assignees, labels and counts) takes as it grows, and how long a move (one transaction that
//! renumbers the column and writes the event) takes beside it. On SQLite, in a temporary file.
//!
//! Run: `cargo bench --bench boards --features ssr`. Not a pass/fail test: it prints figures
//! and ratios (read of N cards / read of the demo board, move / read).

use sinergi::auth::ssr::{login, user_for_token};
use sinergi::boards::rules::Filter;
use sinergi::boards::ssr as boards;
use sinergi::server::db::Db;
use sinergi::server::seed::{self, DEMO_PASSWORD};
use sinergi::server::AppState;
use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dir = std::env::temp_dir().join(format!("sinergi_bench_boards_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = Db::connect(&format!("sqlite://{}", dir.join("bench.db").display()))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    seed::seed_demo(&db).await.unwrap();
    let state = AppState {
        leptos_options: leptos::config::LeptosOptions::builder()
            .output_name("sinergi")
            .build(),
        db: db.clone(),
        files: dir.join("bukti"),
        store: sinergi::evidence::store::FileStore::Local(dir.join("bukti")),
        max_upload: 1 << 20,
        live: Default::default(),
    };
    let token = login(&db, "koordinator", DEMO_PASSWORD)
        .await
        .unwrap()
        .unwrap();
    let user = user_for_token(&db, &token).await.unwrap().unwrap();
    let list = boards::list(&state, &user).await.unwrap();
    let board = list
        .boards
        .iter()
        .find(|b| b.cycle_name == "SPBE 2025")
        .unwrap()
        .id;
    let view = boards::board(&state, &user, board, &Filter::default())
        .await
        .unwrap();
    let columns: Vec<i64> = view.columns.iter().map(|c| c.id).collect();
    let lead = view.opds.iter().find(|o| o.code == "DINKES").unwrap().id;

    let read = |reps: u32| {
        let state = state.clone();
        let user = user.clone();
        async move {
            let start = Instant::now();
            for _ in 0..reps {
                std::hint::black_box(
                    boards::board(&state, &user, board, &Filter::default())
                        .await
                        .unwrap(),
                );
            }
            start.elapsed().as_secs_f64() * 1e3 / reps as f64
        }
    };
    let base = read(20).await;
    println!(
        "board read, demo board ({} cards): {base:.2} ms",
        view.columns.iter().map(|c| c.total).sum::<usize>()
    );
    let mut cards = Vec::new();
    let mut total = view.columns.iter().map(|c| c.total).sum::<usize>();
    for target in [50usize, 200, 500] {
        let start = Instant::now();
        let made = target - total;
        for i in 0..made {
            let col = columns[i % columns.len()];
            let id = boards::create_card(
                &state,
                &user,
                board,
                col,
                &format!("Kartu uji {i} untuk {target}"),
                lead,
            )
            .await
            .unwrap();
            cards.push(id);
        }
        let create = start.elapsed().as_secs_f64() * 1e3 / made.max(1) as f64;
        total = target;
        let ms = read(10).await;
        let start = Instant::now();
        let moves = 40;
        for i in 0..moves {
            let card = cards[(i * 7) % cards.len()];
            let col = columns[(i + 1) % columns.len()];
            boards::move_card(&state, &user, board, card, col, (i % 5) as i64)
                .await
                .unwrap();
        }
        let mv = start.elapsed().as_secs_f64() * 1e3 / moves as f64;
        println!(
            "{target:>4} cards: read {ms:>7.2} ms ({:.1}× the demo board) · create {create:.2} ms · move {mv:.2} ms ({:.2}× a read)",
            ms / base,
            mv / ms
        );
    }
    db.pool.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
