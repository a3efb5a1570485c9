//! The hunts: each query to run where the organisation's logs live (title, where it runs, what it
//! returns, what to fill in, notes, the query itself) with a Copy button. Copying uses the
//! Clipboard API in the browser (`ui::web::clipboard`); when refused, the query is selected for
//! the keyboard. The page sends nothing.

use crate::report::hunts::Hunt;
use crate::ui::state::{Action, Section};
use crate::ui::strings as s;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`HuntsPanel`].
#[derive(Properties, PartialEq)]
pub struct HuntsPanelProps {
    /// The report's hunts.
    pub hunts: Rc<Vec<Hunt>>,
    /// Whether the section is open.
    #[prop_or_default]
    pub open: bool,
    /// Where its opening and closing go.
    #[prop_or_default]
    pub dispatch: Callback<Action>,
}

/// The element id of a hunt's query (its `<pre>`): ids hold only letters, digits, `.` and `_`.
fn query_id(h: &Hunt) -> String {
    format!("hunt-{}", h.id.replace('.', "-"))
}

/// What a Copy button does: in the browser, copy the query (or select it when the clipboard is
/// refused) and say which.
#[cfg(feature = "web")]
fn copy_on_click(
    h: &Hunt,
    pre: &str,
    copied: UseStateSetter<Option<(String, bool)>>,
) -> Callback<MouseEvent> {
    let (id, text, pre) = (h.id.clone(), h.query.clone(), pre.to_string());
    Callback::from(move |_: MouseEvent| {
        let (copied, id) = (copied.clone(), id.clone());
        crate::ui::web::clipboard::copy(
            text.clone(),
            pre.clone(),
            Callback::from(move |ok| copied.set(Some((id.clone(), ok)))),
        );
    })
}

/// Server rendering (the component tests) never clicks: the button is drawn, nothing is bound.
#[cfg(not(feature = "web"))]
fn copy_on_click(
    _: &Hunt,
    _: &str,
    _: UseStateSetter<Option<(String, bool)>>,
) -> Callback<MouseEvent> {
    Callback::noop()
}

/// The queries to run elsewhere.
#[component]
pub fn HuntsPanel(p: &HuntsPanelProps) -> Html {
    // Which hunt was copied last, and whether the clipboard took it.
    let copied = use_state(|| None::<(String, bool)>);
    if p.hunts.is_empty() {
        return html! {};
    }
    let note = AttrValue::from(format!("{} queries", p.hunts.len()));
    html! {
        <super::Fold section={Section::Hunts} title={s::HUNTS} note={Some(note)} open={p.open} dispatch={p.dispatch.clone()}>
            <p class="note">{ s::HUNTS_INTRO }</p>
            <ol id="hunts-list" class="hunts">
            { for p.hunts.iter().map(|h| {
                let pre = query_id(h);
                let onclick = copy_on_click(h, &pre, copied.setter());
                let status = match &*copied {
                    Some((id, true)) if *id == h.id => s::COPIED,
                    Some((id, false)) if *id == h.id => s::COPY_REFUSED,
                    _ => "",
                };
                html! {
                    <li class="hunt" data-hunt={h.id.clone()} data-dialect={h.dialect.extension()}>
                        <h3 id={format!("{pre}-title")}><code>{ &h.id }</code>{ format!(" ({}): {}", h.dialect.label(), h.title) }</h3>
                        <p>{ format!("{}: {}", s::HUNT_RETURNS, h.returns) }</p>
                        if !h.fill_in.is_empty() || !h.notes.is_empty() {
                            <ul class="hunt-notes">
                                { for h.fill_in.iter().map(|f| html! { <li>{ format!("{}: {f}", s::HUNT_FILL_IN) }</li> }) }
                                { for h.notes.iter().map(|n| html! { <li>{ format!("{}: {n}", s::HUNT_NOTE) }</li> }) }
                            </ul>
                        }
                        <div class="hunt-actions no-print">
                            <button type="button" class="button secondary copy" aria-label={format!("{} {}", s::COPY, h.id)}
                                aria-describedby={format!("{pre}-title")} {onclick}>{ s::COPY }</button>
                            <span class="copy-status" role="status" aria-live="polite">{ status }</span>
                        </div>
                        <pre id={pre.clone()} class="hunt-query" tabindex="0" aria-labelledby={format!("{pre}-title")}><code>{ &h.query }</code></pre>
                    </li>
                }
            }) }
            </ol>
        </super::Fold>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::state::Action;

    async fn render(hunts: Vec<Hunt>, open: bool) -> String {
        #[derive(Properties, PartialEq)]
        struct P {
            hunts: Rc<Vec<Hunt>>,
            open: bool,
        }
        #[component]
        fn Wrap(p: &P) -> Html {
            html! { <HuntsPanel hunts={p.hunts.clone()} open={p.open} dispatch={Callback::<Action>::noop()} /> }
        }
        yew::ServerRenderer::<Wrap>::with_props(move || P {
            hunts: Rc::new(hunts),
            open,
        })
        .render()
        .await
    }

    fn demo_hunts() -> Vec<Hunt> {
        let ctx = crate::Context::default();
        let inputs = crate::demo::inputs();
        crate::triage(&inputs, &ctx).hunts
    }

    #[tokio::test]
    async fn each_hunt_shows_its_query_with_a_named_copy_button() {
        let hunts = demo_hunts();
        assert!(hunts.len() >= 8, "{}", hunts.len());
        let html = render(hunts.clone(), true).await;
        assert!(html.contains("id=\"hunts\""), "{html}");
        assert!(html.contains(s::HUNTS));
        for h in &hunts {
            let pre = format!("id=\"{}\"", query_id(h));
            let at = html.find(&pre).unwrap_or_else(|| panic!("{pre} missing"));
            // The query is in its <pre>, escaped for HTML.
            let body = &html[at..];
            let body = &body[..body.find("</pre>").unwrap()];
            // The whole query, as the HTML escapes it.
            let escaped = h
                .query
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(body.contains(&escaped), "{}: {body}", h.id);
            assert!(
                html.contains(&format!("aria-label=\"Copy {}\"", h.id)),
                "no named copy button for {}",
                h.id
            );
        }
        assert!(html.contains("Returns: one row per CloudTrail event"));
        assert!(html.contains("Fill in: cloudtrail_logs"));
        assert_eq!(html.matches("<button").count(), hunts.len(), "{html}");
        assert_eq!(html.matches("tabindex=\"0\"").count(), hunts.len());
    }

    #[tokio::test]
    async fn no_hunts_no_section() {
        assert!(!render(Vec::new(), true).await.contains("id=\"hunts\""));
    }
}
