//! Notification drafts: for each regime picked, its deadlines (computed from the context's
//! awareness or determination time by the regime's rule, shown in UTC and local time with the
//! time remaining at the report's time) and its fields filled from the report, the unknowns
//! marked `[UNKNOWN: ...]`. Drafts for counsel, never advice.

use super::checklist::{done_items, Checklist};
use super::clock::{fmt_duration, fmt_local, fmt_remaining, offset, Rule};
use super::regimes::{self, Clock, RegimeSpec, StageSpec};
use super::summary::{IocKind, Summary, Verdict};
use super::Report;
use crate::format;
use crate::Context;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Checklist items listed in a draft's "measures proposed" before "and N more".
const MAX_LISTED: usize = 8;

/// Said at the top of every draft.
pub const DISCLAIMER: &str = "DRAFT FOR COUNSEL, not legal advice: prepared by leaktriage from the evidence and the responder's context. Check every statement, every [UNKNOWN] and whether the regime applies before anything is sent.";

/// The notification drafts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Notifications {
    /// `responder` (the context's `regimes`) or `default` ([`regimes::DEFAULT`]).
    pub picked_by: String,
    /// Regime ids asked for that no regime has.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_regimes: Vec<String>,
    /// One draft per regime, in the order asked.
    pub drafts: Vec<Draft>,
    /// Every regime the engine can draft (`{id, name}`), for a picker.
    pub available: Vec<RegimeRef>,
}

/// A regime's id and name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegimeRef {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A deadline's state at the report's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineStatus {
    /// Due in the future.
    Open,
    /// Past due.
    Overdue,
    /// The regime's first notification was sent (context `incident.notified_at`).
    Sent,
    /// The clock's start is not known.
    NotStarted,
    /// The regime sets no fixed period.
    NoFixedDeadline,
    /// Due time known, but the report has no time to measure what remains.
    Undated,
}

/// One deadline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deadline {
    /// Stable id: `regime.stage` (`gdpr_art33.authority`).
    pub id: String,
    /// What is due.
    pub what: String,
    /// To whom.
    pub recipient: String,
    /// The rule: the period (`72 hours`, `4 business days`) and the research's wording.
    pub rule: String,
    /// What starts the clock: `awareness`, `determination` or `notification`.
    pub clock: String,
    /// When it applies, if not always.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// When the clock started (UTC).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub starts_at: Option<DateTime<Utc>>,
    /// When it is due (UTC).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "format::ser_opt_ts"
    )]
    pub due_at: Option<DateTime<Utc>>,
    /// The due time at the context's UTC offset (UTC when none is given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_local: Option<String>,
    /// Seconds from the report's time to the due time (negative: overdue).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining_seconds: Option<i64>,
    /// The state at the report's time.
    pub status: DeadlineStatus,
    /// The deadline in one line.
    pub text: String,
}

/// One field of a draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// Stable id within the draft.
    pub id: String,
    /// The regime's name for it.
    pub label: String,
    /// The value, with `[UNKNOWN: ...]` where the report cannot fill it.
    pub value: String,
    /// False when the value holds an `[UNKNOWN: ...]`.
    pub known: bool,
}

/// One regime's draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    /// The regime's stable id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What triggers it.
    pub trigger: String,
    /// Whether it seems to apply, from the report (the decision is counsel's).
    pub applies: String,
    /// Its deadlines.
    pub deadlines: Vec<Deadline>,
    /// The content the regime asks for, in words.
    pub content: String,
    /// The fields, filled.
    pub fields: Vec<Field>,
    /// Fields still unknown.
    pub unknowns: u64,
    /// Exemptions, records to keep, penalties.
    pub notes: Vec<String>,
    /// The research's source tags (docs/report.md lists them).
    pub sources: String,
    /// [`DISCLAIMER`].
    pub disclaimer: String,
    /// The draft as plain text, to paste into the regulator's form or a letter.
    pub text: String,
}

/// Builds the drafts for the context's regimes (or the default).
pub fn build(r: &Report, s: &Summary, c: &Checklist, ctx: &Context) -> Notifications {
    let (ids, picked_by): (Vec<&str>, &str) = if ctx.regimes.is_empty() {
        (regimes::DEFAULT.to_vec(), "default")
    } else {
        (
            ctx.regimes.iter().map(String::as_str).collect(),
            "responder",
        )
    };
    let facts = Facts::new(r, s, c, ctx);
    let mut out = Notifications {
        picked_by: picked_by.into(),
        available: regimes::REGIMES
            .iter()
            .map(|g| RegimeRef {
                id: g.id.into(),
                name: g.name.into(),
            })
            .collect(),
        ..Notifications::default()
    };
    let mut seen = Vec::new();
    for id in ids {
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        match regimes::find(id) {
            Some(g) => out.drafts.push(draft(g, &facts, r.generated_at, ctx)),
            None => out.unknown_regimes.push(id.into()),
        }
    }
    out
}

/// Computes one deadline at the report's time `now`.
pub fn deadline(
    regime: &str,
    st: &StageSpec,
    ctx: &Context,
    now: Option<DateTime<Utc>>,
) -> Deadline {
    let off = offset(ctx.utc_offset_minutes);
    let notified = ctx.incident.notified_at.get(regime).copied();
    let start = match st.clock {
        Clock::Awareness => ctx.awareness,
        Clock::Determination => ctx.incident.determined_at,
        Clock::Notification => notified,
    };
    let due = start.and_then(|t| st.rule.due(t, off));
    let remaining = match (due, now) {
        (Some(d), Some(n)) => Some((d - n).num_seconds()),
        _ => None,
    };
    let due_words =
        |d: &DateTime<Utc>| format!("due {} ({})", format::rfc3339(d), fmt_local(d, off));
    let (status, text) = match (start, due, notified) {
        (_, _, Some(sent)) if st.primary => {
            let when = match due {
                Some(d) if sent <= d => format!(", {} before the deadline", fmt_duration((d - sent).num_seconds())),
                Some(d) => format!(", {} after the deadline", fmt_duration((sent - d).num_seconds())),
                None => String::new(),
            };
            (DeadlineStatus::Sent, format!("sent {} (context){when}", format::rfc3339(&sent)))
        }
        (None, _, _) => (
            DeadlineStatus::NotStarted,
            match st.clock {
                Clock::Awareness => "clock not started: no awareness time given (context `awareness`)".to_string(),
                Clock::Determination => "clock not started: no determination time given (context `incident.determined_at`)".to_string(),
                Clock::Notification => format!(
                    "starts when the first notification is sent (context `incident.notified_at.{regime}`)"
                ),
            },
        ),
        (Some(t), None, _) => (
            DeadlineStatus::NoFixedDeadline,
            format!("no fixed period: {}; clock started {} ({})", st.wording, format::rfc3339(&t), fmt_local(&t, off)),
        ),
        (Some(_), Some(d), _) => match remaining {
            Some(left) if left < 0 => (DeadlineStatus::Overdue, format!("{}, {}", due_words(&d), fmt_remaining(left))),
            Some(left) => (DeadlineStatus::Open, format!("{}, {}", due_words(&d), fmt_remaining(left))),
            None => (DeadlineStatus::Undated, format!("{}; time remaining unknown: the report is undated", due_words(&d))),
        },
    };
    Deadline {
        id: format!("{regime}.{}", st.id),
        what: st.what.into(),
        recipient: st.recipient.into(),
        rule: match st.rule {
            Rule::NoFixed => st.wording.to_string(),
            rule => format!("{}: {}", rule.label(), st.wording),
        },
        clock: st.clock.as_str().into(),
        condition: st.condition.map(str::to_string),
        starts_at: start,
        due_at: due,
        due_local: due.map(|d| fmt_local(&d, off)),
        remaining_seconds: remaining,
        status,
        text,
    }
}

/// The regimes' deadlines nearest first (open and overdue ones), for summaries.
pub fn pressing(n: &Notifications) -> Vec<&Deadline> {
    let mut all: Vec<&Deadline> = n
        .drafts
        .iter()
        .flat_map(|d| d.deadlines.iter())
        .filter(|d| {
            matches!(
                d.status,
                DeadlineStatus::Open | DeadlineStatus::Overdue | DeadlineStatus::Undated
            )
        })
        .collect();
    all.sort_by(|a, b| a.due_at.cmp(&b.due_at).then(a.id.cmp(&b.id)));
    all
}

fn unknown(what: &str) -> String {
    format!("[UNKNOWN: {what}]")
}

/// What the report knows, worded once for every draft.
struct Facts {
    organisation: String,
    contact: String,
    nature: String,
    discovered: String,
    discovered_how: String,
    happened: String,
    data_categories: String,
    people: String,
    people_n: Option<u64>,
    records: String,
    consequences: String,
    measures_taken: String,
    measures_proposed: String,
    iocs: String,
    malicious: String,
    cyber: String,
    cia: String,
    cost: String,
    root_cause: String,
    personal_data: String,
}

impl Facts {
    fn new(r: &Report, s: &Summary, c: &Checklist, ctx: &Context) -> Facts {
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
            let ips = s.iocs.iter().filter(|i| i.kind == IocKind::Ip).count();
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
        let created: Vec<&str> = s
            .iocs
            .iter()
            .filter(|i| i.kind == IocKind::CreatedAccess)
            .map(|i| i.value.as_str())
            .collect();
        let logging: Vec<&str> = s
            .iocs
            .iter()
            .filter(|i| i.kind == IocKind::LoggingChange)
            .map(|i| i.value.as_str())
            .collect();
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
            .filter(|i| i.status == super::ItemStatus::NotDone && action(&i.id))
            .map(|i| i.text.as_str())
            .collect();
        let list = |kind: IocKind| {
            s.iocs
                .iter()
                .filter(|i| i.kind == kind)
                .map(|i| i.value.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut iocs = Vec::new();
        for (k, label) in [
            (IocKind::Ip, "source IPs"),
            (IocKind::UserAgent, "user agents"),
            (IocKind::Model, "models"),
            (IocKind::Region, "regions"),
            (IocKind::CreatedAccess, "access-creating calls"),
            (IocKind::LoggingChange, "logging changes"),
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
            records: unknown("approximate number of personal data records"),
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
                unknown("effect on availability")
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
}

fn field(id: &str, label: &str, value: &str) -> Field {
    Field {
        id: id.into(),
        label: label.into(),
        value: value.into(),
        known: !value.contains("[UNKNOWN"),
    }
}

/// The draft's fields, as the regime asks for them.
fn fields(g: &RegimeSpec, x: &Facts, overdue: bool) -> Vec<Field> {
    let delay = if overdue {
        unknown("reasons for the delay: the deadline has passed")
    } else {
        "not needed: within the deadline, or the deadline not yet known".into()
    };
    let mut v = vec![field("organisation", "Organisation", &x.organisation)];
    // Regimes whose content names the contact get it under their own label.
    if !matches!(
        g.id,
        "gdpr_art33" | "gdpr_art34" | "hipaa" | "us_ca" | "us_co"
    ) {
        v.push(field("contact", "Contact point", &x.contact));
    }
    match g.id {
        "gdpr_art33" => v.extend([
            field("a_nature", "(a) Nature of the breach", &x.nature),
            field("a_categories", "(a) Categories of data subjects and personal data", &x.data_categories),
            field("a_subjects", "(a) Approximate number of data subjects", &x.people),
            field("a_records", "(a) Approximate number of records", &x.records),
            field("b_contact", "(b) DPO or other contact point", &x.contact),
            field("c_consequences", "(c) Likely consequences", &x.consequences),
            field("d_measures_taken", "(d) Measures taken", &x.measures_taken),
            field("d_measures_proposed", "(d) Measures proposed", &x.measures_proposed),
            field("aware", "Became aware", &x.discovered),
            field("delay", "Reasons for a delay beyond 72 hours (33(1))", &delay),
        ]),
        "gdpr_art34" => v.extend([
            field("plain", "What happened (clear and plain language)", &x.nature),
            field("b_contact", "(b) Contact point", &x.contact),
            field("c_consequences", "(c) Likely consequences", &x.consequences),
            field("d_measures", "(d) Measures taken or proposed", &format!("taken: {}; proposed: {}", x.measures_taken, x.measures_proposed)),
        ]),
        "uk_gdpr" => v.extend([
            field("report_type", "Initial or follow-up report", "initial report"),
            field("what_happened", "What happened", &x.nature),
            field("cyber", "Cyber incident? (yes / no / don't know)", &x.cyber),
            field("how_discovered", "How discovered", &x.discovered_how),
            field("discovered_at", "Date and time discovered", &x.discovered),
            field("happened_at", "Date and time it happened", &x.happened),
            field("data_categories", "Data categories (incl. identification data, e.g. usernames, passwords)", &x.data_categories),
            field("records", "Number of records", &x.records),
            field("subjects", "Number of data subjects", &x.people),
            field("subject_categories", "Categories of data subjects", &unknown("categories of data subjects (customers, staff, ...)")),
            field("consequences", "Likely consequences", &x.consequences),
            field("significance", "Likelihood of significant consequences", &unknown("likelihood of significant consequences")),
            field("cia", "Confidentiality, integrity, availability of the systems affected", &x.cia),
            field("impact_org", "Impact on the organisation", &x.cost),
            field("recovery", "Recovery time", &unknown("recovery time")),
            field("training", "Staff training", &unknown("staff data-protection training")),
            field("preventive", "Preventive measures already in place", &unknown("preventive measures in place before the breach")),
            field("actions", "Actions taken", &x.measures_taken),
            field("told", "Who else was told", &unknown("who else was told (police, other regulators, customers)")),
            field("delay", "Reasons for any delay", &delay),
        ]),
        "nis2" => v.extend([
            field("ew_malicious", "Early warning: suspected unlawful or malicious act?", &x.malicious),
            field("ew_cross_border", "Early warning: cross-border impact?", &unknown("cross-border impact")),
            field("n_severity", "Notification: severity and impact", &format!("{} {}", x.nature, x.cost)),
            field("n_iocs", "Notification: indicators of compromise", &x.iocs),
            field("f_root_cause", "Final report: root cause or threat type", &format!("{}; threat type: leaked credential used for unauthorised AI-service use (LLMjacking)", x.root_cause)),
            field("f_mitigations", "Final report: mitigations applied and ongoing", &format!("applied: {}; ongoing: {}", x.measures_taken, x.measures_proposed)),
            field("f_cross_border", "Final report: cross-border impact", &unknown("cross-border impact")),
            field("loss", "Direct financial loss (threshold EUR 500,000 or 5% of turnover)", &x.cost),
        ]),
        "sec_8k" => v.extend([
            field("nature_scope_timing", "Material aspects of the nature, scope and timing", &format!("{} {}", x.nature, x.happened)),
            field("impact", "Material impact or reasonably likely material impact (financial condition, results of operations)", &format!("{}; {}", x.cost, unknown("materiality assessment"))),
        ]),
        "hipaa" => v.extend([
            field("what_happened", "What happened, with the dates of the breach and of its discovery", &format!("{} Breach: {}. Discovered: {}.", x.nature, x.happened, x.discovered)),
            field("phi", "Types of unsecured PHI involved", &unknown("types of PHI the credential could reach")),
            field("individuals_steps", "Steps individuals should take", &unknown("steps individuals should take")),
            field("entity_doing", "What the entity is doing", &format!("taken: {}; proposed: {}", x.measures_taken, x.measures_proposed)),
            field("contact_details", "Contact details", &x.contact),
            field("individuals", "Number of individuals", &x.people),
        ]),
        "us_ca" => v.extend([
            field("title", "Title", "Notice of Data Breach"),
            field("what_happened", "What Happened", &format!("{} {}", x.nature, x.happened)),
            field("what_information", "What Information Was Involved", &x.data_categories),
            field("what_we_are_doing", "What We Are Doing", &format!("{}; next: {}", x.measures_taken, x.measures_proposed)),
            field("what_you_can_do", "What You Can Do", &unknown("steps residents should take (e.g. change a reused password)")),
            field("more_information", "For More Information", &x.contact),
            field("residents", "Number of California residents", &x.people),
        ]),
        "us_co" => v.extend([
            field("dates", "Date or date range of the breach", &x.happened),
            field("pi", "Personal information involved", &x.data_categories),
            field("contact_info", "Contact information", &x.contact),
            field("cra_ftc", "Consumer reporting agency and FTC information", &unknown("CRA and FTC contact details")),
            field("residents", "Number of Colorado residents", &x.people),
        ]),
        "us_wa" => v.extend([
            field("what_happened", "What happened (plain language)", &format!("{} {}", x.nature, x.happened)),
            field("pi", "Personal information involved", &x.data_categories),
            field("residents", "Number of Washington residents", &x.people),
        ]),
        "us_fl" => v.extend([
            field("what_happened", "What happened", &format!("{} {}", x.nature, x.happened)),
            field("residents", "Number of Florida residents", &x.people),
        ]),
        "us_tx" => v.extend([
            field("description", "Description of the breach", &format!("{} {}", x.nature, x.happened)),
            field("affected", "Number of Texans affected", &x.people),
            field("notified", "Number of Texans notified", &unknown("number of Texans notified")),
            field("measures", "Measures taken and planned", &format!("taken: {}; planned: {}", x.measures_taken, x.measures_proposed)),
            field("law_enforcement", "Law-enforcement status", &unknown("whether law enforcement is involved")),
        ]),
        "sg_pdpa" | "au_ndb" | "ca_pipeda" | "br_lgpd" => v.extend([
            field("description", "Description of the breach: circumstances and cause", &format!("{} {}", x.nature, x.root_cause)),
            field("when", "Day or period of the breach", &x.happened),
            field("aware", "Became aware", &x.discovered),
            field("information", "Kinds of personal information involved", &x.data_categories),
            field("people", "Estimated number of people", &x.people),
            field("steps_taken", "Steps taken to reduce the harm", &x.measures_taken),
            field("steps_individuals", "Steps recommended to individuals", &unknown("steps recommended to individuals")),
        ]),
        _ => {}
    }
    v.push(field(
        "personal_data",
        "Personal data reachable (blast radius)",
        &x.personal_data,
    ));
    v
}

/// Whether the regime seems to apply, from what the report knows.
fn applies(g: &RegimeSpec, x: &Facts) -> String {
    let mut s = format!(
        "Applies to {}. From the report: {}",
        g.trigger, x.personal_data
    );
    if g.id == "nis2" {
        s.push_str(&format!("; {}", x.cost));
    }
    if let Some(n) = x.people_n {
        s.push_str(&format!("; about {n} people"));
    }
    s.push_str(". Whether it applies is for counsel.");
    s
}

fn draft(g: &RegimeSpec, x: &Facts, now: Option<DateTime<Utc>>, ctx: &Context) -> Draft {
    let deadlines: Vec<Deadline> = g
        .stages
        .iter()
        .map(|st| deadline(g.id, st, ctx, now))
        .collect();
    let overdue = deadlines
        .iter()
        .any(|d| d.condition.is_none() && d.status == DeadlineStatus::Overdue);
    let fields = fields(g, x, overdue);
    let mut notes: Vec<String> = g.notes.iter().map(|n| n.to_string()).collect();
    if g.id == "us_ca" {
        notes.push(match x.people_n {
            Some(n) => format!(
                "At $100 to $750 per consumer, statutory damages for about {n} people would range from ${} to ${}.",
                n.saturating_mul(100),
                n.saturating_mul(750)
            ),
            None => "The statutory damages range cannot be computed: the number of consumers is unknown.".into(),
        });
    }
    notes.push("Weekends are skipped in business-day counts; public holidays are not modelled: check the regime's calendar.".into());
    let unknowns = fields.iter().filter(|f| !f.known).count() as u64;
    let text = text(g, &deadlines, &fields, &notes);
    Draft {
        id: g.id.into(),
        name: g.name.into(),
        trigger: g.trigger.into(),
        applies: applies(g, x),
        deadlines,
        content: g.content.into(),
        fields,
        unknowns,
        notes,
        sources: g.sources.into(),
        disclaimer: DISCLAIMER.into(),
        text,
    }
}

fn text(g: &RegimeSpec, dl: &[Deadline], fields: &[Field], notes: &[String]) -> String {
    let mut s = format!("{DISCLAIMER}\n\n{}\n", g.name);
    for d in dl {
        s.push_str(&format!(
            "Deadline {}: {} to {}{}: {}\n",
            d.id,
            d.what,
            d.recipient,
            d.condition
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default(),
            d.text
        ));
    }
    s.push('\n');
    for f in fields {
        s.push_str(&format!("{}: {}\n", f.label, f.value));
    }
    if !notes.is_empty() {
        s.push_str("\nNotes:\n");
        for n in notes {
            s.push_str(&format!("- {n}\n"));
        }
    }
    s.push_str(&format!("\nSources (research, part C): {}\n", g.sources));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{assert_no_secret, demo_report, t};

    fn ctx_at(now: &str, aware: Option<&str>) -> Context {
        Context {
            now: Some(t(now)),
            awareness: aware.map(t),
            ..Context::default()
        }
    }

    fn stage_of(regime: &str, stage: &str) -> &'static StageSpec {
        regimes::find(regime)
            .unwrap()
            .stages
            .iter()
            .find(|s| s.id == stage)
            .unwrap()
    }

    #[test]
    fn every_regime_id_is_unique_and_the_default_exists() {
        let mut ids: Vec<&str> = regimes::REGIMES.iter().map(|r| r.id).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
        assert!(regimes::DEFAULT.iter().all(|d| regimes::find(d).is_some()));
        assert!(n >= 15);
    }

    #[test]
    fn gdpr_72_hours_from_awareness_with_time_left_and_local_time() {
        let mut ctx = ctx_at("2026-11-20T09:00:00Z", Some("2026-11-19T08:30:00Z"));
        ctx.utc_offset_minutes = Some(60);
        let d = deadline(
            "gdpr_art33",
            stage_of("gdpr_art33", "authority"),
            &ctx,
            ctx.now,
        );
        assert_eq!(d.due_at, Some(t("2026-11-22T08:30:00Z")));
        assert_eq!(d.due_local.as_deref(), Some("2026-11-22 09:30 UTC+01:00"));
        assert_eq!(d.remaining_seconds, Some(47 * 3600 + 30 * 60));
        assert_eq!(d.status, DeadlineStatus::Open);
        assert!(d.text.ends_with("1 d 23 h 30 min left"), "{}", d.text);
    }

    #[test]
    fn a_passed_deadline_is_overdue_with_negative_time() {
        let ctx = ctx_at("2026-11-20T12:00:00Z", Some("2026-11-19T08:00:00Z"));
        let d = deadline("nis2", stage_of("nis2", "early_warning"), &ctx, ctx.now);
        assert_eq!(d.due_at, Some(t("2026-11-20T08:00:00Z")));
        assert_eq!(d.remaining_seconds, Some(-4 * 3600));
        assert_eq!(d.status, DeadlineStatus::Overdue);
        assert!(d.text.ends_with("overdue by 4 h"), "{}", d.text);
    }

    #[test]
    fn sec_counts_four_business_days_from_determination_across_a_weekend() {
        let mut ctx = ctx_at("2026-11-20T12:00:00Z", Some("2026-11-18T08:00:00Z"));
        // Determined on Thursday: Fri, Mon, Tue, Wed.
        ctx.incident.determined_at = Some(t("2026-11-19T16:00:00Z"));
        let d = deadline("sec_8k", stage_of("sec_8k", "filing"), &ctx, ctx.now);
        assert_eq!(d.clock, "determination");
        assert_eq!(d.due_at, Some(t("2026-11-25T16:00:00Z")));
        // Without a determination, the clock has not started, whatever the awareness.
        ctx.incident.determined_at = None;
        let d = deadline("sec_8k", stage_of("sec_8k", "filing"), &ctx, ctx.now);
        assert_eq!((d.status, d.due_at), (DeadlineStatus::NotStarted, None));
        assert!(d.text.contains("no determination time"), "{}", d.text);
    }

    #[test]
    fn brazil_counts_three_business_days_from_awareness() {
        // Aware Friday 10:00: Mon, Tue, Wed.
        let ctx = ctx_at("2026-11-20T12:00:00Z", Some("2026-11-20T10:00:00Z"));
        let d = deadline("br_lgpd", stage_of("br_lgpd", "anpd"), &ctx, ctx.now);
        assert_eq!(d.due_at, Some(t("2026-11-25T10:00:00Z")));
    }

    #[test]
    fn hipaa_and_state_calendar_days() {
        let ctx = ctx_at("2026-11-20T12:00:00Z", Some("2026-11-19T10:00:00Z"));
        let d = deadline("hipaa", stage_of("hipaa", "individuals"), &ctx, ctx.now);
        assert_eq!(d.due_at, Some(t("2027-01-18T10:00:00Z")));
        let d = deadline("hipaa", stage_of("hipaa", "hhs_annual"), &ctx, ctx.now);
        assert_eq!(d.due_at, Some(t("2027-03-02T00:00:00Z")));
        assert_eq!(
            d.condition.as_deref(),
            Some("if fewer than 500 individuals")
        );
        let d = deadline("us_wa", stage_of("us_wa", "residents"), &ctx, ctx.now);
        assert_eq!(d.due_at, Some(t("2026-12-19T10:00:00Z")));
    }

    #[test]
    fn follow_up_clocks_start_at_the_notification_and_sending_meets_the_deadline() {
        let mut ctx = ctx_at("2026-11-20T12:00:00Z", Some("2026-11-19T08:00:00Z"));
        let d = deadline("nis2", stage_of("nis2", "final_report"), &ctx, ctx.now);
        assert_eq!(d.status, DeadlineStatus::NotStarted);
        ctx.incident
            .notified_at
            .insert("nis2".into(), t("2026-11-19T20:00:00Z"));
        let d = deadline("nis2", stage_of("nis2", "final_report"), &ctx, ctx.now);
        assert_eq!(d.due_at, Some(t("2026-12-19T20:00:00Z")));
        let ew = deadline("nis2", stage_of("nis2", "early_warning"), &ctx, ctx.now);
        assert_eq!(ew.status, DeadlineStatus::Sent);
        assert!(ew.text.contains("12 h before the deadline"), "{}", ew.text);
    }

    #[test]
    fn no_awareness_means_no_deadline_and_no_fixed_period_shows_the_start() {
        let ctx = ctx_at("2026-11-20T12:00:00Z", None);
        let d = deadline(
            "gdpr_art33",
            stage_of("gdpr_art33", "authority"),
            &ctx,
            ctx.now,
        );
        assert_eq!((d.status, d.due_at), (DeadlineStatus::NotStarted, None));
        assert!(d.text.contains("no awareness time given"));
        let ctx = ctx_at("2026-11-20T12:00:00Z", Some("2026-11-19T08:00:00Z"));
        let d = deadline(
            "gdpr_art34",
            stage_of("gdpr_art34", "data_subjects"),
            &ctx,
            ctx.now,
        );
        assert_eq!(d.status, DeadlineStatus::NoFixedDeadline);
        assert!(d.text.contains("without undue delay"));
        // An undated report knows the due time but not what remains.
        let mut ctx = ctx;
        ctx.now = None;
        let d = deadline(
            "gdpr_art33",
            stage_of("gdpr_art33", "authority"),
            &ctx,
            None,
        );
        assert_eq!(
            (d.status, d.remaining_seconds),
            (DeadlineStatus::Undated, None)
        );
    }

    #[test]
    fn default_regime_drafts_gdpr_with_unknowns_marked_and_the_disclaimer() {
        let r = demo_report(&ctx_at(
            "2026-11-20T12:00:00Z",
            Some("2026-11-19T08:00:00Z"),
        ));
        let n = &r.notifications;
        assert_eq!(n.picked_by, "default");
        assert_eq!(n.drafts.len(), 1);
        let d = &n.drafts[0];
        assert_eq!(d.id, "gdpr_art33");
        assert!(d.text.starts_with("DRAFT FOR COUNSEL"));
        let f = |id: &str| d.fields.iter().find(|f| f.id == id).unwrap();
        assert_eq!(
            f("a_subjects").value,
            "[UNKNOWN: approximate number of data subjects]"
        );
        assert!(!f("a_subjects").known);
        assert!(
            f("a_nature").value.contains("Abuse confirmed"),
            "{}",
            f("a_nature").value
        );
        assert!(f("c_consequences").value.contains("$98.43"));
        assert_eq!(
            d.unknowns,
            d.fields.iter().filter(|f| !f.known).count() as u64
        );
    }

    #[test]
    fn picked_regimes_in_order_unknown_ids_reported() {
        let mut ctx = ctx_at("2026-11-20T12:00:00Z", Some("2026-11-19T08:00:00Z"));
        ctx.regimes = vec![
            "nis2".into(),
            "xx_bogus".into(),
            "uk_gdpr".into(),
            "nis2".into(),
        ];
        let r = demo_report(&ctx);
        let n = &r.notifications;
        assert_eq!(n.picked_by, "responder");
        let ids: Vec<&str> = n.drafts.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["nis2", "uk_gdpr"]);
        assert_eq!(n.unknown_regimes, ["xx_bogus"]);
        let ioc = n.drafts[0]
            .fields
            .iter()
            .find(|f| f.id == "n_iocs")
            .unwrap();
        assert!(ioc.value.contains("198.51.100.23") && ioc.known, "{ioc:?}");
        // The overdue NIS2 early warning does not hide the later deadlines.
        assert_eq!(
            pressing(n).first().map(|d| d.id.as_str()),
            Some("nis2.early_warning")
        );
    }

    #[test]
    fn drafts_hold_no_secret_value() {
        let mut ctx = ctx_at("2026-11-20T12:00:00Z", Some("2026-11-19T08:00:00Z"));
        ctx.regimes = regimes::REGIMES.iter().map(|g| g.id.to_string()).collect();
        let r = demo_report(&ctx);
        let json = serde_json::to_string(&r.notifications).unwrap();
        assert_no_secret(&r, &json, "drafts");
    }

    #[test]
    fn docs_list_every_deadline_regime_and_checklist_item() {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/report.md"))
            .unwrap();
        for g in regimes::REGIMES {
            for st in g.stages {
                let id = format!("`{}.{}`", g.id, st.id);
                assert!(doc.contains(&id), "docs/report.md lacks {id}");
            }
        }
        for id in crate::report::checklist::item_ids() {
            assert!(
                doc.contains(&format!("`{id}`")),
                "docs/report.md lacks {id}"
            );
        }
    }
}
