//! Concurrency drill (issue 7): 50 clients change the same card and the same indicator at once,
//! on SQLite and PostgreSQL. Every update is either applied or refused with a conflict; none is
//! silently lost, and each applied one has its event.

mod common;

use common::{call, login, on_both, router};
use http::StatusCode;
use serde_json::Value;
use sinergi::server::seed::{self, DEMO_PASSWORD};
use sqlx::Row;

const CLIENTS: usize = 50;

async fn count(t: &common::TestDb, sql: &'static str, bind: String) -> i64 {
    sqlx::query(sql)
        .bind(bind)
        .fetch_one(&t.db.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_clients_on_one_card_and_one_indicator_lose_nothing() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let app = router(&t.db);
        // Two people (a member and the koordinator), each in several tabs: sessions alternate.
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let koord = login(&app, "koordinator", DEMO_PASSWORD).await.unwrap();
        let (board, columns) = common::spbe_board(&app, &opd).await;
        let column = columns[0];
        let dinkes = common::opd_id(&t.db, "DINKES").await;
        let (status, card) = call(&app, "kartu-baru", &format!("board={board}&column={column}&title=Kartu+rebutan&lead={dinkes}"), Some(&opd)).await;
        assert_eq!(status, StatusCode::OK, "{card}");
        let card: i64 = card.trim().parse().unwrap();

        // 50 edits of the same card, all from version 1, at once.
        let mut edits = Vec::new();
        for i in 0..CLIENTS {
            let (app, cookie) = (app.clone(), if i % 2 == 0 { opd.clone() } else { koord.clone() });
            edits.push(tokio::spawn(async move {
                let args = format!(
                    "board={board}&card={card}&version=1&title=Judul+{i}&description=&lead={dinkes}\
                     &opds=&assignees=&due=&labels="
                );
                let (status, body) = call(&app, "kartu-ubah", &args, Some(&cookie)).await;
                (i, status, body)
            }));
        }
        let mut applied = Vec::new();
        let mut conflicts = 0;
        for e in edits {
            let (i, status, body) = e.await.unwrap();
            match status {
                StatusCode::OK => applied.push(i),
                StatusCode::CONFLICT => {
                    assert!(body.contains("sudah diubah oleh"), "{body}");
                    conflicts += 1;
                }
                other => panic!("{}: edit {i} answered {other}: {body}", t.label),
            }
        }
        assert_eq!(applied.len(), 1, "{}: exactly one edit of version 1 wins", t.label);
        assert_eq!(conflicts, CLIENTS - 1);
        let (_, body) = call(&app, "kartu", &format!("board={board}&card={card}"), Some(&opd)).await;
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["card"]["title"], format!("Judul {}", applied[0]), "the winner is what is stored");
        assert_eq!(v["card"]["version"], 2);
        let subject = format!("papan/{board}/kartu/{card}");
        assert_eq!(count(&t, "SELECT COUNT(*) AS n FROM event WHERE kind = 'kartu.diubah' AND subject = $1", subject).await, 1);

        // 50 claims of the same indicator at once: the ledger is append-only, so every one is
        // applied, each with its entry and its event, and the newest is in force.
        let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE).await.unwrap();
        let cycle = seed::cycle_id(&t.db, inst, "SPBE 2025").await.unwrap();
        let before = count(&t, "SELECT COUNT(*) AS n FROM level_entry WHERE indicator_code = $1", "45".into()).await;
        let events_before = count(&t, "SELECT COUNT(*) AS n FROM event WHERE kind = 'level.dicatat' AND subject LIKE $1", "%45%".into()).await;
        let mut claims = Vec::new();
        for i in 0..CLIENTS {
            let (app, cookie) = (app.clone(), opd.clone());
            claims.push(tokio::spawn(async move {
                let level = i % 5 + 1;
                let args = format!("cycle={cycle}&code=45&level={level}&justification=Klaim+{i}&evidence=");
                call(&app, "klaim-level", &args, Some(&cookie)).await
            }));
        }
        for c in claims {
            let (status, body) = c.await.unwrap();
            assert_eq!(status, StatusCode::OK, "{}: {body}", t.label);
        }
        let after = count(&t, "SELECT COUNT(*) AS n FROM level_entry WHERE indicator_code = $1", "45".into()).await;
        assert_eq!(after - before, CLIENTS as i64, "{}: every claim is in the ledger", t.label);
        let events_after = count(&t, "SELECT COUNT(*) AS n FROM event WHERE kind = 'level.dicatat' AND subject LIKE $1", "%45%".into()).await;
        assert_eq!(events_after - events_before, CLIENTS as i64, "each with its event");
        // The level in force is the newest entry's.
        let newest: String = sqlx::query("SELECT justification FROM level_entry WHERE indicator_code = '45' AND stage = 'mandiri' ORDER BY id DESC LIMIT 1")
            .fetch_one(&t.db.pool)
            .await
            .unwrap()
            .try_get("justification")
            .unwrap();
        let i: usize = newest.trim_start_matches("Klaim ").parse().unwrap();
        let levels = sinergi::dashboard::ssr::current_levels(&t.db, cycle).await.unwrap();
        let in_force = levels[&sinergi::dashboard::Stage::Mandiri]["45"];
        assert_eq!(
            in_force,
            sinergi::scoring::ratio::Ratio::from_int((i % 5 + 1) as i128),
            "{}",
            t.label
        );
        t
    })
    .await;
}
