//! The incident as lanes over time, for the picture at the top of the page: one lane per key
//! the usage evidence shows (its attack phases as bars, its alerts as marks), one per leaked
//! credential whose introducing commit is known (its exposure as a bar), one for the
//! responder's milestones and one for the notification deadlines. Pure: made from the report
//! the page holds, tested natively; `components::incident` draws it.

use crate::ui::view::ReportView;
use chrono::DateTime;

/// Lanes of each kind drawn at most.
pub const MAX_KEY_LANES: usize = 6;
/// Exposure lanes drawn at most.
pub const MAX_EXPOSURE_LANES: usize = 3;

/// What a lane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaneKind {
    /// A key's usage: phases and alerts.
    Key,
    /// A leaked credential's exposure from its introducing commit.
    Exposure,
    /// The responder's milestones.
    Milestones,
    /// Notification deadlines.
    Deadlines,
}

/// A span of time on a lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Start, Unix seconds.
    pub from: i64,
    /// End, Unix seconds.
    pub to: i64,
    /// Its CSS class (`phase-<phase>`, `exposure`).
    pub class: String,
    /// What it is, in words (its tooltip and accessible name).
    pub title: String,
}

/// A moment on a lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// When, Unix seconds.
    pub at: i64,
    /// Its CSS class (`sev-<severity>`, `milestone`, `dl-<status>`).
    pub class: String,
    /// A short label drawn beside it (may be empty).
    pub label: String,
    /// What it is, in words.
    pub title: String,
}

/// One lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// What it shows.
    pub kind: LaneKind,
    /// Its name.
    pub label: String,
    /// Spans.
    pub bars: Vec<Bar>,
    /// Moments.
    pub marks: Vec<Mark>,
}

/// The incident's lanes and the two ranges the picture can show.
#[derive(Debug, Clone, PartialEq)]
pub struct Lanes {
    /// The lanes, keys first, then exposures, milestones and deadlines.
    pub lanes: Vec<Lane>,
    /// Everything: the earliest to the latest time on any lane.
    pub whole: (i64, i64),
    /// The attack window (first to last suspicious activity), when the detection found one.
    pub attack: Option<(i64, i64)>,
    /// Lanes left out (beyond the caps), by kind, in words.
    pub left_out: Vec<String>,
}

/// Unix seconds of an RFC 3339 time.
pub fn secs(t: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(t).ok().map(|t| t.timestamp())
}

/// The lanes of a report; `None` when nothing in it has a time.
pub fn lanes(r: &ReportView) -> Option<Lanes> {
    let mut lanes: Vec<Lane> = Vec::new();
    let mut left_out = Vec::new();
    // Keys, in the order the detection ranks them (abused first), then any other key with
    // phases or alerts.
    let mut keys: Vec<String> = r
        .detection
        .summary
        .abused_keys
        .iter()
        .map(|k| k.key.clone())
        .collect();
    for k in r
        .detection
        .timeline
        .entries
        .iter()
        .map(|e| &e.key)
        .chain(r.detection.alerts.iter().map(|a| &a.key))
    {
        if !keys.contains(k) {
            keys.push(k.clone());
        }
    }
    if keys.len() > MAX_KEY_LANES {
        left_out.push(format!("{} more key(s)", keys.len() - MAX_KEY_LANES));
    }
    for key in keys.iter().take(MAX_KEY_LANES) {
        let bars = r
            .detection
            .timeline
            .entries
            .iter()
            .filter(|e| &e.key == key)
            .filter_map(|e| {
                let (from, to) = (secs(&e.start)?, secs(&e.end)?);
                Some(Bar {
                    from,
                    to: to.max(from),
                    class: format!("phase-{}", e.phase),
                    title: format!(
                        "{}: {} from {} to {}; {}",
                        key,
                        e.phase.replace('_', " "),
                        e.start,
                        e.end,
                        e.reason
                    ),
                })
            })
            .collect();
        let marks = r
            .detection
            .alerts
            .iter()
            .filter(|a| &a.key == key)
            .filter_map(|a| {
                Some(Mark {
                    at: secs(&a.start)?,
                    class: format!("sev-{}", a.severity),
                    label: String::new(),
                    title: format!(
                        "{} {} alert at {}: {}",
                        a.id, a.severity, a.start, a.sentence
                    ),
                })
            })
            .collect();
        lanes.push(Lane {
            kind: LaneKind::Key,
            label: key.clone(),
            bars,
            marks,
        });
    }
    // Exposure of the leaked credentials whose introducing commit is dated: removing a secret
    // from the files does not end it (history keeps it), revoking it does; until the revocation
    // the responder records, else the report's time.
    let revoked = r
        .summary
        .timeline
        .iter()
        .find(|m| m.id == "revoked")
        .and_then(|m| m.at.as_deref())
        .and_then(secs);
    let exposure_end = revoked.or_else(|| r.generated_at.as_deref().and_then(secs));
    let exposed: Vec<_> = r
        .scan
        .secrets
        .iter()
        .filter_map(|s| {
            let c = s.introduced.as_ref()?;
            let from = c
                .commit_date
                .as_deref()
                .or(c.author_date.as_deref())
                .and_then(secs)?;
            Some((s, from))
        })
        .collect();
    if exposed.len() > MAX_EXPOSURE_LANES {
        left_out.push(format!(
            "{} more leaked credential(s)",
            exposed.len() - MAX_EXPOSURE_LANES
        ));
    }
    for (s, from) in exposed.into_iter().take(MAX_EXPOSURE_LANES) {
        let to = exposure_end.unwrap_or(from).max(from);
        let commit = s
            .introduced
            .as_ref()
            .map(|c| c.id.chars().take(10).collect::<String>())
            .unwrap_or_default();
        lanes.push(Lane {
            kind: LaneKind::Exposure,
            label: s.redacted.clone(),
            bars: vec![Bar {
                from,
                to,
                class: "exposure".into(),
                title: format!(
                    "{} exposed from commit {commit}{}",
                    s.redacted,
                    if s.removed_in.is_some() {
                        " until it was removed (still in history)"
                    } else {
                        " and still present"
                    }
                ),
            }],
            marks: Vec::new(),
        });
    }
    let milestones: Vec<Mark> = r
        .summary
        .timeline
        .iter()
        .filter_map(|m| {
            Some(Mark {
                at: secs(m.at.as_deref()?)?,
                class: format!("milestone milestone-{}", m.id),
                label: m.label.clone(),
                title: format!(
                    "{}: {} ({})",
                    m.label,
                    m.at.as_deref().unwrap_or(""),
                    m.source
                ),
            })
        })
        .collect();
    if !milestones.is_empty() {
        lanes.push(Lane {
            kind: LaneKind::Milestones,
            label: "milestones".into(),
            bars: Vec::new(),
            marks: milestones,
        });
    }
    let deadlines: Vec<Mark> = r
        .notifications
        .drafts
        .iter()
        .flat_map(|d| d.deadlines.iter().map(move |x| (d, x)))
        .filter_map(|(d, x)| {
            Some(Mark {
                at: secs(x.due_at.as_deref()?)?,
                class: format!("deadline dl-{}", x.status.replace('_', "-")),
                label: String::new(),
                title: format!("{}: {} ({})", d.name, x.what, x.text),
            })
        })
        .collect();
    if !deadlines.is_empty() {
        lanes.push(Lane {
            kind: LaneKind::Deadlines,
            label: "deadlines".into(),
            bars: Vec::new(),
            marks: deadlines,
        });
    }
    let times: Vec<i64> = lanes
        .iter()
        .flat_map(|l| {
            l.bars
                .iter()
                .flat_map(|b| [b.from, b.to])
                .chain(l.marks.iter().map(|m| m.at))
        })
        .collect();
    let (lo, hi) = (*times.iter().min()?, *times.iter().max()?);
    let attack = match (
        r.detection
            .timeline
            .first_suspicious
            .as_deref()
            .and_then(secs),
        r.detection
            .timeline
            .last_suspicious
            .as_deref()
            .and_then(secs),
    ) {
        (Some(a), Some(b)) if b >= a => Some(pad(a, b)),
        _ => None,
    };
    Some(Lanes {
        lanes,
        whole: pad(lo, hi),
        attack,
        left_out,
    })
}

/// A range widened by a twentieth on each side (an hour when it is a single moment).
fn pad(a: i64, b: i64) -> (i64, i64) {
    let d = ((b - a) / 20).max(1800);
    (a - d, b + d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{triage, Context};

    fn demo() -> ReportView {
        let files = crate::demo::files();
        let inputs: Vec<crate::Input> = files
            .iter()
            .map(|(n, b)| crate::Input::new(*n, b.clone()))
            .collect();
        let ctx = Context {
            now: Some("2026-11-23T10:00:00Z".parse().unwrap()),
            awareness: Some("2026-11-22T09:00:00Z".parse().unwrap()),
            ..Context::default()
        };
        ReportView::from_json(&triage(&inputs, &ctx).to_json()).unwrap()
    }

    #[test]
    fn the_demo_has_key_exposure_milestone_and_deadline_lanes_in_order() {
        let r = demo();
        let l = lanes(&r).expect("the demo has times");
        let kinds: Vec<LaneKind> = l.lanes.iter().map(|x| x.kind).collect();
        let first = |k| {
            kinds
                .iter()
                .position(|x| *x == k)
                .unwrap_or_else(|| panic!("{k:?} lane: {kinds:?}"))
        };
        assert!(first(LaneKind::Key) < first(LaneKind::Exposure));
        assert!(first(LaneKind::Exposure) < first(LaneKind::Milestones));
        assert!(first(LaneKind::Milestones) < first(LaneKind::Deadlines));
        // Every alert of a drawn key is a mark on its lane; every phase entry a bar.
        for lane in l.lanes.iter().filter(|x| x.kind == LaneKind::Key) {
            let alerts = r
                .detection
                .alerts
                .iter()
                .filter(|a| a.key == lane.label)
                .count();
            assert_eq!(lane.marks.len(), alerts, "{}", lane.label);
            let entries = r
                .detection
                .timeline
                .entries
                .iter()
                .filter(|e| e.key == lane.label)
                .count();
            assert_eq!(lane.bars.len(), entries, "{}", lane.label);
        }
        // The attack window sits inside the whole incident, which reaches back to the commit
        // that introduced a secret.
        let (a, b) = l.attack.expect("the demo is abused");
        assert!(l.whole.0 <= a && b <= l.whole.1);
        let exposure = l
            .lanes
            .iter()
            .find(|x| x.kind == LaneKind::Exposure)
            .unwrap();
        assert!(exposure.bars[0].from < a);
        let m = l
            .lanes
            .iter()
            .find(|x| x.kind == LaneKind::Milestones)
            .unwrap();
        assert!(
            m.marks.iter().any(|x| x.class.contains("awareness")),
            "{:?}",
            m.marks
        );
    }

    #[test]
    fn a_report_without_times_has_no_picture() {
        let r = ReportView::from_json(
            &triage(
                &[crate::Input::new("notes.txt", "nothing\n")],
                &Context::default(),
            )
            .to_json(),
        )
        .unwrap();
        assert!(lanes(&r).is_none());
    }
}
