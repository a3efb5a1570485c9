//! What the report knows, worded once for every draft: each fact has a name the regimes'
//! field templates use (`{nature}`, `{people}`...), and comes from the evidence (through the
//! summary and the checklist) or from the context's incident facts.

use super::unknown;
use crate::format;
use crate::report::checklist::{done_items, Checklist};
use crate::report::clock::{fmt_local, offset};
use crate::report::summary::{values_of, IocKind, Summary, Verdict};
use crate::report::Report;
use crate::Context;

/// The facts a field template can name, with where each comes from.
pub const NAMES: &[(&str, &str)] = &[
    ("organisation", "context: incident.organisation"),
    ("contact", "context: incident.contact (DPO or contact point)"),
    ("nature", "evidence: the leaked credentials, the introducing commit, the abuse verdict, the attacker's span and IPs"),
    ("discovered", "context: awareness"),
    ("discovered_how", "context: incident.discovered_how"),
    ("happened", "evidence: exposure and first unauthorised use"),
    ("data_categories", "evidence and answers: the blast radius's personal data and data exposure"),
    ("people", "answers: the number of people (blast radius)"),
    ("consequences", "evidence: attacker cost, access created, logging changed"),
    ("measures_taken", "checklist: actions done"),
    ("measures_proposed", "checklist: actions still to do"),
    ("iocs", "evidence: the summary's indicators of compromise"),
    ("malicious", "evidence: the abuse verdict"),
    ("cyber", "evidence: the abuse verdict as yes / don't know"),
    ("cia", "evidence: confidentiality, integrity and availability"),
    ("cost", "evidence: the cost summary"),
    ("root_cause", "evidence: the commit that introduced the secret"),
    ("personal_data", "evidence and answers: whether personal data was reachable"),
    ("delay", "the draft's deadlines: reasons for a delay when the primary deadline has passed"),
];

/// Checklist items listed in a draft's "measures proposed" before "and N more".
const MAX_LISTED: usize = 8;

/// What the report knows, worded once for every draft.
pub(super) struct Facts {
    pub(super) organisation: String,
    pub(super) contact: String,
    pub(super) nature: String,
    pub(super) discovered: String,
    pub(super) discovered_how: String,
    pub(super) happened: String,
    pub(super) data_categories: String,
    pub(super) people: String,
    pub(super) people_n: Option<u64>,
    pub(super) consequences: String,
    pub(super) measures_taken: String,
    pub(super) measures_proposed: String,
    pub(super) iocs: String,
    pub(super) malicious: String,
    pub(super) cyber: String,
    pub(super) cia: String,
    pub(super) cost: String,
    pub(super) root_cause: String,
    pub(super) personal_data: String,
}

impl Facts {
    pub(super) fn new(r: &Report, s: &Summary, c: &Checklist, ctx: &Context) -> Facts {
        let f = &ctx.incident;
        let at = |id: &str| s.timeline.iter().find(|m| m.id == id).and_then(|m| m.at);
        let secrets: Vec<String> = r
            .scan
            .secrets
            .iter()
            .map(|x| format!("{} {} {}", x.provider, x.kind_label, x.redacted))
            .collect();
        let intro = s.timeline.iter().find(|m| m.id == "secret_introduced");
        let mut nature = if secrets.is_empty() {
            "A leaked credential (the evidence holds no copy of it)".to_string()
        } else {
            format!(
                "Leak of {} credential(s): {}",
                secrets.len(),
                secrets.join("; ")
            )
        };
        if let Some(m) = intro.filter(|m| m.at.is_some()) {
            nature.push_str(&format!(". Exposure source: {}", m.source));
        }
        nature.push_str(&format!(
            ". Abuse {}: {}",
            s.abuse.verdict.label(),
            s.abuse.reasons.join("; ")
        ));
        if let (Some(a), Some(b)) = (at("first_suspicious_use"), at("last_suspicious_use")) {
            let ips = values_of(&s.iocs, IocKind::Ip).count();
            nature.push_str(&format!(
                ". Unauthorised activity from {} to {} from {ips} IP address(es)",
                format::rfc3339(&a),
                format::rfc3339(&b)
            ));
        }
        nature.push('.');
        let b = &s.blast_radius;
        let pd = b.personal_data.as_ref();
        let data_categories = match (&b.data_exposure, pd) {
            (Some(d), Some(p)) if p.reachable != "unknown" => format!(
                "personal data reachable: {}; data exposure {}: {}",
                p.reachable,
                d.level,
                d.reasons.join("; ")
            ),
            _ => unknown("categories of personal data concerned: what the credential could reach (stored files, threads, fine-tune data, logs with prompts, downstream tools)"),
        };
        let people_n = pd.and_then(|p| p.people);
        let created: Vec<&str> = values_of(&s.iocs, IocKind::CreatedAccess).collect();
        let logging: Vec<&str> = values_of(&s.iocs, IocKind::LoggingChange).collect();
        let destroyed: Vec<&str> = values_of(&s.iocs, IocKind::Destroyed).collect();
        let mut cons = Vec::new();
        if s.cost.attacker_usd > 0.0 {
            cons.push(format!(
                "unauthorised use of paid AI services billed to the organisation (${:.2} attributed to the attacker)",
                s.cost.attacker_usd
            ));
        }
        if !created.is_empty() {
            cons.push(format!(
                "access created that outlives the leaked credential ({})",
                created.join(", ")
            ));
        }
        if !logging.is_empty() {
            cons.push(format!(
                "logging changed or deleted ({})",
                logging.join(", ")
            ));
        }
        if !destroyed.is_empty() {
            cons.push(format!(
                "stored data deleted ({}): lost unless restored from a copy",
                destroyed.join(", ")
            ));
        }
        if !matches!(pd.map(|p| p.reachable.as_str()), Some("no")) {
            cons.push(unknown(
                "likely consequences for the people whose data the credential could reach",
            ));
        }
        // Measures are the checklist's actions; its questions and the clock item are not.
        let action = |id: &str| {
            !id.starts_with("p3.rca_") && !matches!(id, "p1.exploitation" | "p2.gdpr_clock")
        };
        let done: Vec<&str> = done_items(c)
            .filter(|i| action(&i.id))
            .map(|i| i.text.as_str())
            .collect();
        let left: Vec<&str> = c
            .phases
            .iter()
            .flat_map(|p| p.items.iter())
            .filter(|i| i.status == crate::report::ItemStatus::NotDone && action(&i.id))
            .map(|i| i.text.as_str())
            .collect();
        let list = |kind: IocKind| values_of(&s.iocs, kind).collect::<Vec<_>>().join(", ");
        let mut iocs = Vec::new();
        for (k, label) in [
            (IocKind::Ip, "source IPs"),
            (IocKind::UserAgent, "user agents"),
            (IocKind::Model, "models"),
            (IocKind::Region, "regions"),
            (IocKind::CreatedAccess, "access created"),
            (IocKind::SecretRead, "secrets read"),
            (IocKind::LoggingChange, "logging changes"),
            (IocKind::Destroyed, "deleted"),
        ] {
            let v = list(k);
            if !v.is_empty() {
                iocs.push(format!("{label}: {v}"));
            }
        }
        let malicious = match s.abuse.verdict {
            Verdict::Confirmed => format!("yes: {}", s.abuse.reasons.join("; ")),
            Verdict::Suspected => format!("suspected: {}", s.abuse.reasons.join("; ")),
            Verdict::NotSeen => "not seen in the logs given; the credential was exposed".into(),
            Verdict::Unknown => {
                unknown("whether the credential was used maliciously: no usage logs were analysed")
            }
        };
        let integrity = if created.is_empty() && logging.is_empty() {
            "no changes seen in the logs given".to_string()
        } else {
            created
                .iter()
                .chain(logging.iter())
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        };
        Facts {
            organisation: f
                .organisation
                .clone()
                .unwrap_or_else(|| unknown("organisation name")),
            contact: f
                .contact
                .clone()
                .unwrap_or_else(|| unknown("DPO or other contact point")),
            nature,
            discovered: ctx
                .awareness
                .map(|t| {
                    format!(
                        "{} ({})",
                        format::rfc3339(&t),
                        fmt_local(&t, offset(ctx.utc_offset_minutes))
                    )
                })
                .unwrap_or_else(|| unknown("date and time the organisation became aware")),
            discovered_how: f
                .discovered_how
                .clone()
                .unwrap_or_else(|| unknown("how the breach was discovered")),
            happened: match (
                at("secret_introduced").or(at("exposed_publicly")),
                at("first_suspicious_use"),
            ) {
                (Some(a), Some(b)) => format!(
                    "Credential exposed from {}; first unauthorised use {}.",
                    format::rfc3339(&a),
                    format::rfc3339(&b)
                ),
                (Some(a), None) => format!(
                    "Credential exposed from {}; {}",
                    format::rfc3339(&a),
                    unknown("time of first unauthorised use")
                ),
                (None, Some(b)) => format!(
                    "First unauthorised use {}; {}",
                    format::rfc3339(&b),
                    unknown("when the credential was first exposed")
                ),
                (None, None) => unknown("when the breach happened"),
            },
            data_categories,
            people: people_n
                .map(|n| format!("about {n}"))
                .unwrap_or_else(|| unknown("approximate number of data subjects")),
            people_n,
            consequences: cons.join("; "),
            measures_taken: if done.is_empty() {
                unknown("measures taken")
            } else {
                format!("done on the response checklist: {}", done.join("; "))
            },
            measures_proposed: match left.len() {
                0 => "none outstanding on the response checklist".into(),
                n if n > MAX_LISTED => format!(
                    "still to do on the response checklist: {}; and {} more",
                    left[..MAX_LISTED].join("; "),
                    n - MAX_LISTED
                ),
                _ => format!("still to do on the response checklist: {}", left.join("; ")),
            },
            iocs: if iocs.is_empty() {
                unknown("indicators of compromise: no attacker activity in the logs given")
            } else {
                iocs.join("; ")
            },
            malicious,
            cyber: match s.abuse.verdict {
                Verdict::Confirmed | Verdict::Suspected => "Yes".into(),
                _ => "Don't know".into(),
            },
            cia: format!(
                "confidentiality: credential exposed{}; integrity: {integrity}; availability: {}",
                if matches!(s.abuse.verdict, Verdict::Confirmed) {
                    " and used by an unauthorised party"
                } else {
                    ""
                },
                if destroyed.is_empty() {
                    unknown("effect on availability")
                } else {
                    format!(
                        "deleted: {} (lost unless restored from a copy)",
                        destroyed.join(", ")
                    )
                }
            ),
            cost: s.cost.text.clone(),
            root_cause: intro
                .filter(|m| m.at.is_some())
                .map(|m| format!("credential committed to source control: {}", m.source))
                .unwrap_or_else(|| unknown("root cause: where the credential leaked from")),
            personal_data: match pd {
                Some(p) => format!("personal data reachable: {}", p.reachable),
                None => format!("personal data reachable: unknown (blast radius {})", b.note),
            },
        }
    }

    /// The fact called `name` (one of [`NAMES`]) in a draft whose unconditional deadline is
    /// `overdue`; `None` for a name the writer does not know.
    pub(super) fn get(&self, name: &str, overdue: bool) -> Option<String> {
        Some(match name {
            "organisation" => self.organisation.clone(),
            "contact" => self.contact.clone(),
            "nature" => self.nature.clone(),
            "discovered" => self.discovered.clone(),
            "discovered_how" => self.discovered_how.clone(),
            "happened" => self.happened.clone(),
            "data_categories" => self.data_categories.clone(),
            "people" => self.people.clone(),
            "consequences" => self.consequences.clone(),
            "measures_taken" => self.measures_taken.clone(),
            "measures_proposed" => self.measures_proposed.clone(),
            "iocs" => self.iocs.clone(),
            "malicious" => self.malicious.clone(),
            "cyber" => self.cyber.clone(),
            "cia" => self.cia.clone(),
            "cost" => self.cost.clone(),
            "root_cause" => self.root_cause.clone(),
            "personal_data" => self.personal_data.clone(),
            "delay" if overdue => unknown("reasons for the delay: the deadline has passed"),
            "delay" => "not needed: within the deadline, or the deadline not yet known".into(),
            _ => return None,
        })
    }

    /// `template` with each `{name}` replaced by its fact; `Err(name)` for an unknown name.
    pub(super) fn fill(&self, template: &str, overdue: bool) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or_else(|| after.to_string())?;
            let name = &after[..close];
            out.push_str(&self.get(name, overdue).ok_or_else(|| name.to_string())?);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}
