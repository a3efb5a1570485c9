//! The abuse verdict: confirmed, suspected, not seen or unknown, each reason naming its alerts.

use crate::detect::{Alert, AlertKind, Severity};
use crate::report::Report;
use serde::Serialize;

/// The abuse verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Strong signs an unauthorised party used the credential.
    Confirmed,
    /// Anomalies that may be abuse.
    Suspected,
    /// Usage evidence was read and shows no abuse.
    NotSeen,
    /// No usage evidence to judge by.
    #[default]
    Unknown,
}

impl Verdict {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Suspected => "suspected",
            Verdict::NotSeen => "not seen",
            Verdict::Unknown => "unknown",
        }
    }
}

/// Whether abuse is confirmed, and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Abuse {
    /// The verdict.
    pub verdict: Verdict,
    /// The reasons, each naming its alerts or evidence.
    pub reasons: Vec<String>,
}

fn ids(alerts: &[&Alert]) -> String {
    alerts
        .iter()
        .map(|a| a.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn abuse(r: &Report) -> Abuse {
    let d = &r.detection;
    let suspicious: Vec<String> = d
        .undated
        .iter()
        .filter_map(|u| {
            u.suspicious.as_ref().map(|why| {
                format!(
                    "{} on {} at {}",
                    why,
                    u.key,
                    super::iocs::raw_ref(&u.evidence)
                )
            })
        })
        .collect();
    if d.events == 0 && !d.undated.is_empty() {
        // Records without a time cannot be set against a baseline, but a probe among them is
        // still a sign.
        let mut reasons = vec![format!(
            "{} record(s) without a time (redacted or unreadable): kept, but they cannot be set against a baseline; add the same source with its times",
            d.undated.len()
        )];
        reasons.extend(suspicious.iter().cloned());
        return Abuse {
            verdict: if suspicious.is_empty() {
                Verdict::Unknown
            } else {
                Verdict::Suspected
            },
            reasons,
        };
    }
    if d.events == 0 {
        return Abuse {
            verdict: Verdict::Unknown,
            reasons: vec![
                "no usage or audit logs among the evidence: abuse cannot be judged; export the provider's usage logs".into(),
            ],
        };
    }
    let of = |kinds: &[AlertKind], min: Severity| -> Vec<&Alert> {
        d.alerts
            .iter()
            .filter(|a| kinds.contains(&a.kind) && a.severity >= min)
            .collect()
    };
    let lasting = of(
        &[AlertKind::Persistence, AlertKind::LoggingTampering],
        Severity::High,
    );
    let destroyed = of(&[AlertKind::Destruction], Severity::High);
    let new_sources = of(&[AlertKind::NewSourceIp], Severity::High);
    let heavy = of(
        &[
            AlertKind::VolumeSpike,
            AlertKind::CostSpike,
            AlertKind::NewModel,
            AlertKind::Exfiltration,
            AlertKind::NewKeyHeavyUse,
        ],
        Severity::High,
    );
    let mut reasons = Vec::new();
    // Data deleted first: the headline gives the first reason, and loss is the most urgent.
    // Calls that went through are told apart from attempts every one of which was refused.
    let (done, tried): (Vec<&Alert>, Vec<&Alert>) =
        destroyed.iter().partition(|a| !a.all_refused());
    if !done.is_empty() {
        reasons.push(format!(
            "calls that delete stored data or what holds it ({})",
            ids(&done)
        ));
    }
    let (lasting, lasting_tried): (Vec<&Alert>, Vec<&Alert>) =
        lasting.iter().partition(|a| !a.all_refused());
    if !lasting.is_empty() {
        let what = if lasting.iter().any(|a| a.read_secrets()) {
            "create lasting access, read stored secrets or hide activity"
        } else {
            "create lasting access or hide activity"
        };
        reasons.push(format!("calls that {what} ({})", ids(&lasting)));
    }
    // What the lasting-access calls made (a key, a token, a console login), used since.
    let used = of(&[AlertKind::CreatedAccessUsed], Severity::High);
    if !used.is_empty() {
        reasons.push(format!(
            "credentials the key's calls made, used since ({})",
            ids(&used)
        ));
    }
    let tried: Vec<&Alert> = tried.into_iter().chain(lasting_tried).collect();
    if !tried.is_empty() {
        reasons.push(format!(
            "attempts, every call refused, to delete data, create lasting access or hide activity ({})",
            ids(&tried)
        ));
    }
    let same_key: Vec<&Alert> = heavy
        .iter()
        .filter(|h| new_sources.iter().any(|n| n.key == h.key))
        .copied()
        .collect();
    if !same_key.is_empty() {
        let srcs: Vec<&Alert> = new_sources
            .iter()
            .filter(|n| same_key.iter().any(|h| h.key == n.key))
            .copied()
            .collect();
        reasons.push(format!(
            "heavy or unusual use ({}) from source IPs the key never used before ({})",
            ids(&same_key),
            ids(&srcs)
        ));
    }
    if !reasons.is_empty() {
        return Abuse {
            verdict: Verdict::Confirmed,
            reasons,
        };
    }
    let medium: Vec<&Alert> = d
        .alerts
        .iter()
        .filter(|a| a.severity >= Severity::Medium)
        .collect();
    if !medium.is_empty() || !suspicious.is_empty() {
        let mut reasons = Vec::new();
        if !medium.is_empty() {
            reasons.push(format!(
                "{} alert(s) of medium severity or above ({}), without new sources together with heavy use, or lasting-access calls",
                medium.len(),
                ids(&medium)
            ));
        }
        reasons.extend(suspicious.iter().map(|s| format!("undated record: {s}")));
        return Abuse {
            verdict: Verdict::Suspected,
            reasons,
        };
    }
    let mut reasons = vec![format!(
        "{} usage event(s) over {} key(s) read; no alert of medium severity or above",
        d.events,
        d.keys.len()
    )];
    if !d.summary.keys_to_confirm.is_empty() {
        reasons.push(format!(
            "low-severity alerts to confirm on: {}",
            d.summary.keys_to_confirm.join(", ")
        ));
    }
    reasons.push(
        "the logs cover only their own time span and accounts: check that they reach the revocation".into(),
    );
    Abuse {
        verdict: Verdict::NotSeen,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::demo_report;
    use crate::{demo, triage, Context, Input};

    #[test]
    fn an_undated_probe_is_a_suspicion_not_an_absence_of_evidence() {
        let rec = |time: &str, err: &str| {
            format!(
                r#"{{"Records":[{{"eventVersion":"1.09","userIdentity":{{"type":"IAMUser","accessKeyId":"[REDACTED]"}},"eventTime":"{time}","eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"Boto3/1.29.7",{err}"eventID":"e1"}}]}}"#
            )
        };
        let run = |text: String| {
            triage(&[Input::new("ct.json", text)], &Context::default())
                .summary
                .abuse
        };
        let probe = run(rec("[REDACTED]", r#""errorCode":"ValidationException","#));
        assert_eq!(probe.verdict, Verdict::Suspected, "{probe:?}");
        assert!(probe.reasons[0].starts_with("1 record(s) without a time"));
        assert!(probe.reasons[1].contains("ValidationException"));
        let plain = run(rec("[REDACTED]", ""));
        assert_eq!(plain.verdict, Verdict::Unknown, "{plain:?}");
        assert!(plain.reasons[0].starts_with("1 record(s) without a time"));
    }

    #[test]
    fn demo_abuse_is_confirmed_with_the_alerts_named() {
        let s = demo_report(&Context::default()).summary;
        assert_eq!(s.abuse.verdict, Verdict::Confirmed);
        assert!(
            s.abuse.reasons.iter().any(|r| r.contains("A010")),
            "{:?}",
            s.abuse
        );
        assert!(s.headline.starts_with("Abuse confirmed"), "{}", s.headline);
    }

    #[test]
    fn no_usage_evidence_means_unknown_not_clean() {
        let inputs: Vec<Input> = demo::files()
            .into_iter()
            .filter(|(n, _)| *n == "prod.env")
            .map(|(n, b)| Input::new(n, b))
            .collect();
        let s = triage(&inputs, &Context::default()).summary;
        assert_eq!(s.abuse.verdict, Verdict::Unknown);
        assert!(s.cost.text.starts_with("unknown"));
    }
}
