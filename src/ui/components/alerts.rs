//! The alert list: sortable by severity and time, filterable by key; an alert opens its rows.

use crate::ui::state::{severity_rank, Action, AlertSort, Section, State};
use crate::ui::strings as s;
use crate::ui::view::AlertView;
use std::collections::BTreeSet;
use yew::prelude::*;

/// Properties of [`AlertsPanel`].
#[derive(Properties, PartialEq)]
pub struct AlertsPanelProps {
    /// The state (report, sort, filter, selection).
    pub state: std::rc::Rc<State>,
    /// Dispatches page-only actions.
    pub dispatch: Callback<Action>,
    /// A compromise start for every key (RFC 3339), or `None` to estimate it.
    #[prop_or_default]
    pub on_start: Callback<Option<String>>,
}

/// The alerts.
#[component]
pub fn AlertsPanel(p: &AlertsPanelProps) -> Html {
    let start_input = use_node_ref();
    let Some(r) = &p.state.report else {
        return html! {};
    };
    if r.detection.events == 0 && r.detection.alerts.is_empty() {
        return html! {};
    }
    let keys: BTreeSet<&str> = r.detection.alerts.iter().map(|a| a.key.as_str()).collect();
    let alerts = p.state.alerts();
    let (limit, more) = super::paging::use_pages();
    let sort = {
        let d = p.dispatch.clone();
        Callback::from(move |e: Event| {
            let v = select_value(&e);
            d.emit(Action::SortAlerts(if v == s::BY_TIME {
                AlertSort::Time
            } else {
                AlertSort::Severity
            }));
        })
    };
    let filter = {
        let d = p.dispatch.clone();
        Callback::from(move |e: Event| {
            let v = select_value(&e);
            d.emit(Action::FilterAlerts(if v.is_empty() {
                None
            } else {
                Some(v)
            }));
        })
    };
    html! {
        <super::Fold section={Section::Alerts} title={s::ALERTS} note={Some(AttrValue::from(alert_note(&r.detection.alerts)))}
            open={p.state.open_sections.contains(&Section::Alerts)} dispatch={p.dispatch.clone()}>
            <div class="section-head">
                <label for="alert-sort">{ s::SORT_BY }</label>
                <select id="alert-sort" onchange={sort}>
                    <option value={s::BY_SEVERITY} selected={p.state.alert_sort == AlertSort::Severity}>{ s::BY_SEVERITY }</option>
                    <option value={s::BY_TIME} selected={p.state.alert_sort == AlertSort::Time}>{ s::BY_TIME }</option>
                </select>
                <label for="alert-key">{ s::KEY_FILTER }</label>
                <select id="alert-key" onchange={filter}>
                    <option value="" selected={p.state.alert_key.is_none()}>{ s::ALL_KEYS }</option>
                    { for keys.iter().map(|k| html! {
                        <option value={k.to_string()} selected={p.state.alert_key.as_deref() == Some(*k)}>{ *k }</option>
                    }) }
                </select>
            </div>
            <ul id="compromise-starts" class="note">
                { for r.detection.keys.iter().filter_map(|k| k.compromise_start.as_ref().map(|s| html! {
                    <li data-method={s.method.clone()}>{ format!("Compromise start for {}: {} ({}, confidence {:.0}%): {}", k.key, s.at, s.method.replace('_', " "), s.confidence * 100.0, s.reason) }</li>
                })) }
            </ul>
            <form id="start-form" class="known-key" onsubmit={start_submit(&start_input, &p.on_start)}>
                <label for="compromise-start">{ s::SET_START }</label>
                <input id="compromise-start" ref={start_input.clone()} type="datetime-local" step="60" />
                <button type="submit" class="button secondary">{ s::APPLY }</button>
                <button type="button" id="start-estimate" class="link" onclick={p.on_start.reform(|_: MouseEvent| None)}>{ s::ESTIMATE_START }</button>
            </form>
            if alerts.is_empty() {
                <p class="muted">{ s::NO_ALERTS }</p>
            } else {
                <table id="alerts-table" class="grid">
                    <thead><tr>{ for s::ALERT_COLUMNS.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr></thead>
                    <tbody>{ for alerts.iter().take(limit).map(|a| row(a, p.state.selected_alert.as_deref() == Some(a.id.as_str()), &p.dispatch)) }</tbody>
                </table>
                { super::paging::more_button("alerts-more", limit.min(alerts.len()), alerts.len(), more) }
            }
        </super::Fold>
    }
}

fn row(a: &AlertView, open: bool, dispatch: &Callback<Action>) -> Html {
    let id = a.id.clone();
    let d = dispatch.clone();
    let toggle = Callback::from(move |_: MouseEvent| d.emit(Action::SelectAlert(id.clone())));
    let numbers = match a.baseline {
        Some(b) => format!("{} vs {} {}", num(a.observed), num(b), a.unit),
        None => format!("{} {} (no baseline)", num(a.observed), a.unit),
    };
    html! {
        <>
        <tr class={classes!("alert", format!("sev-{}", a.severity), open.then_some("selected"))} data-alert={a.id.clone()}>
            <td><span class={classes!("badge", format!("sev-{}", a.severity))} title={a.severity_reason.clone()}>{ &a.severity }</span></td>
            <td>
                <button type="button" class="link alert-open" aria-expanded={open.to_string()} onclick={toggle}>{ a.kind.replace('_', " ") }</button>
            </td>
            <td><code>{ &a.key }</code></td>
            <td class="when"><time>{ &a.start }</time>{ " → " }<time>{ &a.end }</time></td>
            <td class="num">{ numbers }</td>
            <td class="sentence">{ &a.sentence }</td>
        </tr>
        if open {
            <tr class="alert-evidence"><td colspan="6">
                <p class="note">{ format!("{} ({} in all). Severity: {}", s::EVIDENCE_ROWS, a.evidence_count, a.severity_reason) }</p>
                if !a.values.is_empty() { <p class="note">{ a.values.join(", ") }</p> }
                if !a.targets.is_empty() { <p class="note targets">{ format!("{} {}", if a.kind == "destruction" { s::DELETED } else { s::CREATED_OR_CHANGED }, a.targets.join(", ")) }</p> }
                <ul class="refs">{ for a.evidence.iter().map(|r| html! {
                    <li><code>{ format!("{}{}", r.file, match (r.line, r.record) {
                        (Some(l), _) => format!(":{l}"),
                        (None, Some(i)) => format!(" record {i}"),
                        _ => String::new(),
                    }) }</code></li>
                }) }</ul>
            </td></tr>
        }
        </>
    }
}

/// "12 alerts: 3 critical, 4 high": the count and the worst severities, read while closed.
pub fn alert_note(alerts: &[AlertView]) -> String {
    let mut by = [0usize; 5];
    for a in alerts {
        by[severity_rank(&a.severity) as usize] += 1;
    }
    let parts: Vec<String> = [(4, "critical"), (3, "high"), (2, "medium"), (1, "low")]
        .iter()
        .filter(|(i, _)| by[*i] > 0)
        .map(|(i, n)| format!("{} {n}", by[*i]))
        .collect();
    if parts.is_empty() {
        format!("{} alerts", alerts.len())
    } else {
        format!("{} alerts: {}", alerts.len(), parts.join(", "))
    }
}

/// The start form's submit: the input's `YYYY-MM-DDTHH:MM` read as UTC.
fn start_submit(input: &NodeRef, cb: &Callback<Option<String>>) -> Callback<SubmitEvent> {
    let input = input.clone();
    let cb = cb.clone();
    Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        if let Some(el) = input.cast::<web_sys::HtmlInputElement>() {
            let v = el.value();
            if !v.is_empty() {
                let secs = if v.len() == 16 { ":00" } else { "" };
                cb.emit(Some(format!("{v}{secs}Z")));
            }
        }
    })
}

/// A number with at most two decimals, without trailing zeros.
pub fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn select_value(e: &Event) -> String {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}
