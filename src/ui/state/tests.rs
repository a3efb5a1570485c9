//! The reducer's tests: every action on plain data, natively.
use super::*;
use crate::{triage, Context, Input};

fn nf(id: u32, name: &str, size: u64) -> NewFile {
    NewFile {
        id,
        name: name.into(),
        size,
    }
}

fn report_for(names: &[&str]) -> (Rc<ReportView>, Rc<str>) {
    let inputs: Vec<Input> = names
        .iter()
        .map(|n| Input::new(*n, format!("{n}\n")))
        .collect();
    let j: Rc<str> = triage(&inputs, &Context::default()).to_json().into();
    (Rc::new(ReportView::from_json(&j).unwrap()), j)
}

#[test]
fn queue_progress_report() {
    let mut s = State::default();
    s.apply(Action::Queue {
        job: 1,
        files: vec![nf(1, "a", 10), nf(2, "b", 30)],
    });
    assert!(s.busy());
    assert_eq!(s.progress(), (0, 40));
    s.apply(Action::Progress {
        job: 1,
        id: 1,
        done: 10,
    });
    s.apply(Action::Progress {
        job: 1,
        id: 2,
        done: 15,
    });
    assert_eq!(s.progress(), (25, 40));
    let (report, json) = report_for(&["a", "b"]);
    s.apply(Action::Report {
        job: 1,
        ids: vec![1, 2],
        report,
        json,
    });
    assert!(!s.busy());
    assert!(s
        .rows
        .iter()
        .all(|r| r.status == RowStatus::Analysed && r.evidence.is_some()));
    assert_eq!(s.rows[1].evidence.as_ref().unwrap().name, "b");
}

#[test]
fn a_failed_file_keeps_the_others() {
    let mut s = State::default();
    s.apply(Action::Queue {
        job: 1,
        files: vec![nf(1, "big", 3 << 30), nf(2, "ok", 3)],
    });
    s.apply(Action::FileFailed {
        job: 1,
        id: 1,
        message: "too large".into(),
    });
    let (report, json) = report_for(&["ok"]);
    s.apply(Action::Report {
        job: 1,
        ids: vec![2],
        report,
        json,
    });
    assert_eq!(s.rows[0].status, RowStatus::Failed("too large".into()));
    assert_eq!(s.rows[1].status, RowStatus::Analysed);
}

#[test]
fn cancel_marks_unread_files_and_keeps_analysed_ones() {
    let mut s = State::default();
    s.apply(Action::Queue {
        job: 1,
        files: vec![nf(1, "a", 1)],
    });
    let (report, json) = report_for(&["a"]);
    s.apply(Action::Report {
        job: 1,
        ids: vec![1],
        report,
        json,
    });
    s.apply(Action::Queue {
        job: 2,
        files: vec![nf(2, "b", 5), nf(3, "c", 5)],
    });
    s.apply(Action::Progress {
        job: 2,
        id: 2,
        done: 2,
    });
    s.apply(Action::Cancel);
    assert!(!s.busy());
    assert_eq!(s.rows[0].status, RowStatus::Analysed);
    assert_eq!(s.rows[1].status, RowStatus::Cancelled);
    assert_eq!(s.rows[2].status, RowStatus::Cancelled);
    s.apply(Action::Requeue {
        job: 3,
        ids: vec![1],
    });
    assert_eq!(s.rows[0].status, RowStatus::Queued);
    assert_eq!(s.progress(), (0, 1));
}

fn with_alerts() -> State {
    let json = r#"{"schema_version":1,"evidence":[],"totals":{"files":0,"bytes":0,"records":0,"problems":0},
      "detection":{"alerts":[
        {"id":"a1","kind":"volume_spike","severity":"medium","key":"k1","start":"2026-11-16T02:00:00Z"},
        {"id":"a2","kind":"unknown_model","severity":"critical","key":"k2","start":"2026-11-16T05:00:00Z"},
        {"id":"a3","kind":"burst_rate","severity":"high","key":"k1","start":"2026-11-16T01:00:00Z"}]}}"#;
    let mut s = State::default();
    s.apply(Action::Report {
        job: 0,
        ids: vec![],
        report: Rc::new(ReportView::from_json(json).unwrap()),
        json: json.into(),
    });
    s
}

fn ids(s: &State) -> Vec<&str> {
    s.alerts().iter().map(|a| a.id.as_str()).collect()
}

#[test]
fn alerts_sort_by_severity_or_time_and_filter_by_key() {
    let mut s = with_alerts();
    assert_eq!(ids(&s), ["a2", "a3", "a1"]);
    s.apply(Action::SortAlerts(AlertSort::Time));
    assert_eq!(ids(&s), ["a3", "a1", "a2"]);
    s.apply(Action::FilterAlerts(Some("k1".into())));
    assert_eq!(ids(&s), ["a3", "a1"]);
    s.apply(Action::FilterAlerts(None));
    assert_eq!(ids(&s).len(), 3);
    s.apply(Action::SelectAlert("a1".into()));
    assert_eq!(s.selected_alert.as_deref(), Some("a1"));
    s.apply(Action::SelectAlert("a1".into()));
    assert_eq!(s.selected_alert, None);
}

#[test]
fn a_revealed_value_is_dropped_when_a_new_report_arrives() {
    let mut s = with_alerts();
    s.apply(Action::Revealed {
        fingerprint: "fp".into(),
        value: "raw".into(),
    });
    assert!(s.revealed.is_some());
    let (report, json) = report_for(&["a"]);
    s.apply(Action::Report {
        job: 0,
        ids: vec![],
        report,
        json,
    });
    assert_eq!(s.revealed, None);
}

#[test]
fn toggle_and_clear() {
    let mut s = State::default();
    s.apply(Action::Queue {
        job: 1,
        files: vec![nf(1, "a", 1)],
    });
    s.apply(Action::ToggleProblems(1));
    assert_eq!(s.open_problems, Some(1));
    s.apply(Action::ToggleProblems(1));
    assert_eq!(s.open_problems, None);
    s.apply(Action::Clear);
    assert_eq!(s, State::default(), "nothing said, nothing kept");
}

#[test]
fn sections_open_one_by_one_or_all_and_survive_a_new_report() {
    let mut s = with_alerts();
    s.apply(Action::SectionOpen(Section::Alerts, true));
    assert!(s.open_sections.contains(&Section::Alerts));
    s.apply(Action::SectionOpen(Section::Alerts, false));
    assert!(s.open_sections.is_empty());
    s.apply(Action::AllSections(true));
    assert_eq!(s.open_sections.len(), Section::ALL.len());
    let (report, json) = report_for(&["a"]);
    s.apply(Action::Report {
        job: 0,
        ids: vec![],
        report,
        json,
    });
    assert_eq!(s.open_sections.len(), Section::ALL.len());
    s.apply(Action::AllSections(false));
    assert!(s.open_sections.is_empty());
}

#[test]
fn the_theme_follows_the_system_until_the_responder_toggles_it_and_clear_keeps_it() {
    let mut s = State::default();
    assert!(!s.dark());
    s.apply(Action::SystemDark(true));
    assert!(s.dark());
    s.apply(Action::ToggleTheme);
    assert_eq!(s.theme, Some(Theme::Light));
    assert!(!s.dark());
    s.apply(Action::ToggleTheme);
    assert!(s.dark());
    s.apply(Action::IncludeFiles(true));
    s.apply(Action::Clear);
    assert!(s.dark() && s.include_files);
}

#[test]
fn an_opened_session_checks_the_evidence_given_since() {
    let (report, json) = report_for(&["a", "b"]);
    let mut s = State::default();
    let a = &report.evidence[0];
    let listed = vec![
        crate::session::EvidenceRef {
            name: a.name.clone(),
            size: a.size,
            sha256: a.sha256.clone(),
        },
        crate::session::EvidenceRef {
            name: "gone.csv".into(),
            size: 3,
            sha256: "00".into(),
        },
    ];
    s.apply(Action::SessionOpened(Rc::new(listed)));
    s.apply(Action::Report {
        job: 0,
        ids: vec![],
        report,
        json,
    });
    let c = s.session_check().unwrap();
    assert_eq!(c.matched, 1);
    assert_eq!(c.missing[0].name, "gone.csv");
    assert_eq!(c.extra[0].name, "b");
}

#[test]
fn what_the_responder_said_outlives_cancel_and_remove_all_but_the_known_key_does_not() {
    let mut s = State::default();
    let a = crate::scope::Answers {
        agent: Some(crate::scope::Tri::Yes),
        ..Default::default()
    };
    s.apply(Action::AnswersGiven(a.clone()));
    s.apply(Action::ContextKept(Rc::from(
        r#"{"awareness":"2026-11-20T08:30:00Z"}"#,
    )));
    s.apply(Action::Cancel);
    assert_eq!(s.answers, a, "the new worker is given them");
    assert_eq!(s.notice, None, "no known key was given");
    s.apply(Action::KnownKeyGiven);
    s.apply(Action::Clear);
    assert_eq!(s.answers, a);
    assert_eq!(
        s.kept_context.as_deref(),
        Some(r#"{"awareness":"2026-11-20T08:30:00Z"}"#)
    );
    assert_eq!(s.known_keys, 0);
    assert_eq!(
        s.notice.as_deref(),
        Some(crate::ui::strings::KNOWN_KEY_NOT_KEPT)
    );
}
