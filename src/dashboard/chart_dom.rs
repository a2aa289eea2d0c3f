//! Drawing a chart into its element, in the browser only.
//!
//! The element may not be in the document yet when the effect first runs (client-side
//! navigation builds the new page before mounting it), and ECharts is a deferred script: so the
//! drawing waits, frame by frame, until both are there. The instance is disposed with its view.

use charming::Chart;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// An ECharts instance (`echarts.init(...)`).
    pub type EchartsInstance;

    #[wasm_bindgen(js_namespace = echarts, js_name = init)]
    fn echarts_init(el: &web_sys::Element) -> EchartsInstance;

    #[wasm_bindgen(method, js_name = setOption)]
    fn set_option(this: &EchartsInstance, option: JsValue);

    #[wasm_bindgen(method)]
    pub fn dispose(this: &EchartsInstance);

    #[wasm_bindgen(method)]
    pub fn resize(this: &EchartsInstance);
}

fn echarts_loaded() -> bool {
    js_sys::Reflect::has(&js_sys::global(), &JsValue::from_str("echarts")).unwrap_or(false)
}

/// Where a drawn instance is kept so its view can dispose of it.
pub type Slot = StoredValue<Option<EchartsInstance>, LocalStorage>;

/// Draws `chart` into `el` as soon as `el` is attached and ECharts is loaded (up to `frames`).
pub fn draw_when_ready(el: web_sys::Element, chart: Chart, slot: Slot, frames: u32) {
    if el.is_connected() && echarts_loaded() {
        let instance = echarts_init(&el);
        match serde_json::to_string(&chart).map(|json| js_sys::JSON::parse(&json)) {
            Ok(Ok(option)) => instance.set_option(option),
            _ => leptos::logging::warn!("grafik tidak dapat disiapkan"),
        }
        if slot.try_set_value(Some(instance)).is_some() {
            // The view was already gone: nothing will dispose of it later.
            leptos::logging::log!("grafik dibuang karena tampilannya sudah ditutup");
        }
    } else if frames > 0 {
        request_animation_frame(move || draw_when_ready(el, chart, slot, frames - 1));
    } else {
        leptos::logging::warn!("grafik tidak digambar: elemen atau ECharts tidak tersedia");
    }
}
