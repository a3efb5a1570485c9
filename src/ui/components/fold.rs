//! A collapsible report section: `<details>` with its heading in `<summary>`, so it opens from
//! the keyboard (Enter or Space), prints expanded (the print stylesheet), and its open state is
//! kept in the page's state (so "open all" and the summary's links can open it).

use crate::ui::state::{Action, Section};
use yew::prelude::*;

/// Properties of [`Fold`].
#[derive(Properties, PartialEq)]
pub struct FoldProps {
    /// Which section.
    pub section: Section,
    /// Its heading.
    pub title: AttrValue,
    /// A short note beside the heading (counts, the worst severity), read while it is closed.
    #[prop_or_default]
    pub note: Option<AttrValue>,
    /// Whether it is open.
    pub open: bool,
    /// Where its opening and closing go.
    pub dispatch: Callback<Action>,
    /// The section's content.
    #[prop_or_default]
    pub children: Html,
}

/// One collapsible section.
#[component]
pub fn Fold(p: &FoldProps) -> Html {
    let sec = p.section;
    let d = p.dispatch.clone();
    let ontoggle = Callback::from(move |e: Event| {
        let open = e
            .target()
            .and_then(|t| web_sys::js_sys::Reflect::get(&t, &"open".into()).ok())
            .and_then(|v| v.as_bool());
        if let Some(open) = open {
            d.emit(Action::SectionOpen(sec, open));
        }
    });
    let id = sec.id();
    html! {
        <details id={id} class="panel fold" open={p.open} {ontoggle}>
            <summary>
                <h2 id={format!("{id}-heading")}>{ &p.title }</h2>
                if let Some(n) = &p.note { <span class="fold-note">{ n }</span> }
            </summary>
            <div class="fold-body">{ p.children.clone() }</div>
        </details>
    }
}
