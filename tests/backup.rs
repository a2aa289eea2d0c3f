//! `sinergi backup` / `sinergi restore` (issue 7): a copy taken while writes keep landing is one
//! consistent moment, and restoring it gives back exactly that data and the evidence files.

mod common;

use common::on_both;
use sinergi::server::backup::{self, table_counts};
use sinergi::server::db::{record_event, Db};
use sinergi::server::seed;
use sqlx::Row;
use std::path::Path;

async fn events(db: &Db) -> Vec<(i64, String, String)> {
    sqlx::query("SELECT id, kind, subject FROM event ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.try_get("id").unwrap(),
                r.try_get("kind").unwrap(),
                r.try_get("subject").unwrap(),
            )
        })
        .collect()
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "sinergi_backup_{}_{}_{name}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_writes_restores_to_one_consistent_moment() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let inst = seed::instansi_id(&t.db, seed::DEMO_INSTANSI_CODE)
            .await
            .unwrap();
        // Two evidence files (content-addressed) and an upload still arriving.
        let files = temp("bukti");
        std::fs::write(files.join("a".repeat(64)), b"%PDF-1.4 rencana induk").unwrap();
        std::fs::write(files.join("b".repeat(64)), b"notulen rapat").unwrap();
        std::fs::write(files.join("123-0-0.part"), b"separuh").unwrap();

        // Writers keep committing events while the copy is taken.
        let writer = {
            let db = t.db.clone();
            tokio::spawn(async move {
                for i in 0..300 {
                    let mut tx = db.begin().await.unwrap();
                    record_event(
                        &mut tx,
                        inst,
                        "uji.tulis",
                        &format!("uji/{i}"),
                        &serde_json::json!({ "i": i }),
                        None,
                    )
                    .await
                    .unwrap();
                    tx.commit().await.unwrap();
                }
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        let dest = temp("salinan");
        let manifest = backup::backup(&t.url, &files, &dest).await.unwrap();
        writer.await.unwrap();
        assert_eq!(manifest.backend, t.label);
        assert_eq!(manifest.files, 2, "the .part upload is not evidence yet");
        // A second backup into the same folder is refused, and says why.
        let err = backup::backup(&t.url, &files, &dest).await.unwrap_err();
        assert!(err.contains("sudah berisi cadangan"), "{err}");

        // Restore into a fresh database and a fresh evidence folder.
        let (target_url, target) = if t.label == "sqlite" {
            let dir = temp("pulih");
            (
                format!("sqlite://{}", dir.join("sinergi.db").display()),
                None,
            )
        } else {
            let fresh = common::postgres().await.unwrap();
            (fresh.url.clone(), Some(fresh))
        };
        let files_back = temp("bukti-pulih");
        let (read, kept) = backup::restore(&target_url, &files_back, &dest)
            .await
            .unwrap();
        assert_eq!(read, manifest);
        assert!(kept.is_none(), "nothing was there to keep");
        let restored = Db::connect(&target_url).await.unwrap();
        assert_eq!(table_counts(&restored).await.unwrap(), manifest.tables);

        // One moment: the restored events are exactly the source's events up to the last one
        // the copy holds: none missing in between, none half-written.
        let source = events(&t.db).await;
        let copy = events(&restored).await;
        assert!(!copy.is_empty());
        let last = copy.last().unwrap().0;
        let prefix: Vec<_> = source.iter().filter(|e| e.0 <= last).cloned().collect();
        assert_eq!(copy, prefix, "{}", t.label);
        assert_eq!(manifest.tables["event"], copy.len() as i64);
        eprintln!(
            "{}: the copy holds {} of {} events (writes went on during the backup)",
            t.label,
            copy.len(),
            source.len()
        );
        // The restored database serves: a demo account signs in.
        restored.migrate().await.unwrap();
        assert!(
            sinergi::auth::ssr::login(&restored, "admin", seed::DEMO_PASSWORD)
                .await
                .unwrap()
                .is_some()
        );
        restored.pool.close().await;
        for name in ["a".repeat(64), "b".repeat(64)] {
            assert_eq!(
                std::fs::read(files_back.join(&name)).unwrap(),
                std::fs::read(files.join(&name)).unwrap()
            );
        }
        assert!(!files_back.join("123-0-0.part").exists());

        if t.label == "sqlite" {
            // Restoring over a database keeps the replaced file beside it: nothing is lost.
            let (_, kept) = backup::restore(&target_url, &files_back, &dest)
                .await
                .unwrap();
            let kept = kept.expect("the replaced database is kept");
            assert!(kept.exists(), "{}", kept.display());
            // A folder that is not a backup changes nothing.
            let err = backup::restore(&target_url, &files_back, Path::new("/tidak/ada"))
                .await
                .unwrap_err();
            assert!(err.contains("bukan folder cadangan"), "{err}");
            // A backup of SQLite does not go into PostgreSQL, and says so.
            let err = backup::restore("postgres://127.0.0.1:1/x", &files_back, &dest)
                .await
                .unwrap_err();
            assert!(err.contains("bukan PostgreSQL"), "{err}");
        }
        if let Some(fresh) = target {
            fresh.close().await;
        }
        t
    })
    .await;
}
