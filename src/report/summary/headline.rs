//! The headline: a few sentences for the incident channel.

use super::{Abuse, CostSummary, Ioc, IocKind, Milestone, Span};
use crate::format;

pub(super) fn headline(
    tl: &[Milestone],
    durations: &[Span],
    abuse: &Abuse,
    cost: &CostSummary,
    iocs: &[Ioc],
    detection: &crate::detect::Detection,
) -> String {
    let mut s = format!("Abuse {}", abuse.verdict.label());
    if let Some(r) = abuse.reasons.first() {
        s.push_str(&format!(": {r}"));
    }
    s.push('.');
    let when = |id: &str| {
        tl.iter()
            .find(|m| m.id == id)
            .and_then(|m| m.at)
            .map(|t| format::rfc3339(&t))
    };
    let mut facts = Vec::new();
    if let Some(t) = when("secret_introduced") {
        facts.push(format!("secret introduced {t}"));
    }
    if let Some(t) = when("first_suspicious_use") {
        facts.push(format!("first suspicious use {t}"));
    }
    facts.push(match when("awareness") {
        Some(t) => format!("aware {t}"),
        None => "awareness time not given".into(),
    });
    facts.push(match when("revoked") {
        Some(t) => format!("revoked {t}"),
        None => "revocation not recorded".into(),
    });
    s.push_str(&format!(" Timeline: {}.", facts.join("; ")));
    if let Some(d) = durations
        .iter()
        .find(|d| d.id == "exposure_to_first_use" && d.seconds.is_some())
    {
        s.push_str(&format!(" First use {} after exposure.", d.text));
    }
    if cost.attacker_usd > 0.0 {
        s.push_str(&format!(" Attacker cost ${:.2}.", cost.attacker_usd));
    }
    let ips = super::values_of(iocs, IocKind::Ip).count();
    // What was opened or created and deleted since is not left to remove or close.
    let created = iocs
        .iter()
        .filter(|i| i.kind == IocKind::CreatedAccess && !detection.deleted(&i.value))
        .count();
    let destroyed = super::values_of(iocs, IocKind::Destroyed).count();
    let read = super::values_of(iocs, IocKind::SecretRead).count();
    if ips > 0 {
        s.push_str(&format!(" {ips} attacker IP(s)."));
    }
    let irreversible = super::values_of(iocs, IocKind::IrreversibleAction).count();
    if irreversible > 0 {
        s.push_str(&format!(
            " {irreversible} irreversible agent action(s) since the leak window opened."
        ));
    }
    if created > 0 {
        s.push_str(&format!(
            " {created} item(s) of lasting access created or opened: remove or close each (see the indicators)."
        ));
    }
    if read > 0 {
        s.push_str(&format!(
            " {read} call(s) that read stored secrets, passwords or keys: rotate what they read (see the indicators)."
        ));
    }
    if destroyed > 0 {
        s.push_str(&format!(
            " {destroyed} item(s) of stored data deleted: restore each from a copy while one is kept (see the indicators)."
        ));
    }
    s
}
