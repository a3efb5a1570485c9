//! The whole page, drawn from the state alone (so it renders natively in tests).

use super::{
    AlertsPanel, Charts, CostPanel, DropZone, EvidenceList, FindingsPanel, ProgressPanel, Summary,
    TimelinePanel,
};
use crate::ui::state::{Action, State};
use crate::ui::{format, strings as s};
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
    /// Page-only actions (sorting, filtering, opening details).
    pub dispatch: Callback<Action>,
    /// A known key to search for.
    pub on_known_key: Callback<String>,
    /// Reveal one secret's value on screen.
    pub on_reveal: Callback<String>,
    /// A compromise start for every key (RFC 3339), or `None` to let the engine estimate it.
    pub on_start: Callback<Option<String>>,
    /// A column mapping for an unknown CSV: (file SHA-256, mapping).
    pub on_mapping: Callback<(String, crate::evidence::ColumnMapping)>,
    /// JSON export pressed.
    pub on_export_json: Callback<MouseEvent>,
}

/// The page.
#[component]
pub fn Page(p: &PageProps) -> Html {
    let st = &p.state;
    let (done, total) = st.progress();
    html! {
        <>
        <header class="top">
            <h1>{ s::APP_NAME }</h1>
            <p class="tagline">{ s::TAGLINE }</p>
            <p id="privacy" class="privacy">{ s::PRIVACY }</p>
        </header>
        if let Some(err) = &st.engine_error {
            <p id="engine-error" class="error" role="alert">{ format!("{}: {err}", s::ENGINE_FAILED) }</p>
        }
        if let Some(r) = &st.report {
            <Summary report={r.clone()} />
        }
        if let Some(n) = &st.notice {
            <p id="notice" class="notice" role="status">{ n }
                <button type="button" class="link" onclick={p.dispatch.reform(|_: MouseEvent| Action::Notice(None))}>{ "dismiss" }</button>
            </p>
        }
        <DropZone on_drop={p.on_drop.clone()} on_pick={p.on_pick.clone()} on_demo={p.on_demo.clone()} />
        if st.busy() {
            <ProgressPanel {done} {total} on_cancel={p.on_cancel.clone()} />
        }
        <section class="evidence-section" aria-labelledby="evidence-heading">
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
                                data-scan-ms={format!("{:.0}", stages.scan_ms)} data-scanned-bytes={stages.scanned_bytes.to_string()}>
                                { format!(" · read in {:.1} s, analysed in {:.1} s", read / 1000.0, analyse / 1000.0) }
                            </span>
                        }
                    </span>
                }
                <span class="spacer"></span>
                if st.report_json.is_some() {
                    <button id="export-json" type="button" class="button secondary" onclick={p.on_export_json.clone()}>{ s::EXPORT_JSON }</button>
                }
                if !st.rows.is_empty() {
                    <button id="clear" type="button" class="button secondary" onclick={p.on_clear.clone()}>{ s::CLEAR }</button>
                }
            </div>
            <EvidenceList rows={st.rows.clone()} open={st.open_problems} on_toggle={p.dispatch.reform(Action::ToggleProblems)}
                open_mapping={st.open_mapping} on_toggle_mapping={p.dispatch.reform(Action::ToggleMapping)} on_mapping={p.on_mapping.clone()} />
        </section>
        if let Some(r) = &st.report {
            <FindingsPanel state={st.clone()} dispatch={p.dispatch.clone()} on_known_key={p.on_known_key.clone()} on_reveal={p.on_reveal.clone()} />
            <AlertsPanel state={st.clone()} dispatch={p.dispatch.clone()} on_start={p.on_start.clone()} />
            <TimelinePanel timeline={r.detection.timeline.clone()} />
            <Charts charts={r.detection.charts.clone()} />
            <CostPanel cost={r.detection.cost.clone()} />
        }
        </>
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
            on_export_json: Callback::noop(),
        }
    }

    async fn render(state: State) -> String {
        yew::LocalServerRenderer::<Page>::with_props(props(state))
            .hydratable(false)
            .render()
            .await
    }

    fn analysed_state(files: &[(&str, &[u8])]) -> State {
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
        let json: Rc<str> = triage(&inputs, &Context::default()).to_json().into();
        let report = Rc::new(crate::ui::view::ReportView::from_json(&json).unwrap());
        st.apply(Action::Report {
            job: 1,
            ids: (1..=files.len() as u32).collect(),
            report,
            json,
        });
        st
    }

    #[tokio::test]
    async fn empty_page_offers_picker_demo_and_the_privacy_statement() {
        let html = render(State::default()).await;
        assert!(html.contains("id=\"file-input\""), "{html}");
        assert!(html.contains("webkitdirectory"), "{html}");
        assert!(html.contains(s::LOAD_DEMO));
        assert!(html.contains("Nothing is uploaded, stored or sent anywhere"));
        assert!(html.contains(s::NO_EVIDENCE));
        assert!(
            !html.contains("style="),
            "no inline styles under the CSP: {html}"
        );
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
}
