//! The attacker timeline: phases in order, with reasons and confidence.

use crate::ui::strings as s;
use crate::ui::view::TimelineView;
use yew::prelude::*;

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
    let (limit, more) = super::paging::use_pages();
    let phase = use_state(String::new);
    let t = &p.timeline;
    if t.entries.is_empty() {
        return html! {};
    }
    let on_phase = {
        let phase = phase.clone();
        Callback::from(move |e: Event| {
            phase.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            )
        })
    };
    let mut phases: Vec<&str> = t.entries.iter().map(|e| e.phase.as_str()).collect();
    phases.sort();
    phases.dedup();
    let shown: Vec<_> = t
        .entries
        .iter()
        .filter(|e| phase.is_empty() || e.phase == *phase)
        .collect();
    html! {
        <super::Fold section={crate::ui::state::Section::Timeline} title={s::TIMELINE} open={p.open} dispatch={p.dispatch.clone()}>
            <p class="note">{ format!("{} rows attributed to the attacker; {} timeline entries{}.", t.attacker_rows, t.entries_total,
                if t.entries_total > t.entries.len() as u64 { format!(" ({} in the report)", t.entries.len()) } else { String::new() }) }</p>
            <div class="filters no-print">
                <label for="timeline-phase">{ s::PHASE_FILTER }</label>
                <select id="timeline-phase" onchange={on_phase}>
                    <option value="" selected={phase.is_empty()}>{ "all" }</option>
                    { for phases.iter().map(|x| html! { <option value={x.to_string()} selected={*phase == *x}>{ x.replace('_', " ") }</option> }) }
                </select>
            </div>
            <ol class="timeline">
                { for shown.iter().take(limit).map(|e| html! {
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
            { super::paging::more_button("timeline-more", limit.min(shown.len()), shown.len(), more) }
        </super::Fold>
    }
}
