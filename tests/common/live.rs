//! Reading the live stream (`GET /api/peristiwa`) in tests, as a browser's EventSource does.

use futures::StreamExt;
use http::{header, StatusCode};
use std::time::{Duration, Instant};

/// How a stream resumes: from the newest event (a fresh page), after the number a reconnecting
/// EventSource sends in `Last-Event-ID`, or after the number a page gives in `?setelah=`.
#[derive(Clone, Copy, Debug)]
pub enum Resume {
    Newest,
    LastEventId(i64),
    Setelah(i64),
}

/// Opens the live stream on `app` for the session in `cookie`.
pub async fn open_stream(
    app: &axum::Router,
    cookie: &str,
    resume: Resume,
) -> axum::body::BodyDataStream {
    let uri = match resume {
        Resume::Setelah(n) => format!("/api/peristiwa?setelah={n}"),
        _ => "/api/peristiwa".to_string(),
    };
    let mut req = http::Request::get(uri).header(header::COOKIE, cookie);
    if let Resume::LastEventId(n) = resume {
        req = req.header("last-event-id", n.to_string());
    }
    let res = tower::ServiceExt::oneshot(app.clone(), req.body(axum::body::Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.into_body().into_data_stream()
}

/// Reads the stream until `n` events arrived (or `limit` passed); returns their numbers and
/// kinds, and checks that each frame's `id:` line matches the number in its data.
pub async fn read_events(
    body: &mut axum::body::BodyDataStream,
    n: usize,
    limit: Duration,
) -> Vec<(i64, String)> {
    let deadline = Instant::now() + limit;
    let mut text = String::new();
    let mut events = Vec::new();
    while events.len() < n {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(Some(Ok(chunk))) = tokio::time::timeout(left, body.next()).await else {
            break;
        };
        text.push_str(&String::from_utf8_lossy(&chunk));
        // SSE frames end with a blank line; keep-alive comments carry no data.
        while let Some(end) = text.find("\n\n") {
            let frame: String = text.drain(..end + 2).collect();
            if let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data: ")) {
                let v: serde_json::Value = serde_json::from_str(data).unwrap();
                let id = v["id"].as_i64().unwrap();
                let line_id = frame.lines().find_map(|l| l.strip_prefix("id: "));
                assert_eq!(line_id, Some(id.to_string().as_str()), "{frame}");
                events.push((id, v["kind"].as_str().unwrap().to_string()));
            }
        }
    }
    events
}
