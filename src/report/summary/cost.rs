//! The cost impact, from the detection: all cost, the attacker's, the excess over the
//! baseline, the next 24 hours at the current rate.

use crate::report::Report;
use serde::Serialize;

/// The cost impact, from the detection.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CostSummary {
    /// All cost in the usage evidence (USD).
    pub total_usd: f64,
    /// Cost of the rows attributed to the attacker.
    pub attacker_usd: f64,
    /// Cost since the compromise start above what the baseline predicts.
    pub excess_usd: f64,
    /// The next 24 hours at the current burn rate, if the key stays live.
    pub projected_next_24h_usd: f64,
    /// Part of the total estimated from token counts and list prices.
    pub estimated_usd: f64,
    /// Usage rows with no cost and no price to estimate one.
    pub rows_without_cost: u64,
    /// Attacker cost by model, largest first (models with attacker cost only).
    pub attacker_by_model: Vec<ModelCost>,
    /// One sentence.
    pub text: String,
}

/// A model's attacker cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelCost {
    /// The model.
    pub model: String,
    /// Attacker cost (USD).
    pub attacker_usd: f64,
    /// All requests with this model (the attacker's and any others).
    pub requests: f64,
}

pub(super) fn cost(r: &Report) -> CostSummary {
    let c = &r.detection.cost;
    let mut by_model: Vec<ModelCost> = c
        .per_model
        .iter()
        .filter(|(_, t)| t.attacker_cost_usd > 0.0)
        .map(|(m, t)| ModelCost {
            model: m.clone(),
            attacker_usd: t.attacker_cost_usd,
            requests: t.requests,
        })
        .collect();
    by_model.sort_by(|a, b| {
        b.attacker_usd
            .total_cmp(&a.attacker_usd)
            .then(a.model.cmp(&b.model))
    });
    // Abused keys none of whose rows carries a cost or tokens: their share is unknown, and a
    // sum over the others is not the attacker's cost.
    let unknown_keys = crate::detect::cost_unknown_keys(&r.detection.summary.abused_keys);
    let text = if r.detection.events == 0 {
        "unknown: no usage evidence with costs".into()
    } else if let Some(why) = &c.note {
        why.clone()
    } else if !unknown_keys.is_empty() && c.attacker_cost_usd == 0.0 {
        format!(
            "attacker cost unknown: no token or cost data for {} in the evidence; add that provider's usage or cost export (${:.2} in the usage evidence of other keys)",
            unknown_keys.join(", "),
            c.totals.cost_usd
        )
    } else {
        format!(
            "${:.2} attributed to the attacker (${:.2} above the baseline) of ${:.2} in the usage evidence{}; the next 24 hours at the current rate: ${:.2}{}",
            c.attacker_cost_usd,
            c.excess_usd.max(0.0),
            c.totals.cost_usd,
            if unknown_keys.is_empty() {
                String::new()
            } else {
                format!(
                    "; the attacker's cost on {} is unknown (no token or cost data for it)",
                    unknown_keys.join(", ")
                )
            },
            c.projected_next_24h_usd.max(0.0),
            if c.rows_without_cost > 0 {
                format!("; {} row(s) had no cost and no price", c.rows_without_cost)
            } else {
                String::new()
            }
        ) + &if c.totals.estimated_cost_usd > 0.0 {
            format!(
                "; ${:.2} of it estimated from token counts and approximate list prices (billed cost where the evidence gives it)",
                c.totals.estimated_cost_usd
            )
        } else {
            "; cost as billed in the evidence".to_string()
        }
    };
    CostSummary {
        total_usd: c.totals.cost_usd,
        attacker_usd: c.attacker_cost_usd,
        excess_usd: c.excess_usd.max(0.0),
        projected_next_24h_usd: c.projected_next_24h_usd.max(0.0),
        estimated_usd: c.totals.estimated_cost_usd,
        rows_without_cost: c.rows_without_cost,
        attacker_by_model: by_model,
        text,
    }
}
