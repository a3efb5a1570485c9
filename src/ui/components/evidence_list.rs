//! The evidence list: one row per file with its size, SHA-256, kind, records and problems.

use crate::format;
use crate::ui::state::{Row, RowStatus};
use crate::ui::strings as s;
use serde::Deserialize;
use yew::prelude::*;

/// How many rows are drawn; the rest are counted (they are all in the report).
pub const MAX_ROWS: usize = 1000;

/// Properties of [`EvidenceList`].
#[derive(Properties, PartialEq)]
pub struct EvidenceListProps {
    /// The rows.
    pub rows: Vec<Row>,
    /// The file whose problems are open.
    pub open: Option<u32>,
    /// Open or close a file's problems.
    pub on_toggle: Callback<u32>,
    /// The file whose column-mapping form is open.
    #[prop_or_default]
    pub open_mapping: Option<u32>,
    /// Open or close a file's column-mapping form.
    #[prop_or_default]
    pub on_toggle_mapping: Callback<u32>,
    /// A column mapping chosen: (file SHA-256, mapping).
    #[prop_or_default]
    pub on_mapping: Callback<(String, crate::evidence::ColumnMapping)>,
}

/// The chain-of-custody table.
#[component]
pub fn EvidenceList(props: &EvidenceListProps) -> Html {
    if props.rows.is_empty() {
        return html! { <p id="no-evidence" class="muted">{ s::NO_EVIDENCE }</p> };
    }
    let drawn = drawn(&props.rows);
    let hidden = props.rows.len() - drawn.len();
    html! {
        <>
        <table id="evidence-list" class="evidence">
            <thead><tr>{ for s::COLUMNS.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr></thead>
            <tbody>
            { for drawn.into_iter().map(|r| row(r, props)) }
            </tbody>
        </table>
        if hidden > 0 {
            <p class="muted">{ format!("{} {}", format::count(hidden as u64), s::MORE_ROWS) }</p>
        }
        </>
    }
}

/// The rows drawn, in their order: every row when they are few; past [`MAX_ROWS`], the rows of
/// note first ([`of_note`]), then the others in their order, up to [`MAX_ROWS`] in all, so a
/// usage export dropped with a repository's thousands of sources is not among the hidden.
fn drawn(rows: &[Row]) -> Vec<&Row> {
    if rows.len() <= MAX_ROWS {
        return rows.iter().collect();
    }
    let mut keep = vec![false; rows.len()];
    let mut n = 0;
    for (k, r) in keep.iter_mut().zip(rows) {
        if n < MAX_ROWS && of_note(r) {
            (*k, n) = (true, n + 1);
        }
    }
    for k in keep.iter_mut().filter(|k| !**k) {
        if n == MAX_ROWS {
            break;
        }
        (*k, n) = (true, n + 1);
    }
    rows.iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(r, _)| r)
        .collect()
}

/// A file not read yet, or one that failed; a file of a kind that is not plain
/// ([`crate::evidence::EvidenceKind::is_plain`]; a kind the page does not know is of note); a
/// file with problems or assumptions.
fn of_note(r: &Row) -> bool {
    use serde::de::IntoDeserializer;
    match (&r.status, &r.evidence) {
        (RowStatus::Analysed, Some(e)) => {
            let kind = crate::evidence::EvidenceKind::deserialize(IntoDeserializer::<
                serde::de::value::Error,
            >::into_deserializer(
                e.kind.as_str()
            ));
            !kind.is_ok_and(|k| k.is_plain()) || e.problem_count > 0 || !e.assumptions.is_empty()
        }
        (RowStatus::Analysed, None) => false,
        _ => true,
    }
}

fn row(r: &Row, props: &EvidenceListProps) -> Html {
    let open = props.open == Some(r.id);
    let on_toggle = &props.on_toggle;
    let mapping_open = props.open_mapping == Some(r.id);
    let id = r.id;
    let (status_class, kind_cell) = match (&r.status, &r.evidence) {
        (RowStatus::Analysed, Some(e)) => (
            "analysed",
            html! {
                <>
                    <span class="kind" data-kind={e.kind.clone()}>{ &e.kind_label }</span>
                    if let Some(enc) = e.compression.as_ref() { <span class="tag">{ enc }</span> }
                    if !e.columns.is_empty() && e.kind == "unknown_csv" {
                    <button type="button" class="link map-columns" aria-expanded={mapping_open.to_string()}
                        onclick={props.on_toggle_mapping.reform(move |_: MouseEvent| id)}>{ crate::ui::strings::MAP_COLUMNS }</button>
                }
                if let Some(note) = e.note.as_ref() { <div class="note">{ note }</div> }
                    { for e.assumptions.iter().map(|a| html! { <div class="note assumption">{ a }</div> }) }
                </>
            },
        ),
        (RowStatus::Analysed, None) => ("analysed", html! {}),
        (RowStatus::Queued, _) => ("queued", html! { <span class="muted">{ s::QUEUED }</span> }),
        (RowStatus::Reading(d), _) => (
            "reading",
            html! {
                <span class="muted">{ format!("{} {}%", s::READING, (d * 100).checked_div(r.size).unwrap_or(100)) }</span>
            },
        ),
        (RowStatus::Failed(why), _) => ("failed", html! { <span class="error">{ why }</span> }),
        (RowStatus::Cancelled, _) => (
            "cancelled",
            html! { <span class="muted">{ s::CANCELLED }</span> },
        ),
    };
    let ev = r.evidence.as_ref();
    let sha = ev
        .map(|e| html! { <code class="sha256">{ &e.sha256 }</code> })
        .unwrap_or_default();
    let records = ev.map(|e| format::count(e.records)).unwrap_or_default();
    let problems = ev.map(|e| e.problem_count).unwrap_or(0);
    let toggle = {
        let on_toggle = on_toggle.clone();
        Callback::from(move |_: MouseEvent| on_toggle.emit(id))
    };
    html! {
        <>
        <tr class={classes!("file", status_class)} data-name={r.name.clone()} data-bytes={r.size.to_string()}>
            <th scope="row" class="name">{ &r.name }</th>
            <td class="size" title={format!("{} bytes", r.size)}>{ format::bytes(r.size) }</td>
            <td class="sha">{ sha }</td>
            <td class="kind-cell">{ kind_cell }</td>
            <td class="records num">{ records }</td>
            <td class="problems num">
                <span class="problem-count">{ format::count(problems) }</span>
                if problems > 0 {
                    <button type="button" class="link show-problems" aria-expanded={open.to_string()} onclick={toggle}>
                        { if open { s::HIDE_PROBLEMS } else { s::SHOW_PROBLEMS } }
                    </button>
                }
            </td>
        </tr>
        if mapping_open {
            if let Some(e) = ev {
                <tr class="mapping-row"><td colspan="6">
                    <super::MappingForm sha256={e.sha256.clone()} columns={e.columns.clone()} on_submit={props.on_mapping.clone()} />
                </td></tr>
            }
        }
        if open {
            if let Some(e) = ev {
                <tr class="problem-list"><td colspan="6"><ul>
                    { for e.problems.iter().map(|p| html! {
                        <li>
                            <span class="where">{ problem_place(p) }</span>{ " " }{ &p.message }
                        </li>
                    }) }
                    if e.problem_count > e.problems.len() as u64 {
                        <li class="muted">{ format!("… {} more", format::count(e.problem_count - e.problems.len() as u64)) }</li>
                    }
                </ul></td></tr>
            }
        }
        </>
    }
}

fn problem_place(p: &crate::ui::view::ProblemView) -> String {
    let mut at = match (p.line, p.record) {
        (Some(l), _) => format!("line {l}"),
        (None, Some(r)) => format!("record {r}"),
        _ => "file".to_string(),
    };
    if let Some(c) = &p.column {
        at.push_str(&format!(", column {c}"));
    }
    at + ":"
}
