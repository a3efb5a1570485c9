//! The column mapping for a CSV of an unknown layout: the responder says which column holds
//! what; the mapping lives for this session only, in the worker.

use crate::evidence::ColumnMapping;
use crate::ui::strings as s;
use yew::prelude::*;

/// The mapping's fields: (field, label, required).
const FIELDS: [(&str, &str, bool); 8] = [
    ("timestamp", "Time", true),
    ("key", "API key or key id", false),
    ("model", "Model", false),
    ("input_tokens", "Input tokens", false),
    ("output_tokens", "Output tokens", false),
    ("cost_usd", "Cost (USD)", false),
    ("source_ip", "Source IP", false),
    ("user_agent", "User agent", false),
];

/// Properties of [`MappingForm`].
#[derive(Properties, PartialEq)]
pub struct MappingFormProps {
    /// The file's SHA-256 (the mapping's key).
    pub sha256: String,
    /// The CSV header.
    pub columns: Vec<String>,
    /// The mapping chosen.
    pub on_submit: Callback<(String, ColumnMapping)>,
}

fn get(m: &ColumnMapping, field: &str) -> Option<String> {
    match field {
        "timestamp" => Some(m.timestamp.clone()).filter(|t| !t.is_empty()),
        "key" => m.key.clone(),
        "model" => m.model.clone(),
        "input_tokens" => m.input_tokens.clone(),
        "output_tokens" => m.output_tokens.clone(),
        "cost_usd" => m.cost_usd.clone(),
        "source_ip" => m.source_ip.clone(),
        "user_agent" => m.user_agent.clone(),
        _ => None,
    }
}

fn set(m: &mut ColumnMapping, field: &str, v: Option<String>) {
    match field {
        "timestamp" => m.timestamp = v.unwrap_or_default(),
        "key" => m.key = v,
        "model" => m.model = v,
        "input_tokens" => m.input_tokens = v,
        "output_tokens" => m.output_tokens = v,
        "cost_usd" => m.cost_usd = v,
        "source_ip" => m.source_ip = v,
        "user_agent" => m.user_agent = v,
        _ => {}
    }
}

/// Which column holds what, prefilled with a guess from the header.
#[component]
pub fn MappingForm(p: &MappingFormProps) -> Html {
    let draft = {
        let columns = p.columns.clone();
        use_state(move || ColumnMapping::guess(&columns).unwrap_or_default())
    };
    let submit = {
        let draft = draft.clone();
        let sha = p.sha256.clone();
        let cb = p.on_submit.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !draft.timestamp.is_empty() {
                cb.emit((sha.clone(), (*draft).clone()));
            }
        })
    };
    html! {
        <form class="mapping" data-sha256={p.sha256.clone()} onsubmit={submit}>
            <p class="note">{ s::MAPPING_NOTE }</p>
            { for FIELDS.iter().map(|(field, label, required)| {
                let id = format!("map-{field}");
                let current = get(&draft, field);
                let onchange = {
                    let draft = draft.clone();
                    let field = field.to_string();
                    Callback::from(move |e: Event| {
                        use wasm_bindgen::JsCast;
                        let v = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default();
                        let mut m = (*draft).clone();
                        set(&mut m, &field, Some(v).filter(|v| !v.is_empty()));
                        draft.set(m);
                    })
                };
                html! {
                    <label for={id.clone()} class="mapping-field">{ *label }{ if *required { " *" } else { "" } }
                        <select id={id} name={field.to_string()} {onchange}>
                            <option value="" selected={current.is_none()}>{ "(none)" }</option>
                            { for p.columns.iter().map(|c| html! { <option value={c.clone()} selected={current.as_deref() == Some(c.trim())}>{ c }</option> }) }
                        </select>
                    </label>
                }
            }) }
            <button type="submit" class="button" disabled={draft.timestamp.is_empty()}>{ s::APPLY_MAPPING }</button>
        </form>
    }
}
