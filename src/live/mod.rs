//! The live feed: every committed event, numbered, streamed to the browsers of its instansi.
//!
//! `GET /api/peristiwa?setelah=N` is a Server-Sent Events stream of the events after number N
//! (or after the browser's `Last-Event-ID` when it reconnects), so a client that was away misses
//! nothing. The stream reads the event table itself, so changes made by another process or
//! another instance arrive too.

#[cfg(feature = "ssr")]
pub mod ssr;

use serde::{Deserialize, Serialize};

/// Makes a page's data follow the live feed: once `data` has loaded, `interest` names the event
/// number it reflects and the subject it cares about (`papan/3` takes `papan/3` and
/// `papan/3/…`; empty takes every event); each such event, and a reopened feed, re-reads it.
/// `None` follows nothing (e.g. nobody signed in). Does nothing on the server.
#[allow(unused_variables)]
pub fn follow<T>(
    data: leptos::prelude::Resource<Result<T, crate::error::AppError>>,
    interest: fn(&T) -> Option<(i64, String)>,
) where
    T: Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
{
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::*;
        let feed = StoredValue::new_local(None::<Subscription>);
        Effect::new(move |_| {
            if feed.with_value(|f| f.is_some()) {
                return;
            }
            let Some(Ok(d)) = data.get() else { return };
            let Some((after, p)) = interest(&d) else {
                return;
            };
            feed.set_value(subscribe(after, move |ev| {
                let mine = p.is_empty()
                    || ev.subject == p
                    || ev
                        .subject
                        .strip_prefix(p.as_str())
                        .is_some_and(|r| r.starts_with('/'));
                if mine || ev.kind == REOPENED {
                    data.refetch()
                }
            }));
        });
        on_cleanup(move || feed.set_value(None));
    }
}

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

/// Follows the live feed from event `after` on, calling `on_event` for each event. Browser
/// only; the returned guard stops following when dropped.
///
/// A tab holds one EventSource however many parts of the page follow the feed (browsers allow
/// only a few connections per host). The browser reconnects it by itself after a dropped
/// connection, resuming with `Last-Event-ID`; when it gives up (a failed reconnect closes it for
/// good) the feed opens a new one after the last event seen, every few seconds until one
/// succeeds; on the window's `offline` event it closes at once and on `online` it reopens.
/// Either way nothing is missed, and a follower is told with a [`REOPENED`] event to re-read
/// its data.
#[cfg(feature = "hydrate")]
pub fn subscribe(after: i64, on_event: impl Fn(LiveEvent) + 'static) -> Option<Subscription> {
    let hub = match HUB.with(|h| h.borrow().clone()) {
        Some(hub) => hub,
        None => {
            let hub = std::rc::Rc::new(Inner {
                last: std::cell::Cell::new(after),
                listeners: Default::default(),
                next_id: std::cell::Cell::new(1),
                current: Default::default(),
                stopped: std::cell::Cell::new(false),
                reopening: std::cell::Cell::new(false),
                network: Default::default(),
            });
            open(&hub)?;
            watch_network(&hub);
            HUB.with(|h| *h.borrow_mut() = Some(hub.clone()));
            hub
        }
    };
    let id = hub.next_id.get();
    hub.next_id.set(id + 1);
    let on_event: std::rc::Rc<dyn Fn(LiveEvent)> = std::rc::Rc::new(on_event);
    hub.listeners.borrow_mut().push((id, on_event.clone()));
    // Events the feed passed before this follower joined: let it re-read.
    if after < hub.last.get() {
        on_event(LiveEvent {
            id: hub.last.get(),
            kind: REOPENED.into(),
            subject: String::new(),
        });
    }
    Some(Subscription { id })
}

#[cfg(feature = "hydrate")]
thread_local! {
    static HUB: std::cell::RefCell<Option<std::rc::Rc<Inner>>> = const { std::cell::RefCell::new(None) };
    static KIOSK: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// A kiosk page follows the feed with its link's token instead of a session.
#[cfg(feature = "hydrate")]
pub fn set_kiosk_token(token: String) {
    KIOSK.with(|k| *k.borrow_mut() = Some(token).filter(|t| !t.is_empty()));
}

#[cfg(feature = "hydrate")]
fn stream_url(after: i64) -> String {
    match KIOSK.with(|k| k.borrow().clone()) {
        Some(token) => {
            let token: String = token
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            format!("/api/peristiwa?setelah={after}&kios={token}")
        }
        None => format!("/api/peristiwa?setelah={after}"),
    }
}

#[cfg(feature = "hydrate")]
type Handler = wasm_bindgen::closure::Closure<dyn Fn(web_sys::Event)>;

#[cfg(feature = "hydrate")]
type Listener = (u64, std::rc::Rc<dyn Fn(LiveEvent)>);

#[cfg(feature = "hydrate")]
struct Inner {
    last: std::cell::Cell<i64>,
    listeners: std::cell::RefCell<Vec<Listener>>,
    next_id: std::cell::Cell<u64>,
    current: std::cell::RefCell<Option<(web_sys::EventSource, Handler, Handler, Handler)>>,
    stopped: std::cell::Cell<bool>,
    /// Set when a feed was given up on; the next open tells the followers.
    reopening: std::cell::Cell<bool>,
    network: std::cell::RefCell<Option<(Handler, Handler)>>,
}

#[cfg(feature = "hydrate")]
impl Inner {
    fn dispatch(&self, ev: &LiveEvent) {
        // A copy: a follower may subscribe or unsubscribe while handling the event.
        let listeners: Vec<_> = self
            .listeners
            .borrow()
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for l in listeners {
            l(ev.clone());
        }
    }

    fn is_closed(&self) -> bool {
        self.current
            .borrow()
            .as_ref()
            .map(|(s, _, _, _)| s.ready_state() == web_sys::EventSource::CLOSED)
            .unwrap_or(true)
    }
}

/// How long to wait before opening a new feed after the browser gave up on one.
#[cfg(feature = "hydrate")]
const RETRY_MS: i32 = 3_000;

#[cfg(feature = "hydrate")]
fn open(inner: &std::rc::Rc<Inner>) -> Option<()> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let source = web_sys::EventSource::new(&stream_url(inner.last.get())).ok()?;
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
                inner.dispatch(&ev);
            }
        }
    });
    let weak = std::rc::Rc::downgrade(inner);
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_e: web_sys::Event| {
        let Some(inner) = weak.upgrade() else { return };
        if !inner.is_closed() || inner.stopped.get() {
            return; // the browser is retrying by itself
        }
        inner.reopening.set(true);
        let weak = std::rc::Rc::downgrade(&inner);
        let retry = Closure::once_into_js(move || {
            if let Some(inner) = weak.upgrade() {
                if !inner.stopped.get() && inner.is_closed() && open(&inner).is_none() {
                    web_sys::console::warn_1(&"Sinergi: umpan langsung belum dapat dibuka".into());
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
            inner.dispatch(&LiveEvent {
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

/// The browser knows before the socket does when the network is gone: close the feed at once,
/// and reopen it (after the last event seen) the moment the network is back.
#[cfg(feature = "hydrate")]
fn watch_network(inner: &std::rc::Rc<Inner>) {
    use wasm_bindgen::JsCast;
    let weak = std::rc::Rc::downgrade(inner);
    let offline = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(move |_e| {
        if let Some(inner) = weak.upgrade() {
            inner.reopening.set(true);
            if let Some((source, _, _, _)) = inner.current.borrow().as_ref() {
                source.close();
            }
        }
    });
    let weak = std::rc::Rc::downgrade(inner);
    let online = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(move |_e| {
        if let Some(inner) = weak.upgrade() {
            if !inner.stopped.get() && inner.is_closed() {
                inner.reopening.set(true);
                let _ = open(&inner);
            }
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
        let _ = w.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
    }
    *inner.network.borrow_mut() = Some((offline, online));
}

/// Following the feed; dropping it stops (the last follower of a tab closes the connection).
#[cfg(feature = "hydrate")]
pub struct Subscription {
    id: u64,
}

#[cfg(feature = "hydrate")]
impl Drop for Subscription {
    fn drop(&mut self) {
        let id = self.id;
        let Some(hub) = HUB.with(|h| h.borrow().clone()) else {
            return;
        };
        hub.listeners.borrow_mut().retain(|(i, _)| *i != id);
        if !hub.listeners.borrow().is_empty() {
            return;
        }
        // Closed a moment later, outside whatever handler dropped the last follower (a closure
        // must not be freed while it runs), and only if nobody followed again meanwhile.
        let later = wasm_bindgen::closure::Closure::once_into_js(move || close_if_unused(hub));
        if let Some(w) = web_sys::window() {
            use wasm_bindgen::JsCast;
            let _ =
                w.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), 0);
        }
    }
}

#[cfg(feature = "hydrate")]
fn close_if_unused(hub: std::rc::Rc<Inner>) {
    {
        if !hub.listeners.borrow().is_empty() {
            return;
        }
        hub.stopped.set(true);
        if let Some((source, _, _, _)) = hub.current.borrow_mut().take() {
            source.close();
        }
        if let (Some((offline, online)), Some(w)) =
            (hub.network.borrow_mut().take(), web_sys::window())
        {
            use wasm_bindgen::JsCast;
            let _ =
                w.remove_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
            let _ =
                w.remove_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        }
        HUB.with(|h| *h.borrow_mut() = None);
    }
}
