//! All of the page's state, in one reducer: plain Rust, tested natively.

use crate::ui::view::{EvidenceView, ReportView};
use std::rc::Rc;

/// A file the responder gave the page, before the worker has read it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFile {
    /// The page's id for the file (stable for the session).
    pub id: u32,
    /// Name, or path inside a dropped folder.
    pub name: String,
    /// Size in bytes, as the browser reports it.
    pub size: u64,
}

/// Where a file stands.
#[derive(Debug, Clone, PartialEq)]
pub enum RowStatus {
    /// Waiting for the worker.
    Queued,
    /// Being read: bytes read so far.
    Reading(u64),
    /// Read and analysed: its inventory row is in the report.
    Analysed,
    /// Not analysed, and why (too large, unreadable).
    Failed(String),
    /// The responder cancelled before it was read.
    Cancelled,
}

/// One row of the evidence list.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The page's id for the file.
    pub id: u32,
    /// Name as given.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Where it stands.
    pub status: RowStatus,
    /// Its inventory entry, once analysed.
    pub evidence: Option<Rc<EvidenceView>>,
}

/// A batch of files sent to the worker together.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// The job's id.
    pub id: u32,
    /// The files in it.
    pub ids: Vec<u32>,
    /// Their total size.
    pub total: u64,
    /// Bytes read so far.
    pub done: u64,
}

/// The whole page state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    /// Every file given, in the order given.
    pub rows: Vec<Row>,
    /// Jobs the worker has not finished.
    pub pending: Vec<Job>,
    /// The latest report.
    pub report: Option<Rc<ReportView>>,
    /// The latest report as JSON, exactly as exported.
    pub report_json: Option<Rc<str>>,
    /// The file whose problems are open.
    pub open_problems: Option<u32>,
    /// Set when the engine could not start.
    pub engine_error: Option<String>,
    /// How the alerts are ordered.
    pub alert_sort: AlertSort,
    /// Only this key's alerts are shown, when set.
    pub alert_key: Option<String>,
    /// The alert whose evidence rows are shown.
    pub selected_alert: Option<String>,
    /// The secret (by fingerprint) whose occurrences are shown.
    pub open_secret: Option<String>,
    /// One secret's full value, shown on screen after an explicit click: (fingerprint, value).
    /// It lives only here, never in the report or an export.
    pub revealed: Option<(String, String)>,
    /// How many known keys the responder has searched for (the keys stay in the worker).
    pub known_keys: usize,
    /// A message for the responder that is not about one file.
    pub notice: Option<String>,
    /// The file whose column-mapping form is open.
    pub open_mapping: Option<u32>,
    /// How long the last job took: (reading, analysing), in milliseconds.
    pub timing: Option<(f64, f64, crate::StageTimes)>,
    /// The blast-radius answers the responder gave (the worker holds the same).
    pub answers: crate::scope::Answers,
    /// The report sections the responder has opened.
    pub open_sections: std::collections::BTreeSet<Section>,
    /// The theme the responder chose (`None`: the system's); kept in memory only.
    pub theme: Option<Theme>,
    /// Whether the system prefers a dark theme.
    pub system_dark: bool,
    /// Whether a saved session embeds the evidence files (off unless the responder asks).
    pub include_files: bool,
    /// Only the checklist items that remain are listed.
    pub remaining_only: bool,
    /// The evidence list of the session opened last, to check the files given against it.
    pub session_evidence: Option<Rc<Vec<crate::session::EvidenceRef>>>,
    /// The responder's context the worker last held (no known key, as JSON), given to a new
    /// worker after Cancel or "Remove all" so that no answer is lost.
    pub kept_context: Option<Rc<str>>,
}

/// A collapsible section of the report, below the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// The response checklist.
    Checklist,
    /// The notification drafts.
    Notifications,
    /// Leaked credentials.
    Findings,
    /// Usage alerts.
    Alerts,
    /// The attacker timeline.
    Timeline,
    /// Usage charts.
    Charts,
    /// The cost impact.
    Cost,
    /// The agent's sessions, actions, chain-hops and minted tokens.
    Agent,
    /// The queries to run where the organisation's logs live.
    Hunts,
}

impl Section {
    /// Every section, in page order.
    pub const ALL: [Section; 9] = [
        Section::Checklist,
        Section::Notifications,
        Section::Agent,
        Section::Findings,
        Section::Alerts,
        Section::Timeline,
        Section::Charts,
        Section::Cost,
        Section::Hunts,
    ];

    /// The section's element id (also the target of the summary's links).
    pub fn id(self) -> &'static str {
        match self {
            Section::Checklist => "checklist",
            Section::Notifications => "notifications",
            Section::Findings => "findings",
            Section::Alerts => "alerts",
            Section::Timeline => "timeline",
            Section::Charts => "charts",
            Section::Cost => "cost",
            Section::Agent => "agent",
            Section::Hunts => "hunts",
        }
    }
}

/// A colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on a light background.
    Light,
    /// Light text on a dark background.
    Dark,
}

/// The order of the alert list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AlertSort {
    /// Most severe first, then earliest.
    #[default]
    Severity,
    /// Earliest first.
    Time,
}

/// Everything that can happen to the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Files handed to the worker as one job.
    Queue {
        /// The job's id.
        job: u32,
        /// The files.
        files: Vec<NewFile>,
    },
    /// Already-listed files handed to a new worker again (after a cancel).
    Requeue {
        /// The job's id.
        job: u32,
        /// The files.
        ids: Vec<u32>,
    },
    /// The worker read some bytes of a file.
    Progress {
        /// The job.
        job: u32,
        /// The file.
        id: u32,
        /// Bytes of this file read so far.
        done: u64,
    },
    /// The worker could not take a file.
    FileFailed {
        /// The job.
        job: u32,
        /// The file.
        id: u32,
        /// Why.
        message: String,
    },
    /// The worker finished a job and analysed everything it holds.
    Report {
        /// The job finished.
        job: u32,
        /// The worker's files, in the report's evidence order.
        ids: Vec<u32>,
        /// The report.
        report: Rc<ReportView>,
        /// The report as JSON.
        json: Rc<str>,
    },
    /// The responder cancelled every unfinished job.
    Cancel,
    /// The responder removed every file.
    Clear,
    /// Open or close one file's problems.
    ToggleProblems(u32),
    /// The engine failed to start or crashed.
    EngineFailed(String),
    /// Order the alerts.
    SortAlerts(AlertSort),
    /// Show one key's alerts, or all.
    FilterAlerts(Option<String>),
    /// Show an alert's evidence rows (again to hide them).
    SelectAlert(String),
    /// Open or close a secret's occurrences.
    ToggleSecret(String),
    /// The worker sent one secret's full value, after the responder asked.
    Revealed {
        /// The secret's fingerprint.
        fingerprint: String,
        /// The value.
        value: String,
    },
    /// Hide the revealed value.
    HideRevealed,
    /// The responder gave a known key to search for (the key itself goes to the worker only).
    KnownKeyGiven,
    /// The context the worker holds (after each report).
    ContextKept(Rc<str>),
    /// Show a message, or clear it.
    Notice(Option<String>),
    /// The responder gave the blast-radius answers (also sent to the worker).
    AnswersGiven(crate::scope::Answers),
    /// Open or close a file's column-mapping form.
    ToggleMapping(u32),
    /// A section was opened or closed (by its own summary line, or a link to it).
    SectionOpen(Section, bool),
    /// Open or close every section.
    AllSections(bool),
    /// Switch between the light and dark theme.
    ToggleTheme,
    /// The system's preference (dark or not).
    SystemDark(bool),
    /// List only the checklist items that remain, or all.
    RemainingOnly(bool),
    /// Embed the evidence files in a saved session, or not.
    IncludeFiles(bool),
    /// A session was opened: its evidence list, to check the files given against it.
    SessionOpened(Rc<Vec<crate::session::EvidenceRef>>),
    /// How long the worker took over the last job.
    Timing {
        /// Reading the files into memory.
        read_ms: f64,
        /// The engine over everything held.
        analyse_ms: f64,
        /// The engine's stages.
        stages: crate::StageTimes,
    },
}

impl State {
    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Queue { job, files } => {
                let total = files.iter().map(|f| f.size).sum();
                let ids = files.iter().map(|f| f.id).collect();
                for f in files {
                    self.rows.push(Row {
                        id: f.id,
                        name: f.name,
                        size: f.size,
                        status: RowStatus::Queued,
                        evidence: None,
                    });
                }
                self.pending.push(Job {
                    id: job,
                    ids,
                    total,
                    done: 0,
                });
            }
            Action::Requeue { job, ids } => {
                let mut total = 0;
                for id in &ids {
                    if let Some(row) = self.row_mut(*id) {
                        row.status = RowStatus::Queued;
                        total += row.size;
                    }
                }
                self.pending.push(Job {
                    id: job,
                    ids,
                    total,
                    done: 0,
                });
            }
            Action::Progress { job, id, done } => {
                if let Some(row) = self.row_mut(id) {
                    row.status = RowStatus::Reading(done);
                }
                if let Some(j) = self.pending.iter_mut().find(|j| j.id == job) {
                    let rows = &self.rows;
                    j.done = j
                        .ids
                        .iter()
                        .filter_map(|i| row_index(rows, *i).map(|at| &rows[at]))
                        .map(|r| match r.status {
                            RowStatus::Reading(d) => d,
                            RowStatus::Failed(_) => r.size,
                            _ => 0,
                        })
                        .sum();
                }
            }
            Action::FileFailed { id, message, .. } => {
                if let Some(row) = self.row_mut(id) {
                    row.status = RowStatus::Failed(message);
                    row.evidence = None;
                }
            }
            Action::Report {
                job,
                ids,
                report,
                json,
            } => {
                for (id, ev) in ids.iter().zip(report.evidence.iter()) {
                    if let Some(row) = self.row_mut(*id) {
                        row.status = RowStatus::Analysed;
                        row.evidence = Some(Rc::new(ev.clone()));
                    }
                }
                if let Some(pos) = self.pending.iter().position(|j| j.id == job) {
                    self.pending.drain(..=pos);
                }
                self.report = Some(report);
                self.report_json = Some(json);
                self.revealed = None;
            }
            Action::Cancel => {
                // The new worker is given the kept context (answers, times, checklist), never a
                // known key: the responder pastes it again, and the page says so.
                if self.known_keys > 0 {
                    self.notice = Some(crate::ui::strings::KNOWN_KEY_NOT_KEPT.into());
                }
                self.known_keys = 0;
                let cancelled: Vec<u32> = self.pending.drain(..).flat_map(|j| j.ids).collect();
                for id in cancelled {
                    if let Some(row) = self.row_mut(id) {
                        if matches!(row.status, RowStatus::Queued | RowStatus::Reading(_)) {
                            row.status = RowStatus::Cancelled;
                        }
                    }
                }
            }
            Action::Clear => {
                // The files go; what the responder said stays (the kept context goes to the new
                // worker), except the known key.
                let notice = (self.known_keys > 0)
                    .then(|| crate::ui::strings::KNOWN_KEY_NOT_KEPT.to_string());
                *self = State {
                    engine_error: self.engine_error.take(),
                    theme: self.theme,
                    system_dark: self.system_dark,
                    include_files: self.include_files,
                    kept_context: self.kept_context.take(),
                    answers: std::mem::take(&mut self.answers),
                    notice,
                    ..State::default()
                }
            }
            Action::SectionOpen(sec, open) => {
                if open {
                    self.open_sections.insert(sec);
                } else {
                    self.open_sections.remove(&sec);
                }
            }
            Action::AllSections(open) => {
                self.open_sections = if open {
                    Section::ALL.into_iter().collect()
                } else {
                    Default::default()
                }
            }
            Action::ToggleTheme => {
                self.theme = Some(if self.dark() {
                    Theme::Light
                } else {
                    Theme::Dark
                })
            }
            Action::SystemDark(d) => self.system_dark = d,
            Action::IncludeFiles(b) => self.include_files = b,
            Action::RemainingOnly(b) => self.remaining_only = b,
            Action::SessionOpened(list) => self.session_evidence = Some(list),
            Action::ToggleProblems(id) => {
                self.open_problems = if self.open_problems == Some(id) {
                    None
                } else {
                    Some(id)
                };
            }
            Action::EngineFailed(msg) => {
                self.engine_error = Some(msg);
                self.apply(Action::Cancel);
            }
            Action::SortAlerts(sort) => self.alert_sort = sort,
            Action::FilterAlerts(key) => self.alert_key = key,
            Action::SelectAlert(id) => {
                self.selected_alert = if self.selected_alert.as_ref() == Some(&id) {
                    None
                } else {
                    Some(id)
                };
            }
            Action::ToggleSecret(fp) => {
                self.open_secret = if self.open_secret.as_ref() == Some(&fp) {
                    None
                } else {
                    Some(fp)
                };
            }
            Action::Revealed { fingerprint, value } => self.revealed = Some((fingerprint, value)),
            Action::HideRevealed => self.revealed = None,
            Action::KnownKeyGiven => self.known_keys += 1,
            Action::ContextKept(c) => self.kept_context = Some(c),
            Action::Notice(n) => self.notice = n,
            Action::AnswersGiven(a) => self.answers = a,
            Action::Timing {
                read_ms,
                analyse_ms,
                stages,
            } => self.timing = Some((read_ms, analyse_ms, stages)),
            Action::ToggleMapping(id) => {
                self.open_mapping = if self.open_mapping == Some(id) {
                    None
                } else {
                    Some(id)
                };
            }
        }
    }

    /// Whether the page is dark: the responder's choice, else the system's.
    pub fn dark(&self) -> bool {
        match self.theme {
            Some(t) => t == Theme::Dark,
            None => self.system_dark,
        }
    }

    /// How the evidence analysed now compares with the opened session's list.
    pub fn session_check(&self) -> Option<crate::session::EvidenceCheck> {
        let expected = self.session_evidence.as_ref()?;
        let given: Vec<crate::session::EvidenceRef> = self
            .report
            .as_ref()
            .map(|r| {
                r.evidence
                    .iter()
                    .map(|e| crate::session::EvidenceRef {
                        name: e.name.clone(),
                        size: e.size,
                        sha256: e.sha256.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(crate::session::check(expected, &given))
    }

    /// True while the worker has unfinished jobs.
    pub fn busy(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The alerts to show: filtered by key and sorted as chosen.
    pub fn alerts(&self) -> Vec<&crate::ui::view::AlertView> {
        let Some(r) = &self.report else {
            return Vec::new();
        };
        let mut v: Vec<_> = r
            .detection
            .alerts
            .iter()
            .filter(|a| self.alert_key.as_ref().is_none_or(|k| &a.key == k))
            .collect();
        match self.alert_sort {
            AlertSort::Severity => v.sort_by(|a, b| {
                severity_rank(&b.severity)
                    .cmp(&severity_rank(&a.severity))
                    .then_with(|| a.start.cmp(&b.start))
            }),
            AlertSort::Time => {
                v.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)))
            }
        }
        v
    }

    /// Bytes read and bytes to read over all unfinished jobs.
    pub fn progress(&self) -> (u64, u64) {
        self.pending
            .iter()
            .fold((0, 0), |(d, t), j| (d + j.done, t + j.total))
    }

    fn row_mut(&mut self, id: u32) -> Option<&mut Row> {
        row_index(&self.rows, id).map(|at| &mut self.rows[at])
    }
}

/// Orders severities: critical above high above medium above low.
pub fn severity_rank(s: &str) -> u8 {
    match s {
        "critical" => 4,
        "high" => 3,
        "medium" => 2,
        "low" => 1,
        _ => 0,
    }
}

/// Rows are kept in id order (ids are handed out increasing), so a lookup is a binary search.
fn row_index(rows: &[Row], id: u32) -> Option<usize> {
    rows.binary_search_by_key(&id, |r| r.id).ok()
}

impl yew::Reducible for State {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests;
