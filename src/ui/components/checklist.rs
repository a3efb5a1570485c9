//! The response checklist: each phase's items pre-filled from the evidence, each editable (done,
//! not done, n/a, and a note), and what remains. Every change goes to the worker as a change of
//! the context, so the report, the exports and the session file carry it.

use crate::ui::response::{ChecklistView, ItemView};
use crate::ui::state::{Action, Section};
use crate::ui::strings as s;
use serde_json::json;
use yew::prelude::*;

/// Properties of [`ChecklistPanel`].
#[derive(Properties, PartialEq)]
pub struct ChecklistPanelProps {
    /// The checklist.
    pub checklist: ChecklistView,
    /// Whether the section is open.
    #[prop_or_default]
    pub open: bool,
    /// Page actions (opening, the "remaining only" filter).
    #[prop_or_default]
    pub dispatch: Callback<Action>,
    /// Only the items that remain are listed.
    #[prop_or_default]
    pub remaining_only: bool,
    /// A change of the context (a JSON merge patch).
    #[prop_or_default]
    pub on_patch: Callback<serde_json::Value>,
}

/// "22 of 34 remain (11 done, 1 n/a)".
pub fn remaining_note(c: &ChecklistView) -> String {
    format!(
        "{} of {} remain ({} done, {} n/a)",
        c.remaining, c.total, c.done, c.not_applicable
    )
}

/// The checklist.
#[component]
pub fn ChecklistPanel(p: &ChecklistPanelProps) -> Html {
    let c = &p.checklist;
    if c.total == 0 {
        return html! {};
    }
    let filter = {
        let d = p.dispatch.clone();
        Callback::from(move |e: Event| d.emit(Action::RemainingOnly(checked(&e))))
    };
    html! {
        <super::Fold section={Section::Checklist} title={s::CHECKLIST} note={Some(AttrValue::from(remaining_note(c)))} open={p.open} dispatch={p.dispatch.clone()}>
            <p class="note">{ s::CHECKLIST_NOTE }</p>
            <p class="no-print">
                <input id="checklist-remaining-only" type="checkbox" checked={p.remaining_only} onchange={filter} />
                <label for="checklist-remaining-only">{ format!(" {}", s::ONLY_REMAINING) }</label>
            </p>
            { for c.phases.iter().map(|ph| {
                let items: Vec<&ItemView> = ph.items.iter().filter(|i| !p.remaining_only || i.status == "not_done").collect();
                html! {
                <section class="phase-block" data-phase={ph.id.clone()}>
                    <h3>{ &ph.title }<span class="fold-note">{ format!(" · {} remaining", ph.remaining) }
                        if let Some(due) = &ph.due_at { { format!(" · due {due}") } }</span></h3>
                    <p class="note">{ &ph.source }if let Some(n) = &ph.due_note { { format!(" · {n}") } }</p>
                    if !items.is_empty() {
                        <table class="grid checklist">
                            <thead><tr>{ for s::CHECKLIST_COLUMNS.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr></thead>
                            <tbody>{ for items.into_iter().map(|i| row(i, &p.on_patch)) }</tbody>
                        </table>
                    }
                </section>
            }}) }
        </super::Fold>
    }
}

fn row(i: &ItemView, on_patch: &Callback<serde_json::Value>) -> Html {
    let slug = i.id.replace('.', "-");
    let on_state = {
        let (id, note, cb) = (i.id.clone(), i.note.clone(), on_patch.clone());
        Callback::from(move |e: Event| {
            cb.emit(json!({ "checklist": { &id: { "status": value(&e), "note": note } } }))
        })
    };
    let on_note = {
        let (id, status, cb) = (i.id.clone(), i.status.clone(), on_patch.clone());
        Callback::from(move |e: Event| {
            let v = value(&e);
            let note = (!v.trim().is_empty()).then(|| v.trim().to_string());
            cb.emit(json!({ "checklist": { &id: { "status": status, "note": note } } }))
        })
    };
    html! {
        <tr class={classes!("item", format!("status-{}", i.status))} data-item={i.id.clone()}>
            <td>{ &i.text }
                if let Some(ev) = &i.evidence { <div class="note evidence-note">{ format!("Evidence: {ev}") }</div> }</td>
            <td class="state">
                <label class="visually-hidden" for={format!("ck-{slug}")}>{ format!("State of: {}", i.text) }</label>
                <select id={format!("ck-{slug}")} class="item-state" onchange={on_state}>
                    { for s::ITEM_STATES.iter().map(|(v, words)| html! {
                        <option value={*v} selected={i.status == *v}>{ *words }</option>
                    }) }
                </select>
                <span class="print-only">{ s::ITEM_STATES.iter().find(|(v, _)| *v == i.status).map(|x| x.1).unwrap_or("") }</span>
                <div class="note">{ format!("from {}", i.status_from) }</div>
            </td>
            <td class="item-note">
                <label class="visually-hidden" for={format!("ck-note-{slug}")}>{ format!("Note for: {}", i.text) }</label>
                <input id={format!("ck-note-{slug}")} type="text" value={i.note.clone().unwrap_or_default()} onchange={on_note} />
                <span class="print-only">{ i.note.clone().unwrap_or_default() }</span>
            </td>
        </tr>
    }
}

/// The value of the input or select an event came from.
pub fn value(e: &Event) -> String {
    e.target()
        .and_then(|t| web_sys::js_sys::Reflect::get(&t, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Whether the checkbox an event came from is ticked.
pub fn checked(e: &Event) -> bool {
    e.target()
        .and_then(|t| web_sys::js_sys::Reflect::get(&t, &"checked".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
