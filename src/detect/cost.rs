//! Cost impact: totals per key, model and day; attacker-attributed cost against the
//! baseline's expected cost; token totals; the current burn rate.
//!
//! Costs are US dollars as the evidence parsers give them (each source's unit is converted
//! there, e.g. Anthropic's cents ÷ 100). Where a key has cost rows (`record_kind = cost`),
//! only those count for its cost: usage rows of the same key may carry the same spend.

use super::baseline::{median, KeyCtx, DAY};
use super::params::DetectParams;
use super::prepare::{flag, Prepared, NONE};
use super::round;
use serde::Serialize;
use std::collections::BTreeMap;

/// Sums over a set of rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CostTotals {
    /// Cost in dollars.
    pub cost_usd: f64,
    /// Of which attributed to the attacker.
    pub attacker_cost_usd: f64,
    /// Of which estimated from list prices (rows with tokens but no cost).
    pub estimated_cost_usd: f64,
    /// Requests.
    pub requests: f64,
    /// Input tokens (including cache reads and writes).
    pub input_tokens: f64,
    /// Output tokens.
    pub output_tokens: f64,
    /// Rows.
    pub rows: u64,
    /// Rows carrying a cost (billed or estimated).
    #[serde(skip)]
    pub cost_rows: u64,
    /// True when none of the rows carries a cost: the dollar figures are unknown, not zero.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cost_unknown: bool,
}

impl CostTotals {
    fn add(&mut self, e: &super::prepare::Ev, attacker: bool) {
        if e.has(flag::HAS_COST) {
            self.cost_rows += 1;
            self.cost_usd += e.cost;
            if attacker {
                self.attacker_cost_usd += e.cost;
            }
            if e.has(flag::COST_EST) {
                self.estimated_cost_usd += e.cost;
            }
        }
        if e.has(flag::USAGE) {
            self.requests += e.req;
            self.input_tokens += e.tok_in;
            self.output_tokens += e.tok_out;
        }
        self.rows += 1;
    }
    fn rounded(mut self) -> Self {
        self.cost_usd = round(self.cost_usd);
        self.attacker_cost_usd = round(self.attacker_cost_usd);
        self.estimated_cost_usd = round(self.estimated_cost_usd);
        self.requests = round(self.requests);
        self.cost_unknown = self.rows > 0 && self.cost_rows == 0;
        self
    }
}

/// One key's cost impact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyCost {
    /// The key.
    pub key: String,
    /// Totals over all its rows.
    pub totals: CostTotals,
    /// Cost since the compromise start (or the first alert).
    pub since_start_usd: f64,
    /// What the baseline predicts for the same span: median daily baseline cost × days.
    pub expected_since_start_usd: f64,
    /// `since_start_usd − expected_since_start_usd`, at least 0.
    pub excess_usd: f64,
    /// Spend per hour over the last `burn_window_hours` of the evidence.
    pub burn_usd_per_hour: f64,
    /// That rate over the next 24 hours.
    pub projected_next_24h_usd: f64,
    /// Whether any row of the key carries a cost or tokens (else its cost is unknown).
    #[serde(skip)]
    pub cost_data: bool,
    /// True when no row of the key carries a cost or tokens: its figures are unknown, not zero.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cost_unknown: bool,
}

/// The cost impact of the whole evidence.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CostImpact {
    /// Totals over all rows.
    pub totals: CostTotals,
    /// Attacker-attributed cost (rows the timeline attributes).
    pub attacker_cost_usd: f64,
    /// Sum over keys of cost since their compromise start.
    pub since_start_usd: f64,
    /// Sum over keys of the baseline's expected cost for that span.
    pub expected_since_start_usd: f64,
    /// Sum over keys of the excess over the expected cost.
    pub excess_usd: f64,
    /// Sum over keys of the projected next-24-hour cost at the current rate.
    pub projected_next_24h_usd: f64,
    /// Per key.
    pub per_key: Vec<KeyCost>,
    /// Per model and provider: a model's name, followed by its provider when several
    /// providers serve it; rows without a model under `(no model: <provider>)`.
    pub per_model: BTreeMap<String, CostTotals>,
    /// Per UTC day (`YYYY-MM-DD`).
    pub per_day: BTreeMap<String, CostTotals>,
    /// Rows with usage but no cost (cost unknown, not zero).
    pub rows_without_cost: u64,
    /// Why the cost is unknown, when the evidence carries none at all (then the dollar
    /// figures above are not zero spend but no data, and are not to be printed as $0.00).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[inline(never)]
pub(crate) fn build(
    p: &Prepared,
    keys: &[KeyCtx],
    attacker: &[bool],
    params: &DetectParams,
) -> CostImpact {
    let mut out = CostImpact::default();
    let mut per_model: BTreeMap<(u32, &str), CostTotals> = BTreeMap::new();
    let mut per_day: BTreeMap<i64, CostTotals> = BTreeMap::new();
    for k in keys {
        let mut t = CostTotals::default();
        // Rows that name no key: nothing in them ties their cost to the attacker.
        let keyless = super::prepare::is_keyless(&p.keys[k.k].raw);
        for (e, &a) in p.evs[k.lo..k.hi].iter().zip(&attacker[k.lo..k.hi]) {
            let a = a && !keyless;
            t.add(e, a);
            per_model
                .entry((e.model, p.keys[k.k].provider.as_str()))
                .or_default()
                .add(e, a);
            per_day.entry(e.ts.div_euclid(DAY)).or_default().add(e, a);
            if e.has(flag::USAGE) && !e.has(flag::HAS_COST) && !k.has_cost {
                out.rows_without_cost += 1;
            }
        }
        let first_attack = (k.lo..k.hi).find(|&i| attacker[i]).map(|i| p.evs[i].ts);
        let start = if keyless {
            None
        } else {
            k.start.as_ref().map(|s| s.at).or(first_attack)
        };
        let (since, expected) = match start {
            Some(s) => {
                let a = k.pos_at(p, s);
                let since: f64 = p.evs[a..k.hi]
                    .iter()
                    .filter(|e| e.has(flag::HAS_COST))
                    .map(|e| e.cost)
                    .sum();
                let mut base: Vec<f64> = (0..k.daily_cost.len())
                    .filter(|&d| (k.day0 + d as i64 + 1) * DAY <= s)
                    .map(|d| k.daily_cost[d])
                    .collect();
                let usual = median(&mut base);
                let days = ((k.last.max(s) - s) as f64 / DAY as f64).max(1.0 / 24.0);
                (since, usual * days)
            }
            None => (0.0, 0.0),
        };
        let (per_hour, projected, _, _) = super::volume::burn_numbers(p, k, params);
        let excess = (since - expected).max(0.0);
        out.since_start_usd += since;
        out.expected_since_start_usd += expected;
        out.excess_usd += excess;
        out.projected_next_24h_usd += projected;
        out.attacker_cost_usd += t.attacker_cost_usd;
        out.totals.cost_usd += t.cost_usd;
        out.totals.attacker_cost_usd += t.attacker_cost_usd;
        out.totals.estimated_cost_usd += t.estimated_cost_usd;
        out.totals.requests += t.requests;
        out.totals.input_tokens += t.input_tokens;
        out.totals.output_tokens += t.output_tokens;
        out.totals.rows += t.rows;
        out.totals.cost_rows += t.cost_rows;
        let cost_data = k.has_cost
            || p.evs[k.lo..k.hi]
                .iter()
                .any(|e| e.tok_in > 0.0 || e.tok_out > 0.0);
        out.per_key.push(KeyCost {
            key: k.name.clone(),
            totals: t.rounded(),
            since_start_usd: round(since),
            expected_since_start_usd: round(expected),
            excess_usd: round(excess),
            burn_usd_per_hour: round(per_hour),
            projected_next_24h_usd: round(projected),
            cost_data,
            cost_unknown: !cost_data,
        });
    }
    out.note = unknown_cost(p);
    out.totals = out.totals.rounded();
    out.attacker_cost_usd = round(out.attacker_cost_usd);
    out.since_start_usd = round(out.since_start_usd);
    out.expected_since_start_usd = round(out.expected_since_start_usd);
    out.excess_usd = round(out.excess_usd);
    out.projected_next_24h_usd = round(out.projected_next_24h_usd);
    // A model served by several providers is named with each provider, so no row of the
    // table sums two providers' spend.
    let mut providers_of: BTreeMap<u32, u32> = BTreeMap::new();
    for &(m, _) in per_model.keys() {
        *providers_of.entry(m).or_default() += 1;
    }
    out.per_model = per_model
        .into_iter()
        .map(|((m, provider), t)| {
            let name = if m == NONE {
                format!("(no model: {provider})")
            } else if providers_of[&m] > 1 {
                format!("{} ({provider})", p.models.name(m))
            } else {
                p.models.name(m).to_string()
            };
            (name, t.rounded())
        })
        .collect();
    out.per_day = per_day
        .into_iter()
        .map(|(d, t)| {
            (
                crate::format::unix(d * DAY).format("%Y-%m-%d").to_string(),
                t.rounded(),
            )
        })
        .collect();
    out
}

/// Why the cost is unknown, when no row carries a cost or a token count: the dollar figures
/// are then no data, not zero spend.
fn unknown_cost(p: &Prepared) -> Option<String> {
    if p.evs.is_empty() || p.any_cost_data {
        return None;
    }
    Some(if p.only_cloudtrail {
        "unknown: CloudTrail has no token or cost data; add Bedrock invocation logs or the billing export".into()
    } else {
        "unknown: the evidence carries no token or cost data; add the provider's usage or cost export".into()
    })
}
