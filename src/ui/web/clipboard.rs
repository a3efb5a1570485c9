//! Copying a hunt's query: the Clipboard API (`navigator.clipboard.writeText`); when the browser
//! refuses it (no permission, no secure context, no API), the query's text is selected instead
//! so the responder can copy it with the keyboard. Nothing leaves the machine either way.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Copies `text`; on refusal selects the element `select_id`. `done` gets whether the clipboard
/// took it.
pub fn copy(text: String, select_id: String, done: yew::Callback<bool>) {
    wasm_bindgen_futures::spawn_local(async move {
        let ok = write(&text).await;
        if !ok {
            select(&select_id);
        }
        done.emit(ok);
    });
}

/// `obj[name]`, if it is an object or function.
fn get(obj: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(obj, &name.into())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

async fn write(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Some(clipboard) = get(&window, "navigator").and_then(|n| get(&n, "clipboard")) else {
        return false;
    };
    let Some(write_text) = get(&clipboard, "writeText").and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return false;
    };
    let Ok(promise) = write_text
        .call1(&clipboard, &text.into())
        .and_then(|p| p.dyn_into::<Promise>())
    else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Selects the element's text (the fallback when the clipboard is refused).
fn select(id: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(el) = window.document().and_then(|d| d.get_element_by_id(id)) else {
        return;
    };
    let selection = get(&window, "getSelection")
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call0(&window).ok());
    if let Some(sel) = selection {
        if let Some(f) = get(&sel, "selectAllChildren").and_then(|f| f.dyn_into::<Function>().ok())
        {
            let _ = f.call1(&sel, &el);
        }
    }
}
