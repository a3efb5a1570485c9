//! The cost impact: totals, the attacker's share, the burn rate, per key and per model.

use crate::format;
use crate::format::usd;
use crate::ui::strings as s;
use crate::ui::view::CostView;
use yew::prelude::*;

/// What a cost cell says when the evidence carries no cost or tokens for it.
const UNKNOWN: &str = "unknown (no cost or token data)";

/// The attacker's cost: unknown (naming the keys) when some abused key has no cost data and
/// nothing else is attributed, a sum with that caveat when something is.
pub(crate) fn attacker(usd_sum: f64, unknown_for: &[String]) -> String {
    if unknown_for.is_empty() {
        usd(usd_sum)
    } else if usd_sum == 0.0 {
        format!(
            "unknown (no cost or token data for {})",
            unknown_for.join(", ")
        )
    } else {
        format!(
            "{} on the keys with cost data; unknown for {}",
            usd(usd_sum),
            unknown_for.join(", ")
        )
    }
}

/// Properties of [`CostPanel`].
#[derive(Properties, PartialEq)]
pub struct CostPanelProps {
    /// The cost impact.
    pub cost: CostView,
    /// Abused keys none of whose rows carries a cost or tokens (their share is unknown).
    #[prop_or_default]
    pub unknown_for: Vec<String>,
    /// Whether the section is open.
    #[prop_or_default]
    pub open: bool,
    /// Where its opening and closing go.
    #[prop_or_default]
    pub dispatch: Callback<crate::ui::state::Action>,
}

/// The cost of the abuse.
#[component]
pub fn CostPanel(p: &CostPanelProps) -> Html {
    let c = &p.cost;
    if c.totals.cost_usd == 0.0 && c.totals.requests == 0.0 {
        return html! {};
    }
    html! {
        <super::Fold section={crate::ui::state::Section::Cost} title={s::COST} open={p.open} dispatch={p.dispatch.clone()}>
            <dl class="facts">
                <dt>{ "In the evidence" }</dt><dd>{ c.note.clone().unwrap_or_else(|| usd(c.totals.cost_usd)) }</dd>
                <dt>{ "Attributed to the attacker" }</dt><dd id="attacker-cost">{ c.note.clone().unwrap_or_else(|| attacker(c.attacker_cost_usd, &p.unknown_for)) }</dd>
                <dt>{ "Since the compromise start" }</dt><dd>{ c.note.as_ref().map(|_| UNKNOWN.to_string()).unwrap_or_else(|| format!("{} (baseline would be {}; excess {})", usd(c.since_start_usd), usd(c.expected_since_start_usd), usd(c.excess_usd))) }</dd>
                <dt>{ "Next 24 h at the current rate" }</dt><dd>{ c.note.as_ref().map(|_| UNKNOWN.to_string()).unwrap_or_else(|| usd(c.projected_next_24h_usd)) }</dd>
                <dt>{ "Tokens" }</dt><dd>{ format!("{} in, {} out, {} requests", format::count(c.totals.input_tokens as u64), format::count(c.totals.output_tokens as u64), format::count(c.totals.requests as u64)) }</dd>
            </dl>
            if !c.per_key.is_empty() {
                <table class="grid"><thead><tr><th scope="col">{ "Key" }</th><th scope="col">{ "Cost" }</th><th scope="col">{ "Attacker" }</th><th scope="col">{ "Burn / hour" }</th><th scope="col">{ "Next 24 h" }</th></tr></thead>
                <tbody>{ for c.per_key.iter().map(|k| {
                    // A key whose rows carry no cost and no tokens: unknown, never $0.00.
                    let money = |v: f64| if k.cost_unknown { UNKNOWN.to_string() } else { usd(v) };
                    html! {
                        <tr data-cost-unknown={k.cost_unknown.to_string()}><td><code>{ &k.key }</code></td><td class="num">{ money(k.totals.cost_usd) }</td><td class="num">{ money(k.totals.attacker_cost_usd) }</td>
                        <td class="num">{ money(k.burn_usd_per_hour) }</td><td class="num">{ money(k.projected_next_24h_usd) }</td></tr>
                    }
                }) }</tbody></table>
            }
            if !c.per_model.is_empty() {
                <table class="grid"><thead><tr><th scope="col">{ "Model" }</th><th scope="col">{ "Cost" }</th><th scope="col">{ "Attacker" }</th><th scope="col">{ "Requests" }</th></tr></thead>
                <tbody>{ for c.per_model.iter().map(|(m, t)| {
                    // A model none of whose rows carries a cost: unknown, never $0.00.
                    let money = |v: f64| if t.cost_unknown { UNKNOWN.to_string() } else { usd(v) };
                    html! {
                        <tr data-cost-unknown={t.cost_unknown.to_string()}><td>{ m }</td><td class="num">{ money(t.cost_usd) }</td><td class="num">{ money(t.attacker_cost_usd) }</td><td class="num">{ format::count(t.requests as u64) }</td></tr>
                    }
                }) }</tbody></table>
            }
        </super::Fold>
    }
}
