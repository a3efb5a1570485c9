//! The attacker timeline: phases in order, with reasons and confidence.

use crate::ui::strings as s;
use crate::ui::view::TimelineView;
use yew::prelude::*;

/// Entries shown before "show all".
const SHOWN: usize = 30;

/// Properties of [`TimelinePanel`].
#[derive(Properties, PartialEq)]
pub struct TimelinePanelProps {
    /// The timeline.
    pub timeline: TimelineView,
    /// Whether the section is open.
    #[prop_or_default]
    pub open: bool,
    /// Where its opening and closing go.
    #[prop_or_default]
    pub dispatch: Callback<crate::ui::state::Action>,
}

/// One ordered list of what the attacker did.
#[component]
pub fn TimelinePanel(p: &TimelinePanelProps) -> Html {
    let all = use_state(|| false);
    let t = &p.timeline;
    if t.entries.is_empty() {
        return html! {};
    }
    let shown = if *all {
        t.entries.len()
    } else {
        t.entries.len().min(SHOWN)
    };
    let toggle = {
        let all = all.clone();
        Callback::from(move |_: MouseEvent| all.set(!*all))
    };
    html! {
        <super::Fold section={crate::ui::state::Section::Timeline} title={s::TIMELINE} open={p.open} dispatch={p.dispatch.clone()}>
            <p class="note">{ format!("{} rows attributed to the attacker; {} timeline entries{}.", t.attacker_rows, t.entries_total,
                if t.entries_total > t.entries.len() as u64 { format!(" ({} shown)", t.entries.len()) } else { String::new() }) }</p>
            <ol class="timeline">
                { for t.entries.iter().take(shown).map(|e| html! {
                    <li class={classes!("phase", format!("phase-{}", e.phase))}>
                        <span class="phase-name">{ e.phase.replace('_', " ") }</span>
                        <time>{ &e.start }</time>
                        if e.end != e.start { { " → " }<time>{ &e.end }</time> }
                        <span class="muted">{ format!(" key {} · confidence {:.0}%", e.key, e.confidence * 100.0) }</span>
                        <div class="note">{ &e.reason }
                            if let Some(ip) = &e.source_ip { { format!(" · from {ip}") } }
                            if !e.models.is_empty() { { format!(" · models {}", e.models.join(", ")) } }
                            if !e.regions.is_empty() { { format!(" · regions {}", e.regions.join(", ")) } }
                            if !e.user_agents.is_empty() { { format!(" · {}", e.user_agents.join(", ")) } }
                        </div>
                    </li>
                }) }
            </ol>
            if t.entries.len() > SHOWN {
                <button type="button" id="timeline-all" class="link" onclick={toggle}>
                    { if *all { "show the first entries only".to_string() } else { format!("show all {} entries", t.entries.len()) } }
                </button>
            }
        </super::Fold>
    }
}
