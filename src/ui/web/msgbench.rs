//! The worker-message micro-benchmark (feature `msg-bench`; not in the product build), driven by
//! `e2e/msgbench.js`: the worker's latest report goes to the page as a JSON string (`json-pretty`:
//! indented, as the page sent it before; `json`: as the page sends it now; `json-compact`) or as
//! a JS value made by serde-wasm-bindgen (`swb`), and the
//! page decodes it into its `ReportView`. Each step is timed with the clock the page and its
//! worker share (`performance.timeOrigin + performance.now()`), and the figures are kept in
//! `globalThis.__msgbench` for the driver to read.

use crate::ui::view::ReportView;
use js_sys::{Object, Reflect};
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// The page's last decoded report, to check that every codec gives the same one.
    static LAST_VIEW: RefCell<Option<ReportView>> = const { RefCell::new(None) };
}

/// Milliseconds since the epoch, sub-millisecond, comparable between the page and its worker.
fn epoch_ms() -> f64 {
    let perf = Reflect::get(&js_sys::global(), &"performance".into()).unwrap_or_default();
    let origin = Reflect::get(&perf, &"timeOrigin".into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    let now = Reflect::get(&perf, &"now".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&perf).ok())
        .and_then(|v| v.as_f64())
        .unwrap_or_else(js_sys::Date::now);
    origin + now
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &key.into(), value);
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap_or_default()
}

/// Worker side: posts the latest report once, encoded with `codec` (`json-pretty`, `json`,
/// `json-compact` or `swb`). False when there is no report yet or it could not be encoded.
#[wasm_bindgen]
pub fn msgbench_send(codec: &str) -> bool {
    let started = epoch_ms();
    let payload = super::worker::LAST.with(|l| {
        let l = l.borrow();
        let report = &l.as_ref()?.0;
        match codec {
            "json-pretty" => Some(JsValue::from_str(&report.to_json())),
            "json" => Some(JsValue::from_str(&crate::ui::protocol::report_message(
                report,
            ))),
            "json-compact" => serde_json::to_string(report)
                .ok()
                .map(|s| JsValue::from_str(&s)),
            _ => report
                .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
                .ok(),
        }
    });
    let Some(payload) = payload else {
        return false;
    };
    let encoded = epoch_ms();
    let msg = Object::new();
    set(&msg, "msgbench", &codec.into());
    set(&msg, "started", &started.into());
    set(&msg, "encoded", &encoded.into());
    set(&msg, "payload", &payload);
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    scope.post_message(&msg).is_ok()
}

/// Page side: decodes a benchmark message into a `ReportView` and appends its times to
/// `globalThis.__msgbench`. False for any other message.
pub fn on_page(data: &JsValue) -> bool {
    let Some(codec) = get(data, "msgbench").as_string() else {
        return false;
    };
    let received = epoch_ms();
    let payload = get(data, "payload");
    let (json_bytes, decoded) = match payload.as_string() {
        Some(json) => (
            json.len(),
            ReportView::from_json(&json).map_err(|e| e.to_string()),
        ),
        None => (
            0,
            serde_wasm_bindgen::from_value::<ReportView>(payload).map_err(|e| e.to_string()),
        ),
    };
    let decoded_at = epoch_ms();
    let started = get(data, "started").as_f64().unwrap_or(0.0);
    let encoded = get(data, "encoded").as_f64().unwrap_or(0.0);
    let rec = Object::new();
    set(&rec, "codec", &codec.into());
    set(&rec, "encode_ms", &(encoded - started).into());
    set(&rec, "transfer_ms", &(received - encoded).into());
    set(&rec, "decode_ms", &(decoded_at - received).into());
    set(&rec, "total_ms", &(decoded_at - started).into());
    set(&rec, "json_bytes", &(json_bytes as f64).into());
    match decoded {
        Ok(view) => {
            let same = LAST_VIEW.with(|l| {
                let mut l = l.borrow_mut();
                let same = l.as_ref().is_none_or(|prev| *prev == view);
                *l = Some(view);
                same
            });
            set(&rec, "same_as_previous", &same.into());
        }
        Err(e) => set(&rec, "error", &e.into()),
    }
    let global = js_sys::global();
    let list = match get(&global, "__msgbench").dyn_into::<js_sys::Array>() {
        Ok(a) => a,
        Err(_) => {
            let a = js_sys::Array::new();
            set(global.unchecked_ref(), "__msgbench", &a);
            a
        }
    };
    list.push(&rec);
    true
}
