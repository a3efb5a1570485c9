//! The triage summary, first on the page: the verdict and headline, the key times and facts,
//! the top findings, cost per day, links to the detail, and the downloads. Only what the report
//! holds.

use super::alerts::alert_note;
use crate::format;
use crate::ui::protocol::Export;
use crate::ui::state::{Action, Section, State};
use crate::ui::strings as s;
use crate::ui::view::ReportView;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Summary`].
#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    /// The state (the report, which sections are open).
    pub state: Rc<State>,
    /// Opens sections.
    #[prop_or_default]
    pub dispatch: Callback<Action>,
    /// A download asked for.
    #[prop_or_default]
    pub on_export: Callback<Export>,
}

/// The verdict on abuse from the detection's summary: (class, words).
pub fn verdict(r: &ReportView) -> (&'static str, &'static str) {
    let d = &r.detection;
    match r.summary.abuse.verdict.as_str() {
        "confirmed" => return ("abuse", s::VERDICT_CONFIRMED),
        "suspected" => return ("confirm", s::VERDICT_SUSPECTED),
        "not_seen" if d.events > 0 => return ("none", s::VERDICT_NONE),
        _ => {}
    }
    if !d.summary.abused_keys.is_empty() {
        ("abuse", s::VERDICT_ABUSE)
    } else if !d.summary.keys_to_confirm.is_empty() {
        ("confirm", s::VERDICT_CONFIRM)
    } else if d.events > 0 {
        ("none", s::VERDICT_NONE)
    } else {
        ("unknown", s::VERDICT_UNKNOWN)
    }
}

/// The summary.
#[component]
pub fn Summary(p: &SummaryProps) -> Html {
    let Some(r) = &p.state.report else {
        return html! {};
    };
    let d = &r.detection;
    let unknown_cost = unknown_cost_keys(r);
    let (vclass, vwords) = verdict(r);
    let when = r.generated_at.clone().unwrap_or_else(|| s::UNDATED.into());
    let sc = &r.scan;
    let export = |e: Export| p.on_export.reform(move |_: MouseEvent| e.clone());
    html! {
        <section id="summary" class="panel summary" aria-labelledby="summary-heading">
            <div class="section-head">
                <h2 id="summary-heading">{ s::TRIAGE_SUMMARY }</h2>
                <span class="spacer"></span>
                <span id="report-meta" class="report-meta">{ format!("{} ", s::REPORT_MADE) }<time>{ when }</time>
                    { format!(" · {} {}", r.tool.name, r.tool.version) }</span>
            </div>
            <div id="verdict" class={classes!("verdict", format!("verdict-{vclass}"))}>
                <strong class="verdict-word">{ vwords }</strong>
                if !r.summary.abuse.reasons.is_empty() {
                    <ul id="verdict-reasons" class="verdict-reasons">{ for r.summary.abuse.reasons.iter().map(|x| html! { <li>{ x }</li> }) }</ul>
                }
            </div>
            { glance(r, &p.dispatch) }
            <p id="fact-headline" class="headline">{ if r.summary.headline.is_empty() { &d.summary.headline } else { &r.summary.headline } }</p>
            { key_times(r) }
            <dl class="facts key-facts">
                if let Some(first) = &d.timeline.first_suspicious {
                    <dt>{ s::FACT_WINDOW }</dt>
                    <dd id="fact-window"><time>{ first }</time>{ " → " }<time>{ d.timeline.last_suspicious.clone().unwrap_or_default() }</time></dd>
                }
                if d.summary.abused_keys.iter().any(|k| k.compromise_start.is_some()) {
                    <dt>{ s::FACT_START }</dt>
                    <dd id="fact-start">{ for d.summary.abused_keys.iter().filter_map(|k| k.compromise_start.as_ref().map(|t| html! {
                        <span class="fact-line"><code>{ &k.key }</code>{ " " }<time>{ t }</time></span>
                    })) }</dd>
                }
                if d.cost.totals.cost_usd > 0.0 {
                    <dt>{ s::FACT_COST }</dt>
                    <dd id="fact-cost">{ format!("{} of {} in the evidence; the next 24 h at the current rate: {}",
                        super::cost::attacker(d.cost.attacker_cost_usd, &unknown_cost), format::usd(d.cost.totals.cost_usd), format::usd(d.cost.projected_next_24h_usd)) }</dd>
                }
                if !d.alerts.is_empty() || d.events > 0 {
                    <dt>{ s::FACT_ALERTS }</dt>
                    <dd id="fact-alerts">{ if d.alerts.is_empty() {
                        format!("{} usage events analysed; no usage alert", format::count(d.events))
                    } else {
                        format!("{} (usage alerts)", alert_note(&d.alerts))
                    } }</dd>
                }
                if !sc.secrets.is_empty() {
                    <dt>{ s::FACT_SECRETS }</dt>
                    <dd id="fact-secrets">{ format!("{} distinct in the text evidence; {} in git history; {} still present (at the newest commit or in a plain file)",
                        sc.secrets.len(), sc.secrets.iter().filter(|x| x.in_history).count(),
                        sc.secrets.iter().filter(|x| x.still_present == Some(true)).count()) }</dd>
                }
                if !d.timeline.attacker_ips.is_empty() {
                    <dt>{ s::FACT_IPS }</dt>
                    <dd id="fact-ips">{ d.timeline.attacker_ips.iter().take(6).map(|v| v.value.as_str()).collect::<Vec<_>>().join(", ") }</dd>
                }
            </dl>
            { top_findings(r) }
            <super::chart::CostByDay cost={d.cost.clone()} />
            <nav class="jump no-print" aria-label={s::DETAIL}>
                <span class="jump-label">{ format!("{}:", s::DETAIL) }</span>
                { for Section::ALL.iter().map(|sec| jump(*sec, r, &p.dispatch)) }
                <button id="open-all" type="button" class="link" onclick={p.dispatch.reform(|_: MouseEvent| Action::AllSections(true))}>{ s::OPEN_ALL }</button>
                <button id="close-all" type="button" class="link" onclick={p.dispatch.reform(|_: MouseEvent| Action::AllSections(false))}>{ s::CLOSE_ALL }</button>
            </nav>
            <div class="downloads no-print" role="group" aria-labelledby="downloads-label">
                <span id="downloads-label" class="jump-label">{ format!("{}:", s::DOWNLOAD) }</span>
                <button id="export-json" type="button" class="button secondary" onclick={export(Export::Json)}>{ s::DOWNLOAD_JSON }</button>
                <button id="export-markdown" type="button" class="button secondary" onclick={export(Export::Markdown)}>{ s::DOWNLOAD_MARKDOWN }</button>
                <button id="export-iocs" type="button" class="button secondary" onclick={export(Export::IocsCsv)}>{ s::DOWNLOAD_IOCS }</button>
                <button id="export-sarif" type="button" class="button secondary" onclick={export(Export::Sarif)}>{ s::DOWNLOAD_SARIF }</button>
            </div>
        </section>
    }
}

/// The incident's key times (UTC and local) and the durations between them, when the report
/// has its triage summary.
/// The abused keys none of whose rows carries a cost or tokens.
pub(crate) fn unknown_cost_keys(r: &ReportView) -> Vec<String> {
    r.detection
        .summary
        .abused_keys
        .iter()
        .filter(|k| k.attacker_cost_unknown)
        .map(|k| k.key.clone())
        .collect()
}

fn key_times(r: &ReportView) -> Html {
    let t = &r.summary.timeline;
    if t.is_empty() {
        return html! {};
    }
    html! {
        <>
        <h3>{ s::KEY_TIMES }</h3>
        <table id="key-times" class="grid key-times">
            <thead><tr>{ for s::KEY_TIME_COLUMNS.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr></thead>
            <tbody>{ for t.iter().map(|k| html! {
                <tr data-time={k.id.clone()} class={classes!(k.at.is_none().then_some("unknown"))}>
                    <th scope="row">{ &k.label }</th>
                    <td><time>{ k.at.clone().unwrap_or_else(|| "unknown".into()) }</time></td>
                    <td>{ k.local.clone().unwrap_or_default() }</td>
                    <td class="note">{ &k.source }</td>
                </tr>
            }) }</tbody>
        </table>
        if !r.summary.durations.is_empty() {
            <p id="durations" class="note">{ r.summary.durations.iter().map(|d| format!("{}: {}", d.label, d.text)).collect::<Vec<_>>().join(" · ") }</p>
        }
        </>
    }
}

/// A link to one section of the detail, which opens it.
pub(crate) fn jump(sec: Section, r: &ReportView, dispatch: &Callback<Action>) -> Html {
    let d = &r.detection;
    let (title, n) = match sec {
        Section::Checklist if r.checklist.total == 0 => return html! {},
        Section::Notifications if r.notifications.available.is_empty() => return html! {},
        Section::Checklist => (s::CHECKLIST, Some(r.checklist.remaining as usize)),
        Section::Notifications => (s::NOTIFICATIONS, Some(r.notifications.drafts.len())),
        Section::Findings => (s::FINDINGS, Some(r.scan.secrets.len())),
        Section::Alerts => (s::ALERTS, Some(d.alerts.len())),
        Section::Timeline => (s::TIMELINE, Some(d.timeline.entries_total as usize)),
        Section::Charts => (s::CHARTS, None),
        Section::Cost => (s::COST, None),
        Section::Agent if r.agent.is_empty() => return html! {},
        Section::Agent => (s::AGENT, Some(r.agent.actions.len())),
        Section::Hunts if r.hunts.is_empty() => return html! {},
        Section::Hunts => (s::HUNTS, Some(r.hunts.len())),
    };
    let text = match n {
        Some(n) => format!("{title} ({n})"),
        None => title.to_string(),
    };
    html! {
        <a class="jump-link" href={format!("#{}", sec.id())} onclick={dispatch.reform(move |_: MouseEvent| Action::SectionOpen(sec, true))}>{ text }</a>
    }
}

/// The engine's top findings (alerts and leaked secrets, most severe first).
fn top_findings(r: &ReportView) -> Html {
    let t = &r.summary.top_findings;
    if t.is_empty() {
        return html! {};
    }
    html! {
        <>
        <h3>{ s::TOP_FINDINGS }</h3>
        <ol id="top-findings" class="top-findings">
            { for t.iter().take(6).map(|f| html! {
                <li data-id={f.id.clone()}><span class={classes!("badge", format!("sev-{}", f.severity))}>{ &f.severity }</span>{ " " }
                    <strong>{ &f.title }</strong>{ ": " }{ &f.detail }</li>
            }) }
        </ol>
        if r.summary.findings_total > 6 {
            <p class="note">{ format!("{} findings of medium severity or above in all: see the sections below.", r.summary.findings_total) }</p>
        }
        </>
    }
}

/// Revocations shown in the Do now list (the rest are one link away).
const DO_NOW_SHOWN: usize = 3;

/// At a glance: the key numbers, what to do now and the incident picture, each number and
/// item linking to its detail.
fn glance(r: &Rc<ReportView>, dispatch: &Callback<Action>) -> Html {
    let g = &r.summary;
    // The first revocations and the nearest deadline; the rest are in the blast radius.
    let revokes = g.do_now.iter().filter(|d| d.id.starts_with("revoke."));
    let shown: Vec<_> = revokes
        .clone()
        .take(DO_NOW_SHOWN)
        .chain(g.do_now.iter().filter(|d| !d.id.starts_with("revoke.")))
        .collect();
    let more = revokes.count().saturating_sub(DO_NOW_SHOWN);
    let link = |section: &str| {
        let sec = Section::ALL.iter().copied().find(|x| x.id() == section);
        let href = format!("#{section}");
        match sec {
            Some(sec) => (
                href,
                dispatch.reform(move |_: MouseEvent| Action::SectionOpen(sec, true)),
            ),
            None => (href, Callback::noop()),
        }
    };
    html! {
        <div id="glance" class="glance">
            if !g.key_numbers.is_empty() {
                <dl id="key-numbers" class="key-numbers">{ for g.key_numbers.iter().map(|k| {
                    let (href, onclick) = link(&k.section);
                    html! {
                        <div class="key-number" data-id={k.id.clone()} title={k.detail.clone().unwrap_or_default()}>
                            <dt>{ &k.label }</dt>
                            <dd><a class="number" {href} {onclick}>{ &k.value }</a>
                                if let Some(d) = &k.detail { <span class="muted">{ d }</span> }
                            </dd>
                        </div>
                    }
                }) }</dl>
            }
            <div class="glance-row">
                if !g.do_now.is_empty() {
                    <div class="do-now">
                        <h3 id="do-now-heading">{ s::DO_NOW }</h3>
                        <ol id="do-now" aria-labelledby="do-now-heading">{ for shown.iter().map(|d| {
                            let (href, onclick) = link(&d.section);
                            html! { <li data-id={d.id.clone()} title={d.text.clone()}><strong>{ if d.action.is_empty() { &d.text } else { &d.action } }</strong>
                                { " " }<a class="detail-link" {href} {onclick}>{ s::DETAIL_LINK }</a>
                                if let Some(at) = &d.at { <span class="do-at">{ at }</span> }
                            </li> }
                        }) }</ol>
                        if more > 0 {
                            <p class="note"><a href="#blast-radius">{ format!("{more} more to revoke: the blast radius") }</a></p>
                        }
                    </div>
                }
                <super::incident::IncidentPicture report={r.clone()} />
            </div>
        </div>
    }
}
