//! The at-a-glance facts: alerts, first suspicious use, cost, secrets. Only what the report holds.

use crate::ui::state::severity_rank;
use crate::ui::view::ReportView;
use crate::ui::{format, strings as s};
use yew::prelude::*;

/// Properties of [`Summary`].
#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    /// The report.
    pub report: std::rc::Rc<ReportView>,
}

/// A short list of the facts a responder asks first.
#[component]
pub fn Summary(p: &SummaryProps) -> Html {
    let r = &p.report;
    let d = &r.detection;
    let mut facts: Vec<Html> = Vec::new();
    if !d.summary.headline.is_empty() {
        facts.push(html! { <li id="fact-headline"><strong>{ &d.summary.headline }</strong></li> });
    }
    if !d.alerts.is_empty() {
        let mut by = [0usize; 5];
        for a in &d.alerts {
            by[severity_rank(&a.severity) as usize] += 1;
        }
        facts.push(html! { <li id="fact-alerts"><strong>{ format!("{} usage alert(s)", d.alerts.len()) }</strong>
            { format!(": {} critical, {} high, {} medium, {} low", by[4], by[3], by[2], by[1]) }</li> });
    } else if d.events > 0 {
        facts.push(html! { <li id="fact-alerts">{ format!("{} usage events analysed; no alert.", format::count(d.events)) }</li> });
    }
    if let Some(first) = &d.timeline.first_suspicious {
        let last = d.timeline.last_suspicious.clone().unwrap_or_default();
        facts.push(html! { <li id="fact-window">{ "Suspicious use from " }<time>{ first }</time>{ " to " }<time>{ last }</time></li> });
    }
    if !d.timeline.attacker_ips.is_empty() {
        let ips: Vec<&str> = d
            .timeline
            .attacker_ips
            .iter()
            .take(5)
            .map(|v| v.value.as_str())
            .collect();
        facts.push(html! { <li>{ format!("Attacker IPs: {}", ips.join(", ")) }</li> });
    }
    if d.cost.totals.cost_usd > 0.0 {
        facts.push(html! { <li id="fact-cost">{ format!(
            "Cost in the evidence: {}; attributed to the attacker: {}; projected next 24 h at the current rate: {}",
            usd(d.cost.totals.cost_usd), usd(d.cost.attacker_cost_usd), usd(d.cost.projected_next_24h_usd)) }</li> });
    }
    let sc = &r.scan;
    if !sc.secrets.is_empty() {
        let present = sc
            .secrets
            .iter()
            .filter(|x| x.still_present == Some(true))
            .count();
        let history = sc.secrets.iter().filter(|x| x.in_history).count();
        facts.push(html! { <li id="fact-secrets">{ format!(
            "{} distinct credential(s) found in the text evidence; {} in git history; {} still present (at the newest commit or in a plain file)",
            sc.secrets.len(), history, present) }</li> });
    }
    if facts.is_empty() {
        return html! {};
    }
    html! {
        <section id="summary" class="panel summary" aria-labelledby="summary-heading">
            <h2 id="summary-heading">{ s::AT_A_GLANCE }</h2>
            <ul>{ for facts }</ul>
        </section>
    }
}

/// Dollars with cents.
pub fn usd(v: f64) -> String {
    format!("${}", format_money(v))
}

fn format_money(v: f64) -> String {
    let cents = (v * 100.0).round() as i64;
    let whole = format::count(cents.unsigned_abs() / 100);
    format!(
        "{}{whole}.{:02}",
        if cents < 0 { "-" } else { "" },
        cents.unsigned_abs() % 100
    )
}
