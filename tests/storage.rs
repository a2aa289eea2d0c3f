//! Evidence storage (issue 6): one contract, held by the local folder, by an in-process object
//! store (the object-store code path without a network), and by a real S3-compatible server
//! (moto, from PyPI) started here when it is installed; then uploads and downloads through the
//! app with an object store, on SQLite and PostgreSQL.

mod common;

use common::{call, get, login, on_both, post_multipart, router_with_store};
use http::StatusCode;
use sha2::{Digest, Sha256};
use sinergi::evidence::store::FileStore;
use sinergi::server::seed::{self, DEMO_PASSWORD};
use std::path::Path;
use std::sync::Arc;

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "sinergi_store_{}_{}_{name}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What every store must do.
async fn contract(store: &FileStore, work: &Path) {
    let body = format!("%PDF-1.7\nkontrak {}\n%%EOF\n", work.display()).into_bytes();
    let sha = hex::encode(Sha256::digest(&body));
    let received = work.join("a.part");
    std::fs::write(&received, &body).unwrap();
    assert!(!store.exists(&sha).await.unwrap());
    assert!(
        store.place(&sha, &received).await.unwrap(),
        "new content is placed"
    );
    assert!(store.exists(&sha).await.unwrap());
    assert_eq!(store.read(&sha).await.unwrap(), body);
    // The same content again: recognised, not placed twice, still the same bytes.
    let again = work.join("b.part");
    std::fs::write(&again, &body).unwrap();
    assert!(!store.place(&sha, &again).await.unwrap());
    assert_eq!(store.read(&sha).await.unwrap(), body);
    // Only a hash is a name.
    for bad in ["../../etc/passwd", "abc", &"g".repeat(64)] {
        assert!(store.place(bad, &again).await.is_err(), "{bad}");
        assert!(store.read(bad).await.is_err(), "{bad}");
    }
    let missing = hex::encode(Sha256::digest(b"tidak ada"));
    assert!(store.read(&missing).await.is_err());
    assert!(!store.exists(&missing).await.unwrap());
    // Removing an unreferenced file: gone from a folder; kept in a shared object store.
    store.remove_unreferenced(&sha).await.unwrap();
    let kept = store.exists(&sha).await.unwrap();
    assert_eq!(
        kept,
        matches!(store, FileStore::Object(_)),
        "{}",
        store.describe()
    );
    store.remove_unreferenced(&missing).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_contract_holds_in_a_folder_and_in_an_object_store() {
    let dir = temp("lokal");
    contract(&FileStore::Local(dir.clone()), &temp("kerja")).await;
    let memory = FileStore::Object(Arc::new(object_store::memory::InMemory::new()));
    contract(&memory, &temp("kerja-mem")).await;
    let _ = std::fs::remove_dir_all(dir);
}

/// A moto S3 server on a free port, stopped when dropped.
struct Moto(std::process::Child, String);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_moto() -> Option<Moto> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = std::process::Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let moto = Moto(child, format!("http://127.0.0.1:{port}"));
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(moto);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_contract_holds_on_an_s3_compatible_server() {
    let Some(moto) = start_moto() else {
        if std::env::var("REQUIRE_S3").as_deref() == Ok("1") {
            panic!("REQUIRE_S3=1 but moto_server (pip install 'moto[server]') could not start");
        }
        eprintln!(
            "\n!!! moto_server not installed: the S3 half of the storage contract is SKIPPED !!!\n"
        );
        return;
    };
    // moto takes any credentials; the bucket is created with a plain PUT.
    let made = std::process::Command::new("curl")
        .args(["-sf", "-X", "PUT", &format!("{}/sinergi-uji", moto.1)])
        .status()
        .unwrap();
    assert!(made.success(), "bucket created");
    let s3 = object_store::aws::AmazonS3Builder::new()
        .with_endpoint(&moto.1)
        .with_bucket_name("sinergi-uji")
        .with_region("us-east-1")
        .with_access_key_id("uji")
        .with_secret_access_key("uji")
        .with_allow_http(true)
        .build()
        .unwrap();
    contract(&FileStore::Object(Arc::new(s3)), &temp("kerja-s3")).await;
}

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_goes_to_the_object_store_and_comes_back_byte_for_byte() {
    on_both(|t| async move {
        assert!(seed::seed_demo(&t.db).await.unwrap());
        let memory = Arc::new(object_store::memory::InMemory::new());
        let store = FileStore::Object(memory.clone());
        let (app, files) = router_with_store(&t.db, store.clone());
        let opd = login(&app, "opd", DEMO_PASSWORD).await.unwrap();
        let (status, msg) = post_multipart(
            &app,
            "/bukti/unggah",
            &[
                ("judul", "Perwal SPBE"),
                ("jenis", "perwal"),
                ("tahun", "2025"),
            ],
            Some(("berkas", "perwal.pdf", PDF)),
            Some(&opd),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", t.label);
        assert!(msg.starts_with("ok="), "{msg}");
        let sha = hex::encode(Sha256::digest(PDF));
        assert!(store.exists(&sha).await.unwrap(), "in the object store");
        // Nothing of it stays in the instance's own folder (only the empty receiving area).
        let local: Vec<_> = std::fs::read_dir(&files)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().map(|k| k.is_file()).unwrap_or(false))
            .collect();
        assert!(local.is_empty(), "{local:?}");
        let tmp_left = std::fs::read_dir(files.join("tmp"))
            .map(|d| d.count())
            .unwrap_or(0);
        assert_eq!(tmp_left, 0, "the received copy is removed");

        let (_, body) = call(&app, "bukti", "", Some(&opd)).await;
        let lib: serde_json::Value = serde_json::from_str(&body).unwrap();
        let version = lib["items"][0]["versions"][0]["id"].as_i64().unwrap();
        let viewer = login(&app, "viewer", DEMO_PASSWORD).await.unwrap();
        let res = get(
            &app,
            &format!("/bukti/versi/{version}/unduh"),
            Some(&viewer),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap();
        assert_eq!(&bytes[..], PDF, "{}", t.label);
        // The same content again is recognised, through the object store.
        let (_, msg) = post_multipart(
            &app,
            "/bukti/unggah",
            &[("judul", "Salinan")],
            Some(("berkas", "salinan.pdf", PDF)),
            Some(&opd),
        )
        .await;
        assert!(msg.contains("sudah ada"), "{msg}");
        t
    })
    .await;
}
