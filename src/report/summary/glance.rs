//! The report at a glance: the few things to do now (revoke which credential where, delete what
//! the attacker created, freeze which sessions, cut which connections, the nearest notification
//! deadline and the time left), each naming the section that holds its detail; and the key
//! numbers (attacker cost so far and per hour, attacker IPs, affected keys and sessions). Made
//! from the report's own stages; the page and the exports show these values, they compute none.

use super::iocs::IocKind;
use super::Summary;
use crate::format;
use crate::report::clock::fmt_duration;
use crate::report::notify::DeadlineStatus;
use crate::report::Report;
use crate::scope::Priority;
use serde::Serialize;

/// At most this many things to do now.
pub const DO_NOW: usize = 6;

/// One thing to do now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DoNow {
    /// Stable id: `revoke.1`…, `deadline`, `awareness`.
    pub id: String,
    /// What to do, in one line: the action and where.
    pub text: String,
    /// The action alone (`Revoke sk-proj-…abcd (project API key)`).
    pub action: String,
    /// Where and how, when it has a place (the revocation page, the console).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// The page section that holds the detail (`blast-radius`, `alerts`, `agent`,
    /// `notifications`).
    pub section: String,
    /// The rule behind it (the scope rule, or `deadline.nearest`).
    pub rule: String,
}

/// One key number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyNumber {
    /// Stable id: `attacker_cost`, `burn_per_hour`, `attacker_ips`, `affected_keys`,
    /// `leaked_secrets`, `agent_sessions`.
    pub id: String,
    /// The number in words (`$1,234.56`, `unknown`, `3`).
    pub value: String,
    /// What it counts.
    pub label: String,
    /// More, where useful: the values behind it (IPs, keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The page section that holds the detail.
    pub section: String,
}

/// The section a revocation's detail is in, by its rule.
fn section_of(rule: &str) -> &'static str {
    if rule.starts_with("revoke.agent") {
        "agent"
    } else if matches!(
        rule,
        "revoke.persistence" | "revoke.logging" | "revoke.secrets_read"
    ) {
        "alerts"
    } else {
        "blast-radius"
    }
}

/// The things to do now: the most urgent revocations (highest and high containment priority),
/// then the nearest notification deadline still open, or the awareness time to give when no
/// clock has started.
pub fn do_now(r: &Report) -> Vec<DoNow> {
    let mut out: Vec<DoNow> = Vec::new();
    // A credential the usage evidence shows abused is revoked first, whatever its kind's
    // priority; then the rest of the blast radius's list at high priority or above.
    let abused = |v: &&crate::scope::Revocation| {
        v.credential.as_deref().is_some_and(|id| {
            r.scope
                .credentials
                .iter()
                .any(|c| c.id == id && c.origins.contains(&crate::scope::Origin::Usage))
        })
    };
    let urgent = r.scope.revoke.iter().filter(abused).chain(
        r.scope
            .revoke
            .iter()
            .filter(|v| !abused(v) && v.priority >= Priority::High),
    );
    for (i, v) in urgent.take(DO_NOW - 1).enumerate() {
        let action = format!("{} {}", verb(&v.why.rule), v.what);
        out.push(DoNow {
            id: format!("revoke.{}", i + 1),
            text: format!("{action}: {}", v.at),
            action,
            at: Some(v.at.clone()),
            section: section_of(&v.why.rule).into(),
            rule: v.why.rule.clone(),
        });
    }
    let deadlines: Vec<_> = r
        .notifications
        .drafts
        .iter()
        .flat_map(|d| d.deadlines.iter().map(move |x| (d, x)))
        .collect();
    let nearest = deadlines
        .iter()
        .filter(|(_, x)| {
            matches!(
                x.status,
                DeadlineStatus::Open | DeadlineStatus::Overdue | DeadlineStatus::Undated
            )
        })
        .filter_map(|(d, x)| x.due_at.map(|t| (t, d, x)))
        .min_by_key(|(t, ..)| *t);
    if let Some((due, d, x)) = nearest {
        let left = match x.remaining_seconds {
            Some(s) if s < 0 => format!("overdue by {}", fmt_duration(-s)),
            Some(s) => format!("{} left", fmt_duration(s)),
            None => "time left unknown: the report is undated".into(),
        };
        let action = format!("Notify {}: {} ({left})", x.recipient, x.what);
        let at = format!("{}, due {}", d.name, format::rfc3339(&due));
        out.push(DoNow {
            id: "deadline".into(),
            text: format!("{action}: {at}"),
            action,
            at: Some(at),
            section: "notifications".into(),
            rule: "deadline.nearest".into(),
        });
    } else if deadlines
        .iter()
        .any(|(_, x)| x.status == DeadlineStatus::NotStarted && x.clock == "awareness")
    {
        out.push(DoNow {
            id: "awareness".into(),
            text:
                "Record when the organisation became aware: the notification clocks start from it"
                    .into(),
            action: "Record when the organisation became aware".into(),
            at: Some("the notification clocks start from it".into()),
            section: "notifications".into(),
            rule: "deadline.awareness".into(),
        });
    }
    out
}

/// The verb a revocation takes, by its rule.
fn verb(rule: &str) -> &'static str {
    match rule {
        "revoke.persistence" => "Delete",
        "revoke.logging" => "Restore",
        "revoke.secrets_read" => "Rotate",
        "revoke.agent_sessions" => "Freeze",
        "revoke.agent_connections" => "Cut",
        _ => "Revoke",
    }
}

fn list(values: &[String], n: usize) -> String {
    let mut s = values
        .iter()
        .take(n)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if values.len() > n {
        s.push_str(&format!(" and {} more", values.len() - n));
    }
    s
}

/// The key numbers, from the summary and the stages.
pub fn key_numbers(r: &Report, s: &Summary) -> Vec<KeyNumber> {
    let mut out = Vec::new();
    let d = &r.detection;
    let abused = &d.summary.abused_keys;
    if !abused.is_empty() {
        let known = abused.iter().any(|k| !k.attacker_cost_unknown);
        out.push(KeyNumber {
            id: "attacker_cost".into(),
            value: if known {
                format::usd(s.cost.attacker_usd)
            } else {
                "unknown".into()
            },
            label: "attacker cost so far".into(),
            detail: (!known)
                .then(|| "no cost or token data in the evidence for the abused keys".into()),
            section: "cost".into(),
        });
        let burn: f64 = d
            .cost
            .per_key
            .iter()
            .filter(|k| abused.iter().any(|a| a.key == k.key) && k.cost_data)
            .map(|k| k.burn_usd_per_hour)
            .sum();
        if known {
            out.push(KeyNumber {
                id: "burn_per_hour".into(),
                value: format::usd(burn),
                label: "attacker spend per hour (recent rate)".into(),
                detail: Some(format!(
                    "{} projected for the next 24 hours",
                    format::usd(s.cost.projected_next_24h_usd)
                )),
                section: "cost".into(),
            });
        }
    }
    let ips: Vec<String> = s
        .iocs
        .iter()
        .filter(|i| i.kind == IocKind::Ip)
        .map(|i| i.value.clone())
        .collect();
    if !ips.is_empty() || !abused.is_empty() {
        out.push(KeyNumber {
            id: "attacker_ips".into(),
            value: format::count(ips.len() as u64),
            label: "attacker IPs".into(),
            detail: (!ips.is_empty()).then(|| list(&ips, 3)),
            section: "alerts".into(),
        });
    }
    let keys: Vec<String> = abused
        .iter()
        .map(|k| k.key.clone())
        .chain(d.summary.keys_to_confirm.iter().cloned())
        .collect();
    if !keys.is_empty() {
        out.push(KeyNumber {
            id: "affected_keys".into(),
            value: format::count(abused.len() as u64),
            label: "keys abused".into(),
            detail: Some(format!(
                "{}{}",
                list(&keys, 3),
                if d.summary.keys_to_confirm.is_empty() {
                    String::new()
                } else {
                    format!("; {} to confirm", d.summary.keys_to_confirm.len())
                }
            )),
            section: "alerts".into(),
        });
    }
    if !r.scan.secrets.is_empty() {
        out.push(KeyNumber {
            id: "leaked_secrets".into(),
            value: format::count(r.scan.secrets.len() as u64),
            label: "leaked credentials found".into(),
            detail: None,
            section: "findings".into(),
        });
    }
    if !r.agent.is_empty() {
        out.push(KeyNumber {
            id: "agent_sessions".into(),
            value: format::count(r.agent.affected().count() as u64),
            label: "agent sessions to freeze".into(),
            detail: Some(format!(
                "{} action(s) since the window opened, {} minted",
                r.agent.actions.len(),
                r.agent.minted.len()
            )),
            section: "agent".into(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::report::testing::demo_report;
    use crate::Context;

    #[test]
    fn the_demo_says_what_to_do_now_and_its_numbers() {
        let ctx = Context {
            now: Some("2026-11-23T10:00:00Z".parse().unwrap()),
            awareness: Some("2026-11-22T09:00:00Z".parse().unwrap()),
            ..Context::default()
        };
        let r = demo_report(&ctx);
        let g = &r.summary;
        assert!(
            !g.do_now.is_empty() && g.do_now.len() <= super::DO_NOW,
            "{:#?}",
            g.do_now
        );
        // Revocations first, in the blast radius's order; the deadline last, with its time left.
        assert_eq!(g.do_now[0].id, "revoke.1");
        // The abused keys first: the AWS key, and the OpenAI key though its kind's priority is
        // only medium.
        assert!(
            g.do_now[0].text.starts_with("Revoke AKIA"),
            "{:#?}",
            g.do_now
        );
        assert!(
            g.do_now[1].text.starts_with("Revoke sk-proj-"),
            "{:#?}",
            g.do_now
        );
        assert!(g.do_now.iter().any(|d| d
            .text
            .starts_with("Delete what the attacker created with AKIA")));
        let last = g.do_now.last().unwrap();
        assert_eq!(last.id, "deadline", "{:#?}", g.do_now);
        assert!(
            last.text.contains("left") || last.text.contains("overdue"),
            "{}",
            last.text
        );
        assert_eq!(last.section, "notifications");
        let ids: Vec<&str> = g.key_numbers.iter().map(|k| k.id.as_str()).collect();
        for id in [
            "attacker_cost",
            "burn_per_hour",
            "attacker_ips",
            "affected_keys",
            "leaked_secrets",
        ] {
            assert!(ids.contains(&id), "{id} missing: {ids:?}");
        }
        let cost = &g.key_numbers[0];
        assert_eq!(cost.value, crate::format::usd(g.cost.attacker_usd));

        // With no awareness time, the clocks have not started: say to record it.
        let r = demo_report(&Context {
            now: ctx.now,
            ..Context::default()
        });
        assert_eq!(r.summary.do_now.last().unwrap().id, "awareness");
    }
}
