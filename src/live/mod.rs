//! The live feed: every committed event, numbered, streamed to the browsers of its instansi.
//!
//! `GET /api/peristiwa?setelah=N` is a Server-Sent Events stream of the events after number N
//! (or after the browser's `Last-Event-ID` when it reconnects), so a client that was away misses
//! nothing. The stream reads the event table itself, so changes made by another process or
//! another instance arrive too.

#[cfg(feature = "ssr")]
pub mod ssr;

use serde::{Deserialize, Serialize};

/// The kind of the event a feed hands its page when it opens again after the browser gave up
/// on it: the page re-reads its data (the missed events follow too).
pub const REOPENED: &str = "feed.reopened";

/// One event as the browser receives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub id: i64,
    pub kind: String,
    pub subject: String,
}

/// Opens the live feed after event `after` and calls `on_event` for each event. Browser only;
/// the returned guard closes the feed when dropped.
///
/// The browser's EventSource reconnects by itself after a dropped connection, resuming with
/// `Last-Event-ID`; when it gives up (a failed reconnect, e.g. while offline, closes it for
/// good), the feed opens a new one after the last event it saw, every few seconds until one
/// succeeds. Either way nothing is missed.
#[cfg(feature = "hydrate")]
pub fn subscribe(after: i64, on_event: impl Fn(LiveEvent) + 'static) -> Option<Subscription> {
    let inner = std::rc::Rc::new(Inner {
        last: std::cell::Cell::new(after),
        on_event: Box::new(on_event),
        current: std::cell::RefCell::new(None),
        stopped: std::cell::Cell::new(false),
        reopening: std::cell::Cell::new(false),
    });
    open(&inner)?;
    // The browser knows before the socket does when the network is gone: close the feed at
    // once, and reopen it (after the last event seen) the moment the network is back.
    let weak = std::rc::Rc::downgrade(&inner);
    let offline = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(move |_e| {
        if let Some(inner) = weak.upgrade() {
            inner.reopening.set(true);
            if let Some((source, _, _, _)) = inner.current.borrow().as_ref() {
                source.close();
            }
        }
    });
    let weak = std::rc::Rc::downgrade(&inner);
    let online = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(move |_e| {
        if let Some(inner) = weak.upgrade() {
            if !inner.stopped.get() {
                inner.reopening.set(true);
                let _ = open(&inner);
            }
        }
    });
    if let Some(w) = web_sys::window() {
        use wasm_bindgen::JsCast;
        let _ = w.add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
        let _ = w.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
    }
    Some(Subscription {
        inner,
        network: Some((offline, online)),
    })
}

#[cfg(feature = "hydrate")]
type Handler = wasm_bindgen::closure::Closure<dyn Fn(web_sys::Event)>;

#[cfg(feature = "hydrate")]
struct Inner {
    last: std::cell::Cell<i64>,
    on_event: Box<dyn Fn(LiveEvent)>,
    current: std::cell::RefCell<Option<(web_sys::EventSource, Handler, Handler, Handler)>>,
    /// Set when a feed was given up on; the next open tells the page.
    reopening: std::cell::Cell<bool>,
    stopped: std::cell::Cell<bool>,
}

/// How long to wait before opening a new feed after the browser gave up on one.
#[cfg(feature = "hydrate")]
const RETRY_MS: i32 = 3_000;

#[cfg(feature = "hydrate")]
fn open(inner: &std::rc::Rc<Inner>) -> Option<()> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let source =
        web_sys::EventSource::new(&format!("/api/peristiwa?setelah={}", inner.last.get())).ok()?;
    let weak = std::rc::Rc::downgrade(inner);
    let on_message = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
        let Some(inner) = weak.upgrade() else { return };
        let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else {
            return;
        };
        if let Some(text) = e.data().as_string() {
            if let Ok(ev) = serde_json::from_str::<LiveEvent>(&text) {
                if ev.id > inner.last.get() {
                    inner.last.set(ev.id);
                }
                (inner.on_event)(ev);
            }
        }
    });
    let weak = std::rc::Rc::downgrade(inner);
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_e: web_sys::Event| {
        let Some(inner) = weak.upgrade() else { return };
        let closed = inner
            .current
            .borrow()
            .as_ref()
            .map(|(s, _, _, _)| s.ready_state() == web_sys::EventSource::CLOSED)
            .unwrap_or(false);
        if !closed || inner.stopped.get() {
            return; // the browser is retrying by itself
        }
        inner.reopening.set(true);
        let weak = std::rc::Rc::downgrade(&inner);
        let retry = Closure::once_into_js(move || {
            if let Some(inner) = weak.upgrade() {
                if !inner.stopped.get() && open(&inner).is_none() {
                    tracing_free_log("live feed: could not reopen");
                }
            }
        });
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                retry.unchecked_ref(),
                RETRY_MS,
            );
        }
    });
    let weak = std::rc::Rc::downgrade(inner);
    let on_open = Closure::<dyn Fn(web_sys::Event)>::new(move |_e: web_sys::Event| {
        let Some(inner) = weak.upgrade() else { return };
        if inner.reopening.replace(false) {
            (inner.on_event)(LiveEvent {
                id: inner.last.get(),
                kind: REOPENED.into(),
                subject: String::new(),
            });
        }
    });
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    if let Some((old, _, _, _)) = inner
        .current
        .replace(Some((source, on_message, on_error, on_open)))
    {
        old.close();
    }
    Some(())
}

#[cfg(feature = "hydrate")]
fn tracing_free_log(msg: &str) {
    web_sys::console::warn_1(&msg.into());
}

#[cfg(feature = "hydrate")]
pub struct Subscription {
    inner: std::rc::Rc<Inner>,
    network: Option<(Handler, Handler)>,
}

#[cfg(feature = "hydrate")]
impl Drop for Subscription {
    fn drop(&mut self) {
        self.inner.stopped.set(true);
        if let (Some((offline, online)), Some(w)) = (self.network.take(), web_sys::window()) {
            use wasm_bindgen::JsCast;
            let _ =
                w.remove_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
            let _ =
                w.remove_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        }
        if let Some((source, _, _, _)) = self.inner.current.borrow_mut().take() {
            source.close();
        }
    }
}
