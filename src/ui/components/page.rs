//! The whole page, drawn from the state alone (so it renders natively in tests).

use super::{
    AgentPanel, AlertsPanel, Charts, ChecklistPanel, CostPanel, DropZone, EvidenceList,
    FindingsPanel, FocusForm, HuntsPanel, NotificationsPanel, ProgressPanel, ScopePanel, Summary,
    TimelinePanel,
};
use crate::format;
use crate::ui::protocol::Export;
use crate::ui::state::{Action, Section, State};
use crate::ui::strings as s;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Page`]: the state and one callback per thing the responder can do.
#[derive(Properties, PartialEq)]
pub struct PageProps {
    /// The state.
    pub state: Rc<State>,
    /// Files or folders dropped.
    pub on_drop: Callback<DragEvent>,
    /// Files picked.
    pub on_pick: Callback<Event>,
    /// Demo requested.
    pub on_demo: Callback<MouseEvent>,
    /// Cancel pressed.
    pub on_cancel: Callback<MouseEvent>,
    /// Remove all pressed.
    pub on_clear: Callback<MouseEvent>,
    /// Page-only actions (sorting, filtering, opening details, the theme).
    pub dispatch: Callback<Action>,
    /// A known key to search for.
    pub on_known_key: Callback<String>,
    /// Reveal one secret's value on screen.
    pub on_reveal: Callback<String>,
    /// A compromise start for every key (RFC 3339), or `None` to let the engine estimate it.
    pub on_start: Callback<Option<String>>,
    /// A column mapping for an unknown CSV: (file SHA-256, mapping).
    pub on_mapping: Callback<(String, crate::evidence::ColumnMapping)>,
    /// A download asked for (made by the worker from the latest report).
    pub on_export: Callback<Export>,
    /// A session file picked.
    pub on_open_session: Callback<Event>,
    /// A change to the responder's context (a JSON merge patch): checklist, regimes, times.
    #[prop_or_default]
    pub on_patch: Callback<serde_json::Value>,
    /// The blast-radius questionnaire's answers (the worker assesses again).
    pub on_answers: Callback<crate::scope::Answers>,
}

/// The page.
#[component]
pub fn Page(p: &PageProps) -> Html {
    let st = &p.state;
    let (done, total) = st.progress();
    let open = |sec: Section| st.open_sections.contains(&sec);
    let include = p
        .dispatch
        .reform(|e: Event| Action::IncludeFiles(super::checklist::checked(&e)));
    let include_files = st.include_files;
    let on_answers = {
        let dispatch = p.dispatch.clone();
        let send = p.on_answers.clone();
        Callback::from(move |a: crate::scope::Answers| {
            dispatch.emit(Action::AnswersGiven(a.clone()));
            send.emit(a);
        })
    };
    html! {
        <>
        <a class="skip-link" href="#content">{ s::SKIP_TO_REPORT }</a>
        <header class={classes!("top", st.report.is_some().then_some("has-report"))}>
            <div class="title-row">
                <div class="title">
                    <h1>{ s::APP_NAME }</h1>
                    <p class="tagline">{ s::TAGLINE }</p>
                </div>
                <span class="spacer"></span>
                <div class="toolbar no-print">
                    <input id="session-input" class="visually-hidden" type="file" accept=".json,application/json" onchange={p.on_open_session.clone()} />
                    <label for="session-input" class="button secondary">{ s::OPEN_SESSION }</label>
                    if st.report.is_some() {
                        <span class="save-session">
                            <button id="save-session" type="button" class="button secondary"
                                onclick={p.on_export.reform(move |_: MouseEvent| Export::Session { include_files })}>{ s::SAVE_SESSION }</button>
                            <input id="include-files" type="checkbox" checked={st.include_files} onchange={include} />
                            <label for="include-files">{ s::INCLUDE_FILES }</label>
                        </span>
                    }
                    <button id="theme-toggle" type="button" class="button secondary" aria-pressed={st.dark().to_string()}
                        onclick={p.dispatch.reform(|_: MouseEvent| Action::ToggleTheme)}>{ s::DARK_THEME }</button>
                </div>
            </div>
            <p id="privacy" class="privacy">{ s::PRIVACY }</p>
        </header>
        <div id="content" tabindex="-1">
        if let Some(err) = &st.engine_error {
            <p id="engine-error" class="error" role="alert">{ format!("{}: {err}", s::ENGINE_FAILED) }</p>
        }
        if let Some(n) = &st.notice {
            <p id="notice" class="notice" role="status">{ n }
                <button type="button" class="link" onclick={p.dispatch.reform(|_: MouseEvent| Action::Notice(None))}>{ "dismiss" }</button>
            </p>
        }
        { session_check(st) }
        <DropZone on_drop={p.on_drop.clone()} on_pick={p.on_pick.clone()} on_demo={p.on_demo.clone()} compact={st.report.is_some()} />
        <FocusForm on_patch={p.on_patch.clone()} focused={st.report.as_ref().is_some_and(|r| r.totals.focus.is_some())} />
        if st.busy() {
            <ProgressPanel {done} {total} on_cancel={p.on_cancel.clone()} />
        }
        if let Some(f) = st.report.as_ref().and_then(|r| r.totals.focus.as_ref()) {
            <p id="focus-note" class="notice" role="note">{ &f.said }</p>
        }
        if let Some(r) = &st.report {
            <nav id="section-index" class="section-index no-print" aria-label={s::SECTION_INDEX}>
                <a href="#summary">{ s::TRIAGE_SUMMARY }</a>
                { for Section::ALL.iter().map(|sec| super::summary::jump(*sec, r, &p.dispatch)) }
                <a href="#blast-radius">{ s::BLAST_RADIUS }</a>
                <a href="#evidence-heading">{ s::EVIDENCE }</a>
            </nav>
            <Summary state={st.clone()} dispatch={p.dispatch.clone()} on_export={p.on_export.clone()} />
            <ChecklistPanel checklist={r.checklist.clone()} open={open(Section::Checklist)} dispatch={p.dispatch.clone()}
                remaining_only={st.remaining_only} on_patch={p.on_patch.clone()} />
            <NotificationsPanel notifications={r.notifications.clone()} open={open(Section::Notifications)} dispatch={p.dispatch.clone()}
                on_patch={p.on_patch.clone()} awareness={r.summary.timeline.iter().find(|k| k.id == "awareness").and_then(|k| k.at.clone())} />
            <AgentPanel agent={Rc::new(r.agent.clone())} open={open(Section::Agent)} dispatch={p.dispatch.clone()} on_export={p.on_export.clone()} />
            <ScopePanel scope={Rc::new(r.scope.clone())} answers={st.answers.clone()} {on_answers} />
            <FindingsPanel state={st.clone()} dispatch={p.dispatch.clone()} on_known_key={p.on_known_key.clone()} on_reveal={p.on_reveal.clone()} on_patch={p.on_patch.clone()} />
            <AlertsPanel state={st.clone()} dispatch={p.dispatch.clone()} on_start={p.on_start.clone()} />
            <TimelinePanel timeline={r.detection.timeline.clone()} open={open(Section::Timeline)} dispatch={p.dispatch.clone()} />
            <Charts charts={r.detection.charts.clone()} open={open(Section::Charts)} dispatch={p.dispatch.clone()} />
            <CostPanel cost={r.detection.cost.clone()} unknown_for={super::summary::unknown_cost_keys(r)} open={open(Section::Cost)} dispatch={p.dispatch.clone()} />
            <HuntsPanel hunts={Rc::new(r.hunts.clone())} open={open(Section::Hunts)} dispatch={p.dispatch.clone()} />
        }
        <section class="evidence-section panel" aria-labelledby="evidence-heading">
            <div class="section-head">
                <h2 id="evidence-heading">{ s::EVIDENCE }</h2>
                if let Some(r) = &st.report {
                    <span id="totals" class="muted">
                        { format!("{}: {} files, {}, {} records, {} problems",
                            s::TOTALS, format::count(r.totals.files), format::bytes(r.totals.bytes),
                            format::count(r.totals.records), format::count(r.totals.problems)) }
                        if let Some((read, analyse, stages)) = st.timing {
                            <span id="timing" data-read-ms={format!("{read:.0}")} data-analyse-ms={format!("{analyse:.0}")}
                                data-parse-ms={format!("{:.0}", stages.read_ms)} data-detect-ms={format!("{:.0}", stages.detect_ms)}
                                data-scan-ms={format!("{:.0}", stages.scan_ms)} data-scanned-bytes={stages.scanned_bytes.to_string()}
                                data-matched-elsewhere={stages.matched_elsewhere.to_string()}>
                                { format!(" · read in {:.1} s, analysed in {:.1} s", read / 1000.0, analyse / 1000.0) }
                            </span>
                        }
                    </span>
                }
                <span class="spacer"></span>
                if !st.rows.is_empty() {
                    <button id="clear" type="button" class="button secondary" onclick={p.on_clear.clone()}>{ s::CLEAR }</button>
                }
            </div>
            <EvidenceList rows={st.rows.clone()} open={st.open_problems} on_toggle={p.dispatch.reform(Action::ToggleProblems)}
                open_mapping={st.open_mapping} on_toggle_mapping={p.dispatch.reform(Action::ToggleMapping)} on_mapping={p.on_mapping.clone()} />
        </section>
        </div>
        </>
    }
}

/// After a session was opened: which of its files are here, missing or different.
fn session_check(st: &State) -> Html {
    let Some(c) = st.session_check() else {
        return html! {};
    };
    let expected = c.matched + c.missing.len() + c.different.len();
    html! {
        <section id="session-check" class={classes!("notice", (!c.complete()).then_some("incomplete"))} aria-live="polite">
            <strong>{ format!("{}: ", s::SESSION_OPENED) }</strong>
            if c.complete() {
                { s::SESSION_COMPLETE }
            } else {
                { format!("{} of {expected} evidence files here.", c.matched) }
                if !c.missing.is_empty() {
                    <p class="note">{ format!("{}:", s::SESSION_MISSING) }</p>
                    <ul id="session-missing">{ for c.missing.iter().map(|m| html! {
                        <li><code>{ &m.name }</code>{ format!(" ({}, SHA-256 ", format::bytes(m.size)) }<code class="sha256">{ &m.sha256 }</code>{ ")" }</li>
                    }) }</ul>
                }
                if !c.different.is_empty() {
                    <p class="note">{ format!("{}:", s::SESSION_DIFFERENT) }</p>
                    <ul id="session-different">{ for c.different.iter().map(|d| html! {
                        <li><code>{ &d.expected.name }</code>{ ": now " }<code class="sha256">{ &d.got.sha256 }</code>{ ", in the session " }<code class="sha256">{ &d.expected.sha256 }</code></li>
                    }) }</ul>
                }
            }
        </section>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::ui::state::{Action, NewFile};
    use crate::{triage, Context, Input};

    fn props(state: State) -> PageProps {
        PageProps {
            state: Rc::new(state),
            on_drop: Callback::noop(),
            on_pick: Callback::noop(),
            on_demo: Callback::noop(),
            on_cancel: Callback::noop(),
            on_clear: Callback::noop(),
            dispatch: Callback::noop(),
            on_known_key: Callback::noop(),
            on_reveal: Callback::noop(),
            on_mapping: Callback::noop(),
            on_start: Callback::noop(),
            on_export: Callback::noop(),
            on_open_session: Callback::noop(),
            on_patch: Callback::noop(),
            on_answers: Callback::noop(),
        }
    }

    async fn render(state: State) -> String {
        yew::LocalServerRenderer::<Page>::with_props(props(state))
            .hydratable(false)
            .render()
            .await
    }

    fn analysed_state(files: &[(&str, &[u8])]) -> State {
        analysed_state_with(files, &Context::default())
    }

    /// A state after one job over `files` analysed under `ctx`.
    fn analysed_state_with(files: &[(&str, &[u8])], ctx: &Context) -> State {
        let mut st = State::default();
        let nf = files
            .iter()
            .enumerate()
            .map(|(i, (n, b))| NewFile {
                id: i as u32 + 1,
                name: n.to_string(),
                size: b.len() as u64,
            })
            .collect();
        st.apply(Action::Queue { job: 1, files: nf });
        let inputs: Vec<Input> = files
            .iter()
            .map(|(n, b)| Input::new(*n, b.to_vec()))
            .collect();
        let json: Rc<str> = triage(&inputs, ctx).to_json().into();
        let report = Rc::new(crate::ui::view::ReportView::from_json(&json).unwrap());
        st.apply(Action::Report {
            job: 1,
            ids: (1..=files.len() as u32).collect(),
            report,
            json,
        });
        st
    }

    fn demo_state() -> State {
        let files = crate::demo::files();
        let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        let ctx = Context {
            now: Some("2026-11-23T10:00:00Z".parse().unwrap()),
            ..Context::default()
        };
        analysed_state_with(&files, &ctx)
    }

    /// A repository's thousands of sources dropped with a usage export after them: the table
    /// of at most 1,000 rows draws the export and counts the sources it leaves out.
    #[tokio::test]
    async fn past_the_tables_rows_the_files_of_note_are_drawn_first() {
        use crate::ui::components::evidence_list::MAX_ROWS;
        let sources: Vec<(String, Vec<u8>)> = (0..MAX_ROWS + 5)
            .map(|i| (format!("src/f{i:04}.rs"), b"fn main() {}\n".to_vec()))
            .collect();
        let usage =
            b"timestamp,api_key_prefix,model,input_tokens,output_tokens,cost_usd,ip,user_agent\n\
2026-11-16T02:13:00Z,sk-proj-abc,gpt-4o,10,20,0.01,203.0.113.9,curl/8\n"
                .to_vec();
        let mut files: Vec<(&str, &[u8])> =
            sources.iter().map(|(n, b)| (n.as_str(), &b[..])).collect();
        files.push(("usage.csv", &usage));
        let html = render(analysed_state(&files)).await;
        assert!(
            html.contains("data-name=\"usage.csv\""),
            "the export is drawn"
        );
        assert!(html.contains("data-name=\"src/f0000.rs\""));
        assert!(!html.contains(&format!("data-name=\"src/f{:04}.rs\"", MAX_ROWS - 1)));
        assert_eq!(html.matches(" data-bytes=").count(), MAX_ROWS);
        assert!(html.contains(&format!("6 {}", crate::ui::strings::MORE_ROWS)));
    }

    #[tokio::test]
    async fn the_demo_reads_like_a_report_summary_first_detail_on_demand() {
        let html = render(demo_state()).await;
        let at = |needle: &str| {
            html.find(needle)
                .unwrap_or_else(|| panic!("no {needle}: {html}"))
        };
        // The skip link comes first; the summary before every section, the evidence last.
        assert!(at("<a href=\"#content\" class=\"skip-link\">") < at("<h1>"));
        assert!(at("id=\"summary\"") < at("id=\"findings\""));
        assert!(at("id=\"findings\"") < at("id=\"alerts\""));
        assert!(at("id=\"cost\"") < at("id=\"evidence-heading\""));
        assert!(
            html.contains(s::VERDICT_CONFIRMED),
            "the engine's verdict: {html}"
        );
        assert!(at("id=\"summary\"") < at("id=\"checklist\""));
        assert!(at("id=\"checklist\"") < at("id=\"notifications\""));
        assert!(html.contains("id=\"export-markdown\"") && html.contains("id=\"export-iocs\""));
        assert!(
            html.contains("<time>2026-11-23T10:00:00Z</time> · leaktriage 0.1.0"),
            "{html}"
        );
        assert!(html.contains("id=\"cost-by-day\""));
        assert!(html.contains("id=\"top-findings\""));
        assert!(html.contains("id=\"export-sarif\"") && html.contains("id=\"save-session\""));
        assert!(html.contains("aria-pressed=\"false\""), "light by default");
        // Sections are closed until opened; "open all" opens every one.
        // Seven sections and the hunts.
        assert_eq!(html.matches("class=\"panel fold\"").count(), 8, "{html}");
        assert!(at("id=\"cost\"") < at("id=\"hunts\""));
        assert!(!html.contains("open=\"open\""), "{html}");
        let mut st = demo_state();
        st.apply(Action::AllSections(true));
        st.apply(Action::ToggleTheme);
        let open = render(st).await;
        assert_eq!(
            open.matches("open=\"open\" class=\"panel fold\"").count(),
            8,
            "{open}"
        );
        assert!(open.contains("aria-pressed=\"true\""));
        assert!(!open.contains("style="), "no inline styles under the CSP");
    }

    #[tokio::test]
    async fn the_checklist_and_the_drafts_render_from_the_report_and_are_editable() {
        let json = r#"{"schema_version":2,"evidence":[],"totals":{"files":0,"bytes":0,"records":0,"problems":0},
          "summary":{"headline":"Abuse confirmed: x.","abuse":{"verdict":"confirmed","reasons":["persistence (A010)"]},
            "timeline":[{"id":"awareness","label":"Organisation aware","at":"2026-11-19T08:30:00Z","local":"2026-11-19 09:30 UTC+01:00","source":"context"}]},
          "checklist":{"total":2,"done":1,"not_applicable":0,"remaining":1,"phases":[{"id":"phase0","title":"Phase 0: the first 15 minutes","source":"the 24-hour incident playbook","remaining":1,
            "items":[{"id":"p0.revoke","text":"Revoke the key","status":"done","status_from":"evidence","evidence":"revoked at 08:52"},
                     {"id":"p0.channel","text":"Open a channel","status":"not_done","status_from":"default"}]}]},
          "notifications":{"picked_by":"responder","available":[{"id":"gdpr_art33","name":"GDPR Art. 33"},{"id":"nis2","name":"NIS2"}],
            "drafts":[{"id":"gdpr_art33","name":"GDPR Art. 33","applies":"for counsel","disclaimer":"A draft for counsel.","text":"Draft text",
              "deadlines":[{"id":"gdpr_art33.authority","what":"Notify the authority","rule":"72 hours","due_at":"2026-11-22T08:30:00Z",
                "due_local":"2026-11-22 09:30 UTC+01:00","remaining_seconds":149400,"status":"open","text":"due"}],
              "fields":[{"id":"a_subjects","label":"(a) Number of data subjects","value":"[UNKNOWN: how many]","known":false}]}]}}"#;
        let mut st = State::default();
        st.apply(Action::Report {
            job: 0,
            ids: vec![],
            report: Rc::new(crate::ui::view::ReportView::from_json(json).unwrap()),
            json: json.into(),
        });
        st.apply(Action::AllSections(true));
        let html = render(st.clone()).await;
        assert!(html.contains(s::VERDICT_CONFIRMED), "{html}");
        assert!(html.contains("id=\"key-times\"") && html.contains("2026-11-19 09:30 UTC+01:00"));
        assert!(html.contains("1 of 2 remain (1 done, 0 n/a)"), "{html}");
        assert!(html.contains("id=\"ck-p0-revoke\""), "{html}");
        assert!(html.contains("<option value=\"done\" selected"), "{html}");
        assert!(html.contains("Evidence: revoked at 08:52"));
        // (`checked` is a property, set in the browser; the server renderer does not write it.)
        assert!(html.contains("id=\"regime-gdpr_art33\"") && html.contains("id=\"regime-nis2\""));
        assert!(
            html.contains("2026-11-22 09:30 UTC+01:00") && html.contains("1 d 17 h 30 min left")
        );
        assert!(html.contains("class=\"unknown\"") && html.contains("A draft for counsel."));
        assert!(
            html.contains("value=\"2026-11-19T08:30\""),
            "the awareness in force: {html}"
        );
        st.apply(Action::RemainingOnly(true));
        let remaining = render(st).await;
        assert!(
            !remaining.contains("id=\"ck-p0-revoke\"")
                && remaining.contains("id=\"ck-p0-channel\"")
        );
    }

    #[tokio::test]
    async fn a_focused_report_says_what_it_set_aside_and_offers_to_clear_it() {
        let files = crate::demo::files();
        let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        let ctx = Context {
            focus: vec!["AKIANOTINTHEDEMO0001".into()],
            ..Context::default()
        };
        let html = render(analysed_state_with(&files, &ctx)).await;
        assert!(html.contains("id=\"focus-note\""), "{html}");
        assert!(html.contains("Focused on AKIANOTINTHEDEMO0001: 0 event(s) kept"));
        assert!(html.contains("No event named a focused credential"));
        assert!(html.contains("id=\"focus-clear\""));
        let plain = render(demo_state()).await;
        assert!(plain.contains("id=\"focus-form\""));
        assert!(!plain.contains("focus-note") && !plain.contains("focus-clear"));
    }

    #[tokio::test]
    async fn empty_page_offers_picker_demo_and_the_privacy_statement() {
        let html = render(State::default()).await;
        assert!(html.contains("id=\"file-input\""), "{html}");
        assert!(html.contains("webkitdirectory"), "{html}");
        assert!(html.contains(s::LOAD_DEMO));
        assert!(
            html.contains("id=\"focus-names\""),
            "the focus can be set before a drop"
        );
        assert!(html.contains("Nothing is uploaded, stored or sent anywhere"));
        assert!(html.contains(s::NO_EVIDENCE));
        assert!(
            !html.contains("style="),
            "no inline styles under the CSP: {html}"
        );
    }

    /// The page shows no value of any catalog rule's shape beyond the redaction policy (its
    /// public prefix and last 4; an identifier whole and labelled), and an AWS key pair as one
    /// finding with both parts.
    #[tokio::test]
    async fn the_page_shows_every_rules_values_as_the_policy_allows() {
        use crate::scan::fake::{generate, Rng};
        let mut rng = Rng::new(41);
        let (mut env, mut values) = crate::testkit::every_rule_planted(&mut rng);
        let id = generate("AKIA{b32:16}", &mut rng).secret;
        let secret = generate("{b64:40}", &mut rng).secret;
        let pair_file = format!("aws_access_key_id = {id}\naws_secret_access_key = {secret}\n");
        env.push_str(&pair_file);
        values.push(secret);
        let st = analysed_state(&[("prod.env", env.as_bytes())]);
        let n = st.report.as_ref().map_or(0, |r| r.scan.secrets.len());
        assert!(n > 100, "{n} findings");
        // An AWS key pair alone, its details open: they add its partner (the rest of a
        // finding's details is not a value: what it can do, its fingerprint, its places).
        let mut one = analysed_state(&[("credentials", pair_file.as_bytes())]);
        let fp = one
            .report
            .as_ref()
            .map(|r| r.scan.secrets[0].fingerprint.clone());
        one.apply(Action::ToggleSecret(fp.expect("one finding")));
        let pages = [render(st).await, render(one).await];
        for html in &pages {
            if let Some((n, what)) = crate::testkit::overexposed_any(html, &values).pop() {
                panic!(
                    "the page shows {what} of {}",
                    crate::secret::redact(&values[n])
                );
            }
        }
        let pair = &pages[1];
        assert!(
            pair.contains(s::PAIR),
            "an open pair says it is one credential"
        );
        assert!(pair.contains(&id), "the key id is shown whole");
        assert!(pair.contains("class=\"badge identifier\""));
    }

    /// A key found only on a line the repository marked `gitleaks:allow` is shown, with a
    /// badge saying so, at low confidence; its details say which line carries the mark.
    #[tokio::test]
    async fn a_key_marked_gitleaks_allow_is_shown_with_its_mark() {
        use crate::scan::fake::{generate, Rng};
        let rng = &mut Rng::new(43);
        let marked = generate("sk-proj-{b64u:74}T3BlbkFJ{b64u:74}", rng).secret;
        let plain = generate("sk-proj-{b64u:74}T3BlbkFJ{b64u:74}", rng).secret;
        let text = format!("A={marked} # gitleaks:allow\nB={plain}\n");
        let mut st = analysed_state(&[("keys.env", text.as_bytes())]);
        let secrets = st.report.as_ref().map(|r| r.scan.secrets.clone()).unwrap();
        assert_eq!(secrets.len(), 2);
        let fp = secrets
            .iter()
            .find(|f| f.marked_allowed)
            .map(|f| f.fingerprint.clone());
        let html = render(st.clone()).await;
        assert_eq!(
            html.matches("class=\"badge marked-allowed\"").count(),
            1,
            "{html}"
        );
        assert!(html.contains("confidence low"), "{html}");
        st.apply(Action::ToggleSecret(fp.expect("the marked finding")));
        let open = render(st).await;
        assert!(open.contains("(line marked gitleaks:allow)"), "{open}");
    }

    #[tokio::test]
    async fn analysed_files_show_size_hash_kind_and_records() {
        let html = render(analysed_state(&[
            ("notes.txt", b"hello\nworld"),
            ("empty.csv", b""),
        ]))
        .await;
        assert!(
            html.contains("26c60a61d01db5836ca70fefd44a6a016620413c8ef5f259a6c5612d4f79d3b8"),
            "{html}"
        );
        assert!(html.contains("data-name=\"notes.txt\""));
        assert!(html.contains("data-bytes=\"11\""));
        assert!(html.contains(">text<"), "{html}");
        assert!(html.contains("empty file: nothing to read"));
        assert!(html.contains("Totals: 2 files"));
        assert!(html.contains("id=\"export-json\""));
    }

    /// An alert opened names what its rows created or changed, and a destruction alert what
    /// they deleted, each under its own words.
    #[tokio::test]
    async fn an_opened_alert_names_what_was_made_or_deleted() {
        let text = include_bytes!("../../../tests/fixtures/evidence/cloudtrail/destroyed.json");
        let mut st = analysed_state(&[("destroyed.json", text)]);
        let closed = render(st.clone()).await;
        assert!(!closed.contains("note targets"), "{closed}");
        for (id, words, what) in [
            (
                "A001",
                crate::ui::strings::CREATED_OR_CHANGED,
                "s3_bucket example-archive-bucket, s3_bucket example-public-bucket",
            ),
            (
                "A002",
                crate::ui::strings::DELETED,
                "s3_bucket example-archive-bucket",
            ),
        ] {
            st.apply(Action::SelectAlert(id.into()));
            let open = render(st.clone()).await;
            assert!(
                open.contains(&format!("<p class=\"note targets\">{words} {what}</p>")),
                "{id}: {open}"
            );
            st.apply(Action::SelectAlert(id.into()));
        }
    }

    #[tokio::test]
    async fn problems_open_on_request() {
        let mut st = analysed_state(&[("latin1.csv", b"a,b\ncaf\xe9,1\n")]);
        let closed = render(st.clone()).await;
        assert!(
            closed.contains("show-problems") && !closed.contains("problem-list"),
            "{closed}"
        );
        st.apply(Action::ToggleProblems(1));
        let open = render(st).await;
        assert!(
            open.contains("problem-list") && open.contains("line 2:"),
            "{open}"
        );
        assert!(open.contains("invalid UTF-8"));
    }

    #[tokio::test]
    async fn an_unknown_csv_offers_a_column_mapping_prefilled_from_its_header() {
        let csv: &[u8] = b"When (UTC),Key Label,Engine,Prompt Tok,Completion Tok,Charge\n2026-01-01T03:00:00Z,team-a,gpt-4o,100,20,0.001\n";
        let mut st = analysed_state(&[("gw.csv", csv)]);
        let closed = render(st.clone()).await;
        assert!(
            closed.contains("map-columns") && !closed.contains("class=\"mapping\""),
            "{closed}"
        );
        st.apply(Action::ToggleMapping(1));
        let open = render(st).await;
        assert!(open.contains("id=\"map-timestamp\""), "{open}");
        assert!(
            open.contains("<option value=\"When (UTC)\" selected"),
            "the time column is guessed: {open}"
        );
        assert!(open.contains("<option value=\"Engine\" selected"), "{open}");
    }

    #[tokio::test]
    async fn progress_and_failures_are_shown_per_row() {
        let mut st = State::default();
        st.apply(Action::Queue {
            job: 1,
            files: vec![
                NewFile {
                    id: 1,
                    name: "huge.json".into(),
                    size: 2 << 30,
                },
                NewFile {
                    id: 2,
                    name: "b.csv".into(),
                    size: 100,
                },
            ],
        });
        st.apply(Action::FileFailed {
            job: 1,
            id: 1,
            message: crate::ui::protocol::size_refusal(2 << 30, 0).unwrap_or_default(),
        });
        st.apply(Action::Progress {
            job: 1,
            id: 2,
            done: 50,
        });
        let html = render(st).await;
        assert!(html.contains("id=\"progress-bar\""), "{html}");
        assert!(html.contains("id=\"cancel\""));
        assert!(
            html.contains("too large to analyse in the page (2.0 GiB"),
            "{html}"
        );
        assert!(html.contains("reading 50%"));
    }

    #[tokio::test]
    async fn the_demo_shows_the_blast_radius_with_its_questionnaire() {
        let files = crate::demo::files();
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        let html = render(analysed_state(&refs)).await;
        assert!(html.contains("id=\"blast-radius\""), "{html}");
        assert!(html.contains("id=\"scope-form\""));
        assert!(html.contains(s::BLAST_RADIUS));
    }

    /// CloudTrail alone carries no cost: the cost panel says unknown, for the whole and per key,
    /// and never shows $0.00 for it.
    #[tokio::test]
    async fn a_cloudtrail_only_incident_shows_its_cost_as_unknown_never_zero() {
        let files = crate::demo::files();
        let trail = files
            .iter()
            .find(|(n, _)| n.starts_with("cloudtrail"))
            .expect("the demo's CloudTrail");
        let mut st = analysed_state(&[(trail.0, trail.1.as_slice())]);
        st.open_sections.insert(crate::ui::state::Section::Cost);
        let html = render(st).await;
        let cost = &html[html.find("id=\"attacker-cost\"").expect("cost panel")..];
        assert!(
            cost.contains("unknown"),
            "{}",
            &cost[..cost.len().min(2000)]
        );
        let row = &cost[cost
            .find("data-cost-unknown=\"true\"")
            .expect("a key with no cost data")..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(!row.contains("$0.00"), "{row}");
        assert!(row.contains("unknown (no cost or token data)"), "{row}");
    }

    /// Agent logs give the agent panel: the sessions to freeze, the chain-hop graph, the action
    /// log and the connections to kill (real samples: two Claude Code transcripts and a Claude
    /// Desktop MCP log).
    #[tokio::test]
    async fn agent_logs_show_the_sessions_the_graph_and_the_action_log() {
        let files: [(&str, &[u8]); 3] = [
            (
                "task-parent.jsonl",
                include_bytes!("../../../tests/fixtures/agent/claude-code-transcript-spotter-task-parent-lines.jsonl"),
            ),
            (
                "edit-gitcommit.jsonl",
                include_bytes!("../../../tests/fixtures/agent/claude-code-transcript-spotter-edit-gitcommit-lines.jsonl"),
            ),
            (
                "mcp-server-filesystem.log",
                include_bytes!("../../../tests/fixtures/agent/claude-desktop-mcp-server-filesystem-log-excerpt-a.log"),
            ),
        ];
        let closed = render(analysed_state(&files)).await;
        assert!(closed.contains("id=\"agent\""), "{closed}");
        assert!(
            closed.contains("href=\"#agent\""),
            "the summary links to it: {closed}"
        );
        let mut st = analysed_state(&files);
        st.open_sections.insert(crate::ui::state::Section::Agent);
        let html = render(st).await;
        let panel = &html[html.find("id=\"agent\"").unwrap()..];
        let panel = &panel[..panel.find("</details>").unwrap()];
        for id in [
            "agent-window",
            "agent-sessions",
            "hop-graph",
            "agent-hops",
            "agent-connections",
            "agent-actions",
            "agent-class",
        ] {
            assert!(
                panel.contains(&format!("id=\"{id}\"")),
                "{id} missing: {panel}"
            );
        }
        // The subagent the parent started is a node, marked as having no log here.
        assert!(panel.contains("class=\"hop-node missing\""), "{panel}");
        assert!(panel.contains(">agent-aac57f5</text>"), "{panel}");
        // Most severe first: the reversible edits and commits before the reads.
        let rows: Vec<&str> = panel
            .match_indices("data-class=\"")
            .map(|(i, _)| {
                let rest = &panel[i + 12..];
                &rest[..rest.find('"').unwrap()]
            })
            .collect();
        assert!(!rows.is_empty());
        let mut sorted = rows.clone();
        sorted.sort_by_key(|c| super::super::agent::CLASSES.iter().position(|x| x == c));
        assert_eq!(rows, sorted);
        assert!(panel.contains("MCP server filesystem"), "{panel}");
        // Every row has as many cells as the table has headings.
        for table in ["agent-sessions", "agent-actions"] {
            let t = &panel[panel.find(&format!("id=\"{table}\"")).unwrap()..];
            let t = &t[..t.find("</table>").unwrap()];
            let heads = t.matches("<th ").count();
            let body = &t[t.find("<tbody>").unwrap()..];
            let first = &body[..body.find("</tr>").unwrap()];
            assert_eq!(first.matches("<td").count(), heads, "{table}: {t}");
        }
    }

    /// Real exports of four providers at once (OpenAI and Anthropic cost reports and an
    /// OpenRouter CSV without keys, CloudTrail of a session turning a guardrail off): the
    /// attacker's cost is unknown and says for which key, each model row is one provider's,
    /// and no unknown figure shows as $0.00.
    #[tokio::test]
    async fn several_providers_cost_panel_names_unknown_cost_and_keeps_providers_apart() {
        const REAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/real/");
        let names = [
            "openai-costs-api/spec-costs.json",
            "anthropic-cost-report/platform-docs-cost-report.json",
            "openrouter-csv/router-eval-7col-1row.csv",
            "cloudtrail-bedrock/panther-guardrail-update-delete.jsonl",
        ];
        let bytes: Vec<Vec<u8>> = names
            .iter()
            .map(|n| std::fs::read(format!("{REAL}{n}")).unwrap())
            .collect();
        let files: Vec<(&str, &[u8])> = names
            .iter()
            .zip(&bytes)
            .map(|(n, b)| (*n, b.as_slice()))
            .collect();
        let mut st = analysed_state(&files);
        st.open_sections.insert(crate::ui::state::Section::Cost);
        let html = render(st).await;
        let cost = &html[html.find("id=\"attacker-cost\"").expect("cost panel")..];
        let attacker = &cost[..cost.find("</dd>").unwrap()];
        assert!(
            attacker.contains("unknown (no cost or token data for ASIAQWERQWERQWERQWER)"),
            "{attacker}"
        );
        let rows: Vec<&str> = cost
            .split("<tr data-cost-unknown=\"true\">")
            .skip(1)
            .map(|r| &r[..r.find("</tr>").unwrap()])
            .collect();
        assert!(rows.len() >= 2, "{cost}");
        for row in rows {
            assert!(!row.contains("$0.00"), "{row}");
        }
        assert!(cost.contains("(no model: aws_bedrock)"), "{cost}");
        assert!(!cost.contains("(none)"), "{cost}");
        // The summary's cost fact says the same.
        let fact = &html[html.find("id=\"fact-cost\"").expect("cost fact")..];
        let fact = &fact[..fact.find("</dd>").unwrap()];
        assert!(
            fact.contains("unknown (no cost or token data for ASIAQWERQWERQWERQWER)"),
            "{fact}"
        );
        assert!(!fact.contains("$0.00"), "{fact}");
    }
}
