//! The site's own files (the app's wasm and JS, the stylesheet, ECharts, icons) served from
//! memory.
//!
//! A build writes them once and they do not change while the server runs, so they are read at
//! start-up, with the `.br` and `.gz` copies a release build makes beside them, and answered
//! without touching the disk: reading each from disk per request (a handful of blocking-pool
//! hops) cost about 1 ms of CPU and held a 15 KB file to a ninth of the server's floor
//! (`bench/serve.rs`). Browsers revalidate by `ETag` and get a 304 when nothing changed.

use axum::body::{Body, Bytes};
use http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// One file of the site, with its precompressed copies when the build made them.
#[derive(Debug)]
struct SiteFile {
    raw: Bytes,
    br: Option<Bytes>,
    gz: Option<Bytes>,
    mime: &'static str,
    etag: HeaderValue,
}

/// Every file under a site root, by URL path (`/pkg/sinergi.wasm`).
#[derive(Debug, Default)]
pub struct SiteFiles {
    files: HashMap<String, SiteFile>,
}

/// The files of `root`, read once per process (a test binary builds many routers).
pub fn files(root: &str) -> Arc<SiteFiles> {
    static SITES: OnceLock<Mutex<HashMap<PathBuf, Arc<SiteFiles>>>> = OnceLock::new();
    let mut sites = SITES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    sites
        .entry(PathBuf::from(root))
        .or_insert_with(|| Arc::new(SiteFiles::load(Path::new(root))))
        .clone()
}

fn mime(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, e)| e) {
        Some("wasm") => "application/wasm",
        Some("js" | "mjs") => "text/javascript",
        Some("css") => "text/css",
        Some("html") => "text/html; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json" | "map") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Whether `accept` (an `Accept-Encoding` value) takes `coding` (not with `q=0`).
fn accepts(accept: &str, coding: &str) -> bool {
    accept.split(',').any(|part| {
        let mut fields = part.split(';').map(str::trim);
        fields
            .next()
            .is_some_and(|c| c.eq_ignore_ascii_case(coding))
            && !fields.any(|f| {
                f.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            })
    })
}

impl SiteFiles {
    /// Reads every file under `root` (none when it does not exist: a server without a built
    /// site still serves pages).
    pub fn load(root: &Path) -> SiteFiles {
        let mut files = HashMap::new();
        let mut dirs = vec![root.to_path_buf()];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let name = path.to_string_lossy();
                if name.ends_with(".br") || name.ends_with(".gz") {
                    continue;
                }
                let Ok(raw) = std::fs::read(&path) else {
                    continue;
                };
                let Ok(rel) = path.strip_prefix(root) else {
                    continue;
                };
                let url: String = rel
                    .components()
                    .map(|c| format!("/{}", c.as_os_str().to_string_lossy()))
                    .collect();
                let copy = |ext: &str| std::fs::read(format!("{name}.{ext}")).ok().map(Bytes::from);
                use sha2::Digest;
                let digest = sha2::Sha256::digest(&raw);
                let etag = HeaderValue::from_str(&format!("\"{}\"", hex::encode(&digest[..12])))
                    .expect("hex is a valid header value");
                files.insert(
                    url.clone(),
                    SiteFile {
                        br: copy("br"),
                        gz: copy("gz"),
                        raw: Bytes::from(raw),
                        mime: mime(&url),
                        etag,
                    },
                );
            }
        }
        SiteFiles { files }
    }

    /// How many files were read.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file was read.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The answer for a GET or HEAD of `path`, or `None` when it is not a file of the site.
    pub fn respond(
        &self,
        method: &Method,
        path: &str,
        headers: &HeaderMap,
    ) -> Option<Response<Body>> {
        if method != Method::GET && method != Method::HEAD {
            return None;
        }
        let file = self.files.get(path)?;
        let mut res = Response::builder()
            .header(header::ETAG, file.etag.clone())
            .header(header::VARY, "accept-encoding")
            // Names do not change between builds: revalidate, cheaply, by ETag.
            .header(header::CACHE_CONTROL, "no-cache");
        let unchanged = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(',')
                    .any(|t| t.trim() == "*" || t.trim().as_bytes() == file.etag.as_bytes())
            });
        if unchanged {
            return res
                .status(StatusCode::NOT_MODIFIED)
                .body(Body::empty())
                .ok();
        }
        let accept = headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let (body, coding) = match (&file.br, &file.gz) {
            (Some(br), _) if accepts(accept, "br") => (br.clone(), Some("br")),
            (_, Some(gz)) if accepts(accept, "gzip") => (gz.clone(), Some("gzip")),
            _ => (file.raw.clone(), None),
        };
        if let Some(c) = coding {
            res = res.header(header::CONTENT_ENCODING, c);
        }
        res = res
            .header(header::CONTENT_TYPE, file.mime)
            .header(header::CONTENT_LENGTH, body.len());
        let body = if method == Method::HEAD {
            Body::empty()
        } else {
            Body::from(body)
        };
        res.status(StatusCode::OK).body(body).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (SiteFiles, PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "sinergi_site_{}_{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        std::fs::write(dir.join("pkg/app.wasm"), b"raw wasm").unwrap();
        std::fs::write(dir.join("pkg/app.wasm.br"), b"br").unwrap();
        std::fs::write(dir.join("pkg/app.wasm.gz"), b"gz").unwrap();
        std::fs::write(dir.join("favicon.svg"), b"<svg/>").unwrap();
        (SiteFiles::load(&dir), dir)
    }

    fn get(site: &SiteFiles, path: &str, pairs: &[(header::HeaderName, &str)]) -> Response<Body> {
        let mut headers = HeaderMap::new();
        for (k, v) in pairs {
            headers.insert(k.clone(), HeaderValue::from_str(v).unwrap());
        }
        site.respond(&Method::GET, path, &headers).expect("a file")
    }

    #[test]
    fn the_smallest_accepted_copy_is_sent_with_its_encoding() {
        let (site, dir) = site();
        assert_eq!(
            site.len(),
            2,
            "the .br and .gz copies are not files of their own"
        );
        let enc = |r: &Response<Body>| {
            r.headers()
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap().to_string())
        };
        let ae = header::ACCEPT_ENCODING;
        let r = get(&site, "/pkg/app.wasm", &[(ae.clone(), "gzip, deflate, br")]);
        assert_eq!(enc(&r).as_deref(), Some("br"));
        assert_eq!(r.headers()[header::CONTENT_LENGTH], "2");
        assert_eq!(r.headers()[header::CONTENT_TYPE], "application/wasm");
        let r = get(&site, "/pkg/app.wasm", &[(ae.clone(), "gzip")]);
        assert_eq!(enc(&r).as_deref(), Some("gzip"));
        let r = get(&site, "/pkg/app.wasm", &[(ae.clone(), "br;q=0, gzip;q=0")]);
        assert_eq!(enc(&r), None, "q=0 refuses a coding");
        assert_eq!(r.headers()[header::CONTENT_LENGTH], "8");
        let r = get(&site, "/pkg/app.wasm", &[]);
        assert_eq!(enc(&r), None);
        // A file without copies goes out as it is whatever the browser accepts.
        let r = get(&site, "/favicon.svg", &[(ae, "br")]);
        assert_eq!(enc(&r), None);
        assert_eq!(r.headers()[header::CONTENT_TYPE], "image/svg+xml");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_browser_with_the_current_copy_gets_304_and_only_files_are_answered() {
        let (site, dir) = site();
        let first = get(&site, "/pkg/app.wasm", &[]);
        let etag = first.headers()[header::ETAG].to_str().unwrap().to_string();
        let again = get(&site, "/pkg/app.wasm", &[(header::IF_NONE_MATCH, &etag)]);
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        let other = get(
            &site,
            "/pkg/app.wasm",
            &[(header::IF_NONE_MATCH, "\"lama\"")],
        );
        assert_eq!(other.status(), StatusCode::OK);
        let h = HeaderMap::new();
        assert!(site.respond(&Method::GET, "/dasbor", &h).is_none());
        assert!(site.respond(&Method::GET, "/pkg", &h).is_none());
        assert!(site.respond(&Method::GET, "/../favicon.svg", &h).is_none());
        assert!(site.respond(&Method::POST, "/favicon.svg", &h).is_none());
        let head = site.respond(&Method::HEAD, "/favicon.svg", &h).unwrap();
        assert_eq!(head.headers()[header::CONTENT_LENGTH], "6");
        assert!(SiteFiles::load(&dir.join("tidak-ada")).is_empty());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
