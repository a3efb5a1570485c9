//! Test helpers shared by the unit tests and the integration tests (feature `testkit`): whether
//! an output shows more of a secret than the redaction policy allows.

use crate::secret::{public_prefix, value_kind, ValueKind};

/// Markers every key of a format carries (named by the structure check): showing one reveals
/// nothing of a key.
pub const PUBLIC_MARKERS: &[&str] = &["T3BlbkFJ", "WGdyb3FY"];

/// An `.env`-like text with a fresh fake of every catalog rule's shape, each under the rule's
/// typical variable (a multi-line key as it is; a password or account key in the connection
/// string its rule reads it from), a blank line apart; and the fakes' values that are secrets
/// (an OAuth client id is public and may be shown whole: not among them). Each value stands
/// where its rule finds it, so the gate redacts it wherever else a test plants it.
pub fn every_rule_planted(rng: &mut crate::scan::fake::Rng) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut values = Vec::new();
    for r in crate::scan::rules::catalog() {
        let f = crate::scan::fake::generate(r.shape, rng);
        let v = &f.text;
        let line = match r.id {
            "jdbc-password" => format!("jdbc:postgresql://db:5432/app?user=app&password={v}"),
            "sqlserver-connection-string" => {
                format!("Server=tcp:sql.example.net,1433;Database=app;User ID=app;Password={v};")
            }
            "azure-storage-key" => format!("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={v};EndpointSuffix=core.windows.net"),
            _ => v.clone(),
        };
        if r.multiline || f.text.contains('\n') {
            text.push_str(&format!("{}\n\n", f.text));
        } else {
            text.push_str(&format!("{}={line}\n\n", r.var));
        }
        if !r.kind.public_identifier() {
            values.push(f.secret);
        }
    }
    (text, values)
}

/// What of `secret` an output may not show: the part after the public prefix (for a URL with a
/// password, the password).
fn hidden_part(secret: &str) -> (&str, &str) {
    if let Some((_, rest)) = secret.split_once("://") {
        if let Some((userinfo, _)) = rest.rsplit_once('@') {
            if let Some((user, pass)) = userinfo.split_once(':') {
                if !user.contains('/') && !pass.is_empty() {
                    return ("", pass);
                }
            }
        }
    }
    let p = public_prefix(secret);
    (p, &secret[p.len()..])
}

/// Where `text` shows more of `secret` than the policy allows (its public prefix and last 4
/// characters; an identifier may be shown whole): what, in words, and the text around it;
/// `None` when it does not.
///
/// Looked for: the whole value; any 8 characters in a row of its hidden part holding a
/// capital or a digit (but a format's public markers); an ellipsis followed by its last 5 characters (a tail longer than 4); its
/// first 3 hidden characters followed by an ellipsis, or after its public prefix (a head
/// shown).
pub fn overexposed(text: &str, secret: &str) -> Option<String> {
    overexposed_any(text, std::slice::from_ref(&secret))
        .pop()
        .map(|x| x.1)
}

/// [`overexposed`] for many secrets over one text (its 8-character runs indexed once): the
/// index of each secret shown too much, and what.
pub fn overexposed_any<S: AsRef<str>>(text: &str, secrets: &[S]) -> Vec<(usize, String)> {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let runs: std::collections::HashSet<&str> =
        bounds.windows(9).map(|b| &text[b[0]..b[8]]).collect();
    let around = |needle: &str| {
        let at = text.find(needle).unwrap_or(0);
        let from = (0..=at.saturating_sub(60))
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let to = (at + needle.len() + 60).min(text.len());
        let to = (to..=text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        format!("{:?}", text[from..to].replace(needle, "<HERE>"))
    };
    let mut out = Vec::new();
    for (n, secret) in secrets.iter().enumerate() {
        let secret = secret.as_ref();
        if let Some(what) = one(text, secret, &runs, &around) {
            out.push((n, what));
        }
    }
    out
}

fn one(
    text: &str,
    secret: &str,
    runs: &std::collections::HashSet<&str>,
    around: &dyn Fn(&str) -> String,
) -> Option<String> {
    if value_kind(secret) == ValueKind::Identifier {
        return None;
    }
    if text.contains(secret) {
        return Some("the whole value".into());
    }
    let (prefix, hidden) = hidden_part(secret);
    let chars: Vec<char> = hidden.chars().collect();
    for w in chars.windows(8) {
        // A run with no capital and no digit is a shape's literal text (`deploy`, `ID=app;`),
        // not its random part: common words would match the outputs' own text.
        if !w
            .iter()
            .any(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            continue;
        }
        let w: String = w.iter().collect();
        if !PUBLIC_MARKERS.contains(&w.as_str()) && runs.contains(w.as_str()) {
            return Some(format!("8 characters in a row: {}", around(&w)));
        }
    }
    let n = chars.len();
    if n >= 5 {
        let tail: String = chars[n - 5..].iter().collect();
        for dots in ["…", "..."] {
            let needle = format!("{dots}{tail}");
            if text.contains(&needle) {
                return Some(format!(
                    "more than its last 4 characters: {}",
                    around(&needle)
                ));
            }
        }
    }
    if n >= 8 {
        let head: String = chars[..3].iter().collect();
        for dots in ["…", "..."] {
            let needle = format!("{prefix}{head}{dots}");
            if text.contains(&needle) {
                return Some(format!("the head of its hidden part: {}", around(&needle)));
            }
        }
        let needle = format!("{prefix}{head}");
        if !prefix.is_empty() && text.contains(&needle) {
            return Some(format!("its public prefix and more: {}", around(&needle)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_policy_shows_passes_and_more_does_not() {
        let s = format!("sk-proj-{}", "Ab3dEf7hIj".repeat(5));
        assert_eq!(overexposed(&crate::secret::redact(&s), &s), None);
        assert!(overexposed(&format!("x {s} y"), &s).is_some());
        assert!(overexposed("sk-proj-…hIjAb3dEf7hIj", &s).is_some());
        assert!(overexposed("…f7hIj", &s).is_some());
        assert!(overexposed("sk-proj-Ab3…hIj", &s).is_some());
        assert!(overexposed("sk-proj-Ab3", &s).is_some());
        let aws = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYz9x8y7w6v5";
        assert_eq!(overexposed("…w6v5", aws), None);
        assert!(overexposed("wJalrXUtnFEM…w6v5", aws).is_some());
        let url = "postgres://app:Sup3rS3cretPassw0rd@db.internal:5432/prod";
        assert_eq!(
            overexposed(&crate::secret::redact(url), url),
            None,
            "user and host are shown"
        );
        assert!(overexposed("app:Sup3rS3cret", url).is_some());
        assert_eq!(
            overexposed("AKIAIOSFODNN7ABCDEFG", "AKIAIOSFODNN7ABCDEFG"),
            None
        );
    }
}
