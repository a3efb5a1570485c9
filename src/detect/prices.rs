//! Approximate list prices, used only to estimate the cost of usage rows that carry tokens but
//! no cost (e.g. OpenAI's usage API without the costs API). Estimates are marked as such in
//! the cost impact (`estimated_cost_usd`) and in the alerts' sentences. Prices change: the
//! billed cost from a cost export always wins over this table.

/// Dollars per million (input, output) tokens, by model id prefix (longest prefix wins).
/// Approximate public list prices, 2025–2026.
const PRICES: &[(&str, f64, f64)] = &[
    ("gpt-5-nano", 0.05, 0.4),
    ("gpt-5-mini", 0.25, 2.0),
    ("gpt-5", 1.25, 10.0),
    ("gpt-4.1-nano", 0.1, 0.4),
    ("gpt-4.1-mini", 0.4, 1.6),
    ("gpt-4.1", 2.0, 8.0),
    ("gpt-4o-mini", 0.15, 0.6),
    ("gpt-4o", 2.5, 10.0),
    ("gpt-4-turbo", 10.0, 30.0),
    ("gpt-4", 30.0, 60.0),
    ("gpt-3.5-turbo", 0.5, 1.5),
    ("o1-mini", 1.1, 4.4),
    ("o1", 15.0, 60.0),
    ("o3-mini", 1.1, 4.4),
    ("o3", 2.0, 8.0),
    ("o4-mini", 1.1, 4.4),
    ("claude-opus-4", 15.0, 75.0),
    ("claude-3-opus", 15.0, 75.0),
    ("claude-sonnet-4", 3.0, 15.0),
    ("claude-3-7-sonnet", 3.0, 15.0),
    ("claude-3-5-sonnet", 3.0, 15.0),
    ("claude-3-sonnet", 3.0, 15.0),
    ("claude-3-5-haiku", 0.8, 4.0),
    ("claude-haiku-4", 1.0, 5.0),
    ("claude-3-haiku", 0.25, 1.25),
    ("claude-v2", 8.0, 24.0),
    ("claude-2", 8.0, 24.0),
    ("gemini-2.5-pro", 1.25, 10.0),
    ("gemini-2.5-flash", 0.3, 2.5),
    ("gemini-2.0-flash", 0.1, 0.4),
    ("gemini-1.5-pro", 1.25, 5.0),
    ("gemini-1.5-flash", 0.075, 0.3),
];

/// Dollars per token (input, output) for a model id, if the table knows it.
pub fn price(model: &str) -> Option<(f64, f64)> {
    let mut m = model.to_ascii_lowercase();
    // Provider and cross-region prefixes: `anthropic.claude-…`, `us.anthropic.…`, `openai/…`.
    for p in ["us.", "eu.", "apac.", "global."] {
        if let Some(r) = m.strip_prefix(p) {
            m = r.to_string();
        }
    }
    for p in ["anthropic.", "anthropic/", "openai/", "google/", "models/"] {
        if let Some(r) = m.strip_prefix(p) {
            m = r.to_string();
        }
    }
    PRICES
        .iter()
        .filter(|(p, _, _)| m.starts_with(p))
        .max_by_key(|(p, _, _)| p.len())
        .map(|(_, i, o)| (i / 1e6, o / 1e6))
}

#[cfg(test)]
mod tests {
    use super::price;

    #[test]
    fn longest_prefix_wins_and_provider_prefixes_are_stripped() {
        assert_eq!(price("gpt-4o-mini-2024-07-18"), Some((0.15e-6, 0.6e-6)));
        assert_eq!(price("gpt-4o-2024-08-06"), Some((2.5e-6, 10e-6)));
        assert_eq!(
            price("us.anthropic.claude-3-5-sonnet-20240620-v1:0"),
            Some((3e-6, 15e-6))
        );
        assert_eq!(price("text-embedding-3-small"), None);
    }
}
