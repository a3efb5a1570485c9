//! Leaked credentials, one row per distinct secret, and the known-key search.

use crate::ui::state::{Action, Section, State};
use crate::ui::strings as s;
use crate::ui::view::{CommitView, SecretView};
use yew::prelude::*;

/// Properties of [`FindingsPanel`].
#[derive(Properties, PartialEq)]
pub struct FindingsPanelProps {
    /// The state.
    pub state: std::rc::Rc<State>,
    /// Page-only actions.
    pub dispatch: Callback<Action>,
    /// A key to search for (handed to the worker, never kept by the page).
    pub on_known_key: Callback<String>,
    /// Reveal one secret's value on screen (by fingerprint).
    pub on_reveal: Callback<String>,
    /// A change to the context (here: the fingerprint key).
    pub on_patch: Callback<serde_json::Value>,
}

/// The findings and the search box.
#[component]
pub fn FindingsPanel(p: &FindingsPanelProps) -> Html {
    let Some(r) = &p.state.report else {
        return html! {};
    };
    let input = use_node_ref();
    let submit = {
        let cb = p.on_known_key.clone();
        submit_value(&input, move |v| cb.emit(v))
    };
    let key_input = use_node_ref();
    let use_key = {
        let cb = p.on_patch.clone();
        submit_value(&key_input, move |v| {
            cb.emit(serde_json::json!({ "fingerprint_key": v }))
        })
    };
    let sc = &r.scan;
    let (limit, more) = super::paging::use_pages();
    let text = use_state(String::new);
    let on_filter = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            text.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let needle = text.trim().to_lowercase();
    let shown: Vec<_> = sc
        .secrets
        .iter()
        .filter(|f| {
            needle.is_empty()
                || [&f.title, &f.provider, &f.rule_id, &f.redacted]
                    .iter()
                    .any(|v| v.to_lowercase().contains(&needle))
                || f.occurrences.iter().any(|o| {
                    o.path
                        .as_deref()
                        .unwrap_or(&o.evidence)
                        .to_lowercase()
                        .contains(&needle)
                })
        })
        .collect();
    html! {
        <super::Fold section={Section::Findings} title={s::FINDINGS} note={Some(AttrValue::from(format!("{} distinct", sc.secrets.len())))}
            open={p.state.open_sections.contains(&Section::Findings)} dispatch={p.dispatch.clone()}>
            <form id="known-key-form" class="known-key" onsubmit={submit}>
                <label for="known-key">{ s::KNOWN_KEY }</label>
                <input id="known-key" ref={input} type="password" autocomplete="off" spellcheck="false" />
                <button type="submit" class="button">{ s::SEARCH }</button>
                <p class="note">{ s::KNOWN_KEY_NOTE }</p>
            </form>
            <form id="fingerprint-key-form" class="known-key" onsubmit={use_key}>
                <label for="fingerprint-key">{ s::FINGERPRINT_KEY }</label>
                <code id="fingerprint-key-id">{ &sc.fingerprint_key_id }</code>
                <input id="fingerprint-key" ref={key_input} type="password" autocomplete="off" spellcheck="false" />
                <button type="submit" class="button">{ s::USE_KEY }</button>
                <p class="note">{ s::FINGERPRINT_KEY_NOTE }</p>
            </form>
            { for sc.known_keys.iter().map(|k| html! {
                <div class="known-key-result" data-hits={k.hit_count.to_string()}>
                    <strong>{ format!("{} ({}): {} hit(s)", k.key, k.form, k.hit_count) }</strong>
                    <ul>{ for k.hits.iter().map(|h| html! {
                        <li><code>{ format!("{}:{}:{}", h.evidence, h.line, h.column) }</code>{ format!(" {} ", variant(&h.variant)) }<code>{ &h.found }</code></li>
                    }) }</ul>
                </div>
            }) }
            if sc.secrets.is_empty() {
                <p class="muted">{ s::NO_FINDINGS }</p>
            } else {
                <div class="filters no-print">
                    <label for="findings-filter">{ s::FINDINGS_FILTER }</label>
                    <input id="findings-filter" type="search" value={(*text).clone()} oninput={on_filter} />
                </div>
                <table id="findings-table" class="grid">
                    <thead><tr>{ for s::FINDING_COLUMNS.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr></thead>
                    <tbody>{ for shown.iter().take(limit).map(|f| row(f, &p.state, &p.dispatch, &p.on_reveal)) }</tbody>
                </table>
                { super::paging::more_button("findings-more", limit.min(shown.len()), shown.len(), more) }
            }
        </super::Fold>
    }
}

/// A form's submit: the input's trimmed value to `f` (when not blank), and the input cleared
/// (what it held may be a secret).
fn submit_value(input: &NodeRef, f: impl Fn(String) + 'static) -> Callback<SubmitEvent> {
    let input = input.clone();
    Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        if let Some(el) = input.cast::<web_sys::HtmlInputElement>() {
            let v = el.value();
            el.set_value("");
            if !v.trim().is_empty() {
                f(v.trim().to_string());
            }
        }
    })
}

fn variant(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.replace('_', " "),
        other => other.to_string(),
    }
}

fn commit(c: &CommitView) -> String {
    let short: String = c.id.chars().take(10).collect();
    let who = c.author.clone().unwrap_or_default();
    let when = c
        .author_date
        .clone()
        .or_else(|| c.commit_date.clone())
        .unwrap_or_default();
    format!("{short} {who} {when}").trim().to_string()
}

fn row(
    f: &SecretView,
    st: &State,
    dispatch: &Callback<Action>,
    on_reveal: &Callback<String>,
) -> Html {
    let open = st.open_secret.as_deref() == Some(f.fingerprint.as_str());
    let fp = f.fingerprint.clone();
    let d = dispatch.clone();
    let toggle = Callback::from(move |_: MouseEvent| d.emit(Action::ToggleSecret(fp.clone())));
    // still_present: the newest commit holds it, or a plain (non-history) file does.
    let present = match (f.still_present, &f.removed_in) {
        (Some(true), None) => html! { <span class="badge sev-critical">{ "yes" }</span> },
        (Some(true), Some(c)) => {
            html! { <span class="badge sev-critical" title={commit(c)}>{ "removed from the repository, still in history and in other evidence" }</span> }
        }
        (Some(false), _) => {
            html! { <span class="badge sev-high" title={f.removed_in.as_ref().map(commit).unwrap_or_default()}>{ "removed, still in history" }</span> }
        }
        (None, _) => html! { <span class="muted">{ "—" }</span> },
    };
    let revealed = st
        .revealed
        .as_ref()
        .filter(|(fp, _)| fp == &f.fingerprint)
        .map(|(_, v)| v.clone());
    let reveal = {
        let fp = f.fingerprint.clone();
        let cb = on_reveal.clone();
        Callback::from(move |_: MouseEvent| cb.emit(fp.clone()))
    };
    let hide = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.emit(Action::HideRevealed))
    };
    html! {
        <>
        <tr class={classes!("secret", format!("structure-{}", f.structure), f.matches_known_key.then_some("known-key-match"))} data-fingerprint={f.fingerprint.clone()} data-rule={f.rule_id.clone()}>
            <th scope="row">{ &f.title }<div class="note">{ format!("{} · {} · confidence {}", f.provider, f.kind_label, f.confidence) }</div></th>
            <td><code class="redacted">{ &f.redacted }</code>{ value_kind_badge(&f.value_kind) }
                if f.marked_allowed {
                    <span class="badge marked-allowed" title={s::MARKED_ALLOWED_NOTE}>{ s::MARKED_ALLOWED }</span>
                }
            </td>
            <td><span class={classes!("badge", format!("structure-{}", f.structure))} title={f.structure_note.clone()}>{ &f.structure_label }</span></td>
            <td class="num">{ f.occurrence_count }<button type="button" class="link secret-open" aria-expanded={open.to_string()} onclick={toggle}>{ s::DETAILS }</button></td>
            <td>{ f.introduced.as_ref().map(commit).unwrap_or_default() }</td>
            <td>{ present }</td>
            <td class="note">{ &f.revoke }</td>
        </tr>
        if open {
            <tr class="secret-detail"><td colspan="7">
                if let Some(p) = &f.partner {
                    <p class="note pair">{ s::PAIR }{ " " }{ format!("{} ", p.role) }<code class="redacted">{ &p.redacted }</code>{ value_kind_badge(&p.value_kind) }{ format!(" ({} occurrence(s)) and this {}", p.occurrence_count, f.title) }</p>
                }
                <p class="note">{ format!("What it can usually do: {}", f.can_do) }</p>
                <p class="note">{ format!("Fingerprint (SHA-256): {}", f.fingerprint) }</p>
                <ul class="refs">{ for f.occurrences.iter().map(|o| html! {
                    <li>
                        <code>{ format!("{}{}:{}", o.evidence, o.path.as_ref().map(|p| format!(" {p}")).unwrap_or_default(), o.line) }</code>
                        { format!(" {}{}{}{}",
                            o.change.clone().unwrap_or_default(),
                            o.commit.as_ref().map(|c| format!(" in {}", commit(c))).unwrap_or_default(),
                            o.encoding.as_ref().map(|e| format!(" ({e}-encoded)")).unwrap_or_default(),
                            if o.marked_allowed { " (line marked gitleaks:allow)" } else { "" }) }
                    </li>
                }) }</ul>
                if let Some(v) = revealed {
                    <p><code class="revealed">{ v }</code>{ " " }<button type="button" class="button secondary" onclick={hide}>{ s::HIDE }</button></p>
                } else {
                    <button type="button" class="button secondary reveal" onclick={reveal}>{ s::REVEAL }</button>
                }
            </td></tr>
        }
        </>
    }
}

/// A badge saying a value is shown whole because it is an identifier (nothing for a secret).
fn value_kind_badge(kind: &str) -> Html {
    if kind == "identifier" {
        html! { <span class="badge identifier" title={s::IDENTIFIER_NOTE}>{ s::IDENTIFIER }</span> }
    } else {
        html! {}
    }
}
