//! The live feed: every committed event, numbered, streamed to the browsers of its instansi.
//!
//! `GET /api/peristiwa?setelah=N` is a Server-Sent Events stream of the events after number N
//! (or after the browser's `Last-Event-ID` when it reconnects), so a client that was away misses
//! nothing. The stream reads the event table itself, so changes made by another process or
//! another instance arrive too.

#[cfg(feature = "ssr")]
pub mod ssr;

use serde::{Deserialize, Serialize};

/// One event as the browser receives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub id: i64,
    pub kind: String,
    pub subject: String,
}

/// Opens the live feed after event `after` and calls `on_event` for each event, reconnecting
/// (and resuming) by itself. Browser only; the returned guard closes the feed when dropped.
#[cfg(feature = "hydrate")]
pub fn subscribe(after: i64, on_event: impl Fn(LiveEvent) + 'static) -> Option<Subscription> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let source = web_sys::EventSource::new(&format!("/api/peristiwa?setelah={after}")).ok()?;
    let handler = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        if let Some(text) = e.data().as_string() {
            if let Ok(ev) = serde_json::from_str::<LiveEvent>(&text) {
                on_event(ev);
            }
        }
    });
    source.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    Some(Subscription {
        source,
        _handler: handler,
    })
}

#[cfg(feature = "hydrate")]
pub struct Subscription {
    source: web_sys::EventSource,
    _handler: wasm_bindgen::closure::Closure<dyn Fn(web_sys::MessageEvent)>,
}

#[cfg(feature = "hydrate")]
impl Drop for Subscription {
    fn drop(&mut self) {
        self.source.close();
    }
}
