//! The wasm-only glue: the app component (page side) and the worker entry (worker side).
//!
//! One wasm module serves both sides. `boot.js` compiles it once, starts the app on the
//! page, and gives the same compiled module to a blob worker that calls [`start_worker`].

mod app;
pub mod clipboard;
mod files;
#[cfg(feature = "msg-bench")]
mod msgbench;
mod worker;

pub use app::App;
pub use worker::start_worker;

use wasm_bindgen::prelude::*;

/// Starts the app in the page, in place of the loading notice.
pub fn start_app() {
    let doc = gloo::utils::document();
    if let Some(boot) = doc.get_element_by_id("boot-status") {
        boot.remove();
    }
    match doc.get_element_by_id("app") {
        Some(root) => {
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}

#[wasm_bindgen]
extern "C" {
    /// Defined by boot.js: a new blob worker running this same module.
    #[wasm_bindgen(js_name = leaktriageSpawnWorker, catch)]
    fn spawn_worker_js() -> Result<web_sys::Worker, JsValue>;
}

/// A JS value's message, for showing an error.
fn js_error(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            js_sys::Reflect::get(e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| format!("{e:?}"))
}
