//! The notification regimes as data, each rule as ../shared/research/attack-detection-
//! notification.md part C states it, with that table's source tags ([S63]…[S87]; the full
//! references are listed in docs/report.md).

use super::clock::Rule;

/// What starts a deadline's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The context's `awareness` (discovery, knowledge, suspicion).
    Awareness,
    /// The context's `incident.determined_at` (determination, materiality, assessment).
    Determination,
    /// When this regime's first notification was sent (`incident.notified_at[regime]`).
    Notification,
}

impl Clock {
    /// The clock start's snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Clock::Awareness => "awareness",
            Clock::Determination => "determination",
            Clock::Notification => "notification",
        }
    }
}

/// One deadline of a regime.
#[derive(Debug, Clone, Copy)]
pub struct StageSpec {
    /// Id within the regime (the deadline's id is `regime.stage`).
    pub id: &'static str,
    /// What is due.
    pub what: &'static str,
    /// To whom.
    pub recipient: &'static str,
    /// How it is counted.
    pub rule: Rule,
    /// How the research words the period (kept beside the computed deadline).
    pub wording: &'static str,
    /// What starts it.
    pub clock: Clock,
    /// When it applies (thresholds, roles), if not always.
    pub condition: Option<&'static str>,
    /// Sending the regime's first notification meets this deadline.
    pub primary: bool,
}

/// One regime.
#[derive(Debug, Clone, Copy)]
pub struct RegimeSpec {
    /// Stable id.
    pub id: &'static str,
    /// Name.
    pub name: &'static str,
    /// What triggers it.
    pub trigger: &'static str,
    /// The deadlines.
    pub stages: &'static [StageSpec],
    /// The content the research lists, in words (the draft's fields follow it).
    pub content: &'static str,
    /// Further notes (exemptions, records to keep, penalties).
    pub notes: &'static [&'static str],
    /// The research's source tags.
    pub sources: &'static str,
}

const fn stage(
    id: &'static str,
    what: &'static str,
    recipient: &'static str,
    rule: Rule,
    wording: &'static str,
    clock: Clock,
) -> StageSpec {
    StageSpec {
        id,
        what,
        recipient,
        rule,
        wording,
        clock,
        condition: None,
        primary: false,
    }
}

const fn primary(s: StageSpec) -> StageSpec {
    StageSpec { primary: true, ..s }
}

const fn when(s: StageSpec, condition: &'static str) -> StageSpec {
    StageSpec {
        condition: Some(condition),
        ..s
    }
}

/// The regimes drafted when the responder picks none: GDPR Art. 33, the clock seeds/000 names
/// ("the GDPR 72-hour notification clock starts at the moment you became aware").
pub const DEFAULT: &[&str] = &["gdpr_art33"];

/// Every regime, in the order of the research's table.
pub const REGIMES: &[RegimeSpec] = &[
    RegimeSpec {
        id: "gdpr_art33",
        name: "GDPR Art. 33: notification to the supervisory authority",
        trigger: "a personal-data breach, unless it is unlikely to result in a risk to people",
        stages: &[
            primary(stage(
                "authority",
                "Notify the lead or competent supervisory authority (Art. 55)",
                "lead/competent supervisory authority",
                Rule::Hours(72),
                "without undue delay and, where feasible, within 72 hours of becoming aware; a later notice must give the reasons for the delay; it may be given in phases (33(4))",
                Clock::Awareness,
            )),
            when(
                stage(
                    "processor",
                    "A processor notifies the controller",
                    "the controller",
                    Rule::NoFixed,
                    "without undue delay (33(2))",
                    Clock::Awareness,
                ),
                "if you are a processor for this data",
            ),
        ],
        content: "Art. 33(3): (a) the nature of the breach, the categories and approximate number of data subjects and of records; (b) the DPO or contact point; (c) the likely consequences; (d) the measures taken or proposed",
        notes: &[
            "The clock starts when the controller becomes aware: per EDPB Guidelines 9/2022, a reasonable degree of certainty that a breach occurred [S63].",
            "Art. 33(5): document every breach (facts, effects, remedial action), notified or not [S64].",
        ],
        sources: "[S63] [S64]",
    },
    RegimeSpec {
        id: "gdpr_art34",
        name: "GDPR Art. 34: communication to the data subjects",
        trigger: "a personal-data breach likely to result in a high risk to people",
        stages: &[primary(stage(
            "data_subjects",
            "Tell the people concerned",
            "the data subjects",
            Rule::NoFixed,
            "without undue delay",
            Clock::Awareness,
        ))],
        content: "clear and plain language, with Art. 33(3)(b), (c) and (d): the contact point, the likely consequences, the measures taken or proposed",
        notes: &[
            "Not required if the data are unintelligible to others (e.g. encrypted), if the high risk is no longer likely after the measures taken, or if it would take disproportionate effort (then a public communication instead) [S65].",
        ],
        sources: "[S65]",
    },
    RegimeSpec {
        id: "uk_gdpr",
        name: "UK GDPR: personal data breach report to the ICO",
        trigger: "as GDPR: a personal-data breach unless unlikely to result in a risk",
        stages: &[
            primary(stage(
                "ico",
                "Report to the ICO (online form or 0303 123 1113)",
                "Information Commissioner's Office",
                Rule::Hours(72),
                "72 hours from awareness",
                Clock::Awareness,
            )),
            when(
                stage(
                    "pecr",
                    "PECR service providers report to the ICO",
                    "Information Commissioner's Office",
                    Rule::Hours(24),
                    "24 hours (PECR providers)",
                    Clock::Awareness,
                ),
                "if you provide a public electronic communications service (PECR)",
            ),
        ],
        content: "the ICO form's fields: initial or follow-up report; what happened; cyber incident (yes/no/don't know); how discovered; date and time discovered; date and time it happened; data categories; number of records; number of data subjects; subject categories; likely consequences; likelihood of significant consequences; confidentiality, integrity and availability of the systems affected; impact on the organisation; recovery time; staff training; preventive measures already in place; actions taken; who else was told; reasons for any delay",
        notes: &["Record decisions not to report, with the reasons (ICO Accountability Framework) [S68]."],
        sources: "[S66] [S67] [S68]",
    },
    RegimeSpec {
        id: "nis2",
        name: "NIS2 Art. 23: significant incident reporting",
        trigger: "a significant incident: severe operational disruption or financial loss, or considerable damage to others (23(3)); IR 2024/2690 adds a direct loss above EUR 500,000 or 5% of turnover (the lower), suspectedly malicious unauthorised access capable of severe disruption, and recurring incidents (2 or more in 6 months with the same root cause); for cloud providers any suspectedly malicious compromise of data confidentiality or integrity. Can apply without personal data",
        stages: &[
            primary(stage(
                "early_warning",
                "Early warning: suspected malicious? cross-border impact?",
                "CSIRT / competent authority",
                Rule::Hours(24),
                "24 hours from becoming aware",
                Clock::Awareness,
            )),
            stage(
                "notification",
                "Incident notification: severity, impact, indicators of compromise",
                "CSIRT / competent authority",
                Rule::Hours(72),
                "72 hours from becoming aware",
                Clock::Awareness,
            ),
            stage(
                "final_report",
                "Final report: root cause or threat type, mitigations, cross-border impact",
                "CSIRT / competent authority",
                Rule::Months(1),
                "within 1 month after the incident notification (an intermediate report on request; a progress report if the incident is still ongoing, the final report within 1 month of its handling)",
                Clock::Notification,
            ),
        ],
        content: "per stage: early warning (suspected unlawful or malicious act? cross-border impact?); notification (severity, impact, IoCs); final report (root cause or threat type, mitigations, cross-border impact)",
        notes: &["Recipients of the service are told too, where appropriate [S69]."],
        sources: "[S69] [S70] [S71] [S72]",
    },
    RegimeSpec {
        id: "sec_8k",
        name: "US SEC Form 8-K Item 1.05: material cybersecurity incident",
        trigger: "a cybersecurity incident the registrant determines to be material (US public companies)",
        stages: &[primary(stage(
            "filing",
            "File Form 8-K Item 1.05",
            "SEC (public filing)",
            Rule::BusinessDays(4),
            "4 business days from the materiality determination, which must be made without unreasonable delay after discovery",
            Clock::Determination,
        ))],
        content: "the material aspects of the incident's nature, scope and timing, and its material impact or reasonably likely material impact on the registrant, including its financial condition and results of operations",
        notes: &[
            "A delay is possible if the US Attorney General finds disclosure a substantial risk to national security or public safety (initially 30 days) [S74].",
            "Amend the 8-K when new material information becomes available; an immaterial or not yet determined incident may be disclosed under Item 8.01 [S73].",
        ],
        sources: "[S73] [S74]",
    },
    RegimeSpec {
        id: "hipaa",
        name: "HIPAA Breach Notification Rule (45 CFR 164.404-410)",
        trigger: "a breach of unsecured protected health information (PHI)",
        stages: &[
            primary(stage(
                "individuals",
                "Notify the individuals",
                "the individuals",
                Rule::Days(60),
                "within 60 calendar days of discovery (known, or should reasonably have been known)",
                Clock::Awareness,
            )),
            when(
                stage(
                    "hhs",
                    "Notify HHS (OCR portal)",
                    "HHS Office for Civil Rights",
                    Rule::Days(60),
                    "within 60 days of discovery",
                    Clock::Awareness,
                ),
                "if 500 or more individuals",
            ),
            when(
                stage(
                    "hhs_annual",
                    "Notify HHS (OCR portal) in the annual log",
                    "HHS Office for Civil Rights",
                    Rule::DaysAfterYearEnd(60),
                    "within 60 days of the end of the calendar year of discovery",
                    Clock::Awareness,
                ),
                "if fewer than 500 individuals",
            ),
            when(
                stage(
                    "media",
                    "Notify prominent media outlets",
                    "media serving the state",
                    Rule::NoFixed,
                    "the research table names the media notice without a period of its own: confirm it with counsel",
                    Clock::Awareness,
                ),
                "if more than 500 residents of one state",
            ),
            when(
                stage(
                    "covered_entity",
                    "A business associate notifies the covered entity",
                    "the covered entity",
                    Rule::Days(60),
                    "within 60 days of discovery",
                    Clock::Awareness,
                ),
                "if you are a business associate",
            ),
        ],
        content: "what happened, with the dates of the breach and of its discovery; the types of PHI involved; the steps individuals should take; what the entity is doing; contact details",
        notes: &["Substitute notice rules apply when contact details are missing [S75]."],
        sources: "[S75] [S76]",
    },
    RegimeSpec {
        id: "us_ca",
        name: "California Civ. Code 1798.82 (as amended by SB 446, from 2026-01-01)",
        trigger: "unencrypted personal information acquired by an unauthorised person; personal information includes a username or email address with its password",
        stages: &[
            primary(stage(
                "residents",
                "Notify California residents",
                "the residents concerned",
                Rule::Days(30),
                "within 30 calendar days of discovery or notification (a delay is allowed for law enforcement or to determine the scope)",
                Clock::Awareness,
            )),
            when(
                stage(
                    "attorney_general",
                    "Send a sample of the notice to the Attorney General",
                    "California Attorney General",
                    Rule::Days(15),
                    "within 15 days after notifying the residents",
                    Clock::Notification,
                ),
                "if more than 500 California residents",
            ),
        ],
        content: "titled \"Notice of Data Breach\", in plain language, under the set headings (What Happened; What Information Was Involved; What We Are Doing; What You Can Do; For More Information)",
        notes: &[
            "CCPA 1798.150: where nonencrypted, nonredacted personal information is exfiltrated through a failure of reasonable security, consumers have a private right of action for $100 to $750 per consumer per incident, or actual damages [S78].",
        ],
        sources: "[S77] [S78]",
    },
    RegimeSpec {
        id: "us_co",
        name: "Colorado C.R.S. 6-1-716",
        trigger: "personal information (including a username or email address with its password) acquired",
        stages: &[
            primary(stage(
                "residents",
                "Notify Colorado residents",
                "the residents concerned",
                Rule::Days(30),
                "within 30 days of the determination that a breach occurred",
                Clock::Determination,
            )),
            when(
                stage(
                    "attorney_general",
                    "Notify the Attorney General",
                    "Colorado Attorney General",
                    Rule::Days(30),
                    "within 30 days of the determination",
                    Clock::Determination,
                ),
                "if 500 or more Colorado residents",
            ),
            when(
                stage(
                    "credit_agencies",
                    "Notify the consumer reporting agencies",
                    "consumer reporting agencies",
                    Rule::NoFixed,
                    "the research gives no period for this notice: confirm it with counsel",
                    Clock::Determination,
                ),
                "if more than 1,000 Colorado residents",
            ),
        ],
        content: "the date or date range of the breach; the personal information involved; contact information; consumer reporting agency and FTC information",
        notes: &[],
        sources: "[S79]",
    },
    RegimeSpec {
        id: "us_wa",
        name: "Washington RCW 19.255",
        trigger: "personal information, including login credentials",
        stages: &[
            primary(stage(
                "residents",
                "Notify Washington residents",
                "the residents concerned",
                Rule::Days(30),
                "within 30 days of discovery",
                Clock::Awareness,
            )),
            when(
                stage(
                    "attorney_general",
                    "Notify the Attorney General",
                    "Washington Attorney General",
                    Rule::Days(30),
                    "within 30 days of discovery",
                    Clock::Awareness,
                ),
                "if more than 500 Washington residents",
            ),
        ],
        content: "plain language",
        notes: &[],
        sources: "[S80]",
    },
    RegimeSpec {
        id: "us_fl",
        name: "Florida Stat. 501.171",
        trigger: "personal information",
        stages: &[when(
            primary(stage(
                "legal_affairs",
                "Notify the Department of Legal Affairs",
                "Florida Department of Legal Affairs",
                Rule::Days(30),
                "within 30 days of the determination of a breach",
                Clock::Determination,
            )),
            "if 500 or more Florida residents",
        )],
        content: "the research lists no content for this notice: confirm it with counsel",
        notes: &[],
        sources: "[S81]",
    },
    RegimeSpec {
        id: "us_tx",
        name: "Texas Bus. & Com. Code 521.053 (as amended by SB 768, from 2023-09-01)",
        trigger: "sensitive personal information",
        stages: &[when(
            primary(stage(
                "attorney_general",
                "Notify the Attorney General (electronic form)",
                "Texas Attorney General",
                Rule::Days(30),
                "within 30 days of the determination of a breach",
                Clock::Determination,
            )),
            "if 250 or more Texas residents",
        )],
        content: "a description of the breach; the number of Texans affected; the number notified; the measures taken and planned; whether law enforcement is involved",
        notes: &[],
        sources: "[S82]",
    },
    RegimeSpec {
        id: "sg_pdpa",
        name: "Singapore PDPA ss 26B and 26D",
        trigger: "a notifiable breach: likely significant harm to the individuals, or 500 or more individuals; a breach only within the organisation is excluded",
        stages: &[
            stage(
                "assessment",
                "Assess whether the breach is notifiable",
                "(internal)",
                Rule::Days(30),
                "the PDPC expects the assessment within about 30 days (secondary source)",
                Clock::Awareness,
            ),
            primary(stage(
                "pdpc",
                "Notify the PDPC",
                "Personal Data Protection Commission",
                Rule::Days(3),
                "within 3 calendar days of the assessment that the breach is notifiable",
                Clock::Determination,
            )),
            when(
                stage(
                    "individuals",
                    "Notify the individuals",
                    "the individuals concerned",
                    Rule::NoFixed,
                    "on or after notifying the PDPC; exceptions for remediation and prior technical measures",
                    Clock::Determination,
                ),
                "if likely significant harm",
            ),
        ],
        content: "the content prescribed by the Notification of Data Breaches Regulations (the field list is not verified in our research)",
        notes: &[],
        sources: "[S83]",
    },
    RegimeSpec {
        id: "au_ndb",
        name: "Australia Notifiable Data Breaches scheme (Privacy Act Part IIIC)",
        trigger: "an eligible data breach (likely serious harm), for APP entities (annual turnover above A$3m, plus listed kinds)",
        stages: &[
            stage(
                "assessment",
                "Assess the suspected breach (s 26WH)",
                "(internal)",
                Rule::Days(30),
                "within 30 days of reasonable grounds to suspect an eligible breach",
                Clock::Awareness,
            ),
            primary(stage(
                "statement",
                "Statement to the OAIC and notice to the individuals (s 26WK)",
                "OAIC and the individuals",
                Rule::NoFixed,
                "as soon as practicable after reasonable grounds to believe it is an eligible breach",
                Clock::Determination,
            )),
        ],
        content: "s 26WK(3): the entity's identity and contact details; a description of the breach; the kinds of information concerned; the steps recommended to individuals",
        notes: &[],
        sources: "[S84]",
    },
    RegimeSpec {
        id: "ca_pipeda",
        name: "Canada PIPEDA s 10.1",
        trigger: "a breach of security safeguards with a real risk of significant harm",
        stages: &[primary(stage(
            "opc",
            "Report to the OPC; notify the individuals and the organisations able to reduce the harm",
            "Office of the Privacy Commissioner; individuals; organisations able to mitigate",
            Rule::NoFixed,
            "as soon as feasible after determining that the breach occurred",
            Clock::Determination,
        ))],
        content: "SOR/2018-64 s 2: the circumstances and cause; the day or period; the personal information involved; (the research's excerpt is truncated here: the estimated number of people, the steps taken to reduce harm, the notification steps, a contact)",
        notes: &["Keep a record of every breach of security safeguards for 24 months, reported or not [S85]."],
        sources: "[S85] [S86]",
    },
    RegimeSpec {
        id: "br_lgpd",
        name: "Brazil LGPD Art. 48 and Resolution CD/ANPD 15/2024",
        trigger: "an incident that may bring risk or relevant damage: a significant effect on rights and one of sensitive data, minors or the elderly, financial data, authentication data, secrecy-protected data, or large scale. A leaked credential is authentication data",
        stages: &[
            primary(stage(
                "anpd",
                "Notify the ANPD and the data subjects",
                "ANPD and the data subjects",
                Rule::BusinessDays(3),
                "3 business days from knowledge that the incident involved personal data",
                Clock::Awareness,
            )),
            when(
                stage(
                    "anpd_small",
                    "Notify the ANPD and the data subjects (small processing agents)",
                    "ANPD and the data subjects",
                    Rule::BusinessDays(6),
                    "6 business days for small processing agents",
                    Clock::Awareness,
                ),
                "if you are a small processing agent",
            ),
            stage(
                "complement",
                "Complementary information to the ANPD",
                "ANPD",
                Rule::BusinessDays(20),
                "20 business days (counted here from the first notice; the research does not say from when: confirm with counsel)",
                Clock::Notification,
            ),
        ],
        content: "the ANPD's 12 topics for the authority and 7 for the data subjects (not itemised in our research)",
        notes: &["A public notice for at least 90 days if individual notice is impossible [S87]."],
        sources: "[S87]",
    },
];

/// A regime by id.
pub fn find(id: &str) -> Option<&'static RegimeSpec> {
    REGIMES.iter().find(|r| r.id == id)
}

/// The research's references for the tags the regimes cite (part "Sources").
pub const SOURCES: &[(&str, &str)] = &[
    ("[S63]", "EDPB Guidelines 9/2022 on personal data breach notification v2.0 (2023-03-28), via macwangrid and nomosparis."),
    ("[S64]", "GDPR Art. 33 text (gdprhub / gdpr-ccpa.org)."),
    ("[S65]", "GDPR Art. 34 text (overview.legal / gdprhub)."),
    ("[S66]", "ICO \"Report a personal data breach\" pages and online form."),
    ("[S67]", "ICO breach report form (Word version, via Scribd); ICO privacy notice (PECR 24 h)."),
    ("[S68]", "ICO Accountability Framework, \"Reporting processes\"."),
    ("[S69]", "NIS2 Directive (EU) 2022/2555 Art. 23 text (nis2-info.eu, digiturvamalli.fi, auditfront, sorena)."),
    ("[S70]", "Commission Implementing Regulation (EU) 2024/2690 Arts. 3, 4, 7 (springlex.eu)."),
    ("[S71]", "powerquant.eu NIS2 template."),
    ("[S72]", "identityfirst.net NIS2 timeline."),
    ("[S73]", "SEC Release 33-11216 / Form 8-K Item 1.05, via breachdocket and mktbolt."),
    ("[S74]", "KPMG, \"SEC finalizes cybersecurity rules\"; Hogan Lovells note on DOJ/FBI delay guidance."),
    ("[S75]", "45 CFR 164.408 guides (complydome, telehealthist)."),
    ("[S76]", "accountablehq HIPAA breach notification guides."),
    ("[S77]", "California SB 446 summaries (LCW, Pillsbury, dataprotectionreport, Daily Journal), Oct–Nov 2025."),
    ("[S78]", "Cal. Civ. Code §1798.150, via spirion / carperlawfirm."),
    ("[S79]", "Davis Wright Tremaine, Colorado breach summary; complianceiq Colorado page."),
    ("[S80]", "Washington AG, \"Washington's data breach notification laws\"."),
    ("[S81]", "Pepper Hamilton AG notice table (Fla. Stat. §501.171(3))."),
    ("[S82]", "Texas SB 768 (2023) enrolled text (legiscan); DataGuidance."),
    ("[S83]", "Singapore PDPA ss26B/26D (laws.sg); Baker McKenzie handbook; resguard (30-day expectation)."),
    ("[S84]", "Privacy Act 1988 (Cth) ss26WH, 26WK (zoelaw.ai); OAIC NDB guide excerpt."),
    ("[S85]", "OPC, \"What you need to know about mandatory reporting of breaches of security safeguards\" (2018, rev. 2021)."),
    ("[S86]", "Breach of Security Safeguards Regulations SOR/2018-64 (Canada Gazette; mondaq summary)."),
    ("[S87]", "Resolution CD/ANPD No. 15/2024, via Martinelli, Bastilho Coelho and Loeser e Hadad summaries."),
];
