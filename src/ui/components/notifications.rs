//! Notification drafts: the awareness time that starts the clocks, the regimes to draft, and
//! each draft with its deadlines (UTC, the responder's local time, the time left), its fields
//! filled from the report or marked unknown, and the note that it is a draft for counsel.

use super::checklist::checked;
use crate::ui::response::{DraftView, NotificationsView};
use crate::ui::state::{Action, Section};
use crate::ui::strings as s;
use serde_json::json;
use yew::prelude::*;

/// Properties of [`NotificationsPanel`].
#[derive(Properties, PartialEq)]
pub struct NotificationsPanelProps {
    /// The drafts and the regimes available.
    pub notifications: NotificationsView,
    /// The awareness time in force (RFC 3339), if any.
    #[prop_or_default]
    pub awareness: Option<String>,
    /// Whether the section is open.
    #[prop_or_default]
    pub open: bool,
    /// Page actions.
    #[prop_or_default]
    pub dispatch: Callback<Action>,
    /// A change of the context (a JSON merge patch).
    #[prop_or_default]
    pub on_patch: Callback<serde_json::Value>,
}

/// The nearest open deadline, in words, for the section's closed line.
pub fn next_deadline(n: &NotificationsView) -> Option<String> {
    n.drafts
        .iter()
        .flat_map(|d| d.deadlines.iter().map(move |x| (d, x)))
        .filter(|(_, x)| x.status == "open" || x.status == "overdue")
        .min_by_key(|(_, x)| x.remaining_seconds.unwrap_or(i64::MAX))
        .map(|(d, x)| format!("next: {} ({}): {}", x.what, d.id, x.text))
}

/// The drafts.
#[component]
pub fn NotificationsPanel(p: &NotificationsPanelProps) -> Html {
    let n = &p.notifications;
    let input = use_node_ref();
    if n.available.is_empty() {
        return html! {};
    }
    let picked: Vec<String> = n.drafts.iter().map(|d| d.id.clone()).collect();
    let pick = |id: String| {
        let (cb, picked, all) = (
            p.on_patch.clone(),
            picked.clone(),
            n.available.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
        );
        Callback::from(move |e: Event| {
            let on = checked(&e);
            let regimes: Vec<&String> = all
                .iter()
                .filter(|r| if **r == id { on } else { picked.contains(r) })
                .collect();
            cb.emit(json!({ "regimes": regimes }));
        })
    };
    let submit = {
        let (input, cb) = (input.clone(), p.on_patch.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(el) = input.cast::<web_sys::HtmlInputElement>() {
                let v = el.value();
                let at = (!v.is_empty())
                    .then(|| format!("{v}{}Z", if v.len() == 16 { ":00" } else { "" }));
                cb.emit(json!({ "awareness": at }));
            }
        })
    };
    let shown = p
        .awareness
        .as_deref()
        .map(|a| a.trim_end_matches('Z').chars().take(16).collect::<String>());
    let note = format!(
        "{} drafted{}",
        n.drafts.len(),
        next_deadline(n)
            .map(|x| format!(" · {x}"))
            .unwrap_or_default()
    );
    html! {
        <super::Fold section={Section::Notifications} title={s::NOTIFICATIONS} note={Some(AttrValue::from(note))} open={p.open} dispatch={p.dispatch.clone()}>
            <form id="awareness-form" class="known-key no-print" onsubmit={submit}>
                <label for="awareness">{ s::SET_AWARENESS }</label>
                <input id="awareness" ref={input} type="datetime-local" step="60" value={shown.unwrap_or_default()} />
                <button type="submit" class="button secondary">{ s::APPLY }</button>
            </form>
            <fieldset id="regimes" class="regimes no-print">
                <legend>{ s::PICK_REGIMES }</legend>
                { for n.available.iter().map(|r| html! {
                    <span class="regime">
                        <input id={format!("regime-{}", r.id)} type="checkbox" checked={picked.contains(&r.id)} onchange={pick(r.id.clone())} />
                        <label for={format!("regime-{}", r.id)}>{ &r.name }</label>
                    </span>
                }) }
            </fieldset>
            { for n.drafts.iter().map(draft) }
        </super::Fold>
    }
}

fn draft(d: &DraftView) -> Html {
    html! {
        <article class="draft" data-regime={d.id.clone()} aria-labelledby={format!("draft-{}", d.id)}>
            <h3 id={format!("draft-{}", d.id)}>{ &d.name }</h3>
            <p class="disclaimer">{ &d.disclaimer }</p>
            <p class="note">{ &d.applies }</p>
            <table class="grid deadlines">
                <thead><tr>{ for s::DEADLINE_COLUMNS.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr></thead>
                <tbody>{ for d.deadlines.iter().map(|x| html! {
                    <tr class={classes!("deadline", format!("deadline-{}", x.status))} data-deadline={x.id.clone()}>
                        <td>{ &x.what }<div class="note">{ &x.rule }</div></td>
                        <td><time>{ x.due_at.clone().unwrap_or_else(|| "—".into()) }</time></td>
                        <td>{ x.due_local.clone().unwrap_or_else(|| "—".into()) }</td>
                        <td class="time-left"><span class={classes!("badge", format!("dl-{}", x.status))}>{ x.status.replace('_', " ") }</span>
                            { format!(" {}", left(x.remaining_seconds)) }</td>
                    </tr>
                }) }</tbody>
            </table>
            <dl class="facts draft-fields">
                { for d.fields.iter().map(|f| html! {
                    <>
                    <dt>{ &f.label }</dt>
                    <dd class={classes!((!f.known).then_some("unknown"))} data-field={f.id.clone()}>{ &f.value }</dd>
                    </>
                }) }
            </dl>
            <details class="draft-text">
                <summary>{ s::DRAFT_TEXT }</summary>
                <pre>{ &d.text }</pre>
            </details>
        </article>
    }
}

/// Seconds left in words: "1 d 17 h 30 min left", "3 h 5 min overdue".
pub fn left(seconds: Option<i64>) -> String {
    let Some(sec) = seconds else {
        return String::new();
    };
    let m = sec.unsigned_abs() / 60;
    let (d, h, min) = (m / 1440, (m % 1440) / 60, m % 60);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d} d"));
    }
    if d > 0 || h > 0 {
        parts.push(format!("{h} h"));
    }
    parts.push(format!("{min} min"));
    format!(
        "{} {}",
        parts.join(" "),
        if sec < 0 { "overdue" } else { "left" }
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn time_left_in_words() {
        assert_eq!(super::left(Some(149_400)), "1 d 17 h 30 min left");
        assert_eq!(super::left(Some(-3_900)), "1 h 5 min overdue");
        assert_eq!(super::left(Some(59)), "0 min left");
        assert_eq!(super::left(None), "");
    }
}
