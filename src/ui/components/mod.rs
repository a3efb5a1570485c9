//! The page's components, each named for what the responder sees.

pub mod agent;
pub mod alerts;
pub mod chart;
pub mod checklist;
mod cost;
mod drop_zone;
mod evidence_list;
mod findings;
mod fold;
pub mod hops;
pub mod incident;
mod mapping;
mod notifications;
mod page;
pub mod paging;
mod progress;
mod scope;
pub mod summary;
mod timeline;

pub use agent::{AgentPanel, AgentPanelProps};
pub use alerts::{AlertsPanel, AlertsPanelProps};
pub use chart::{Charts, ChartsProps};
pub use checklist::{ChecklistPanel, ChecklistPanelProps};
pub use cost::{CostPanel, CostPanelProps};
pub use drop_zone::{DropZone, DropZoneProps};
pub use evidence_list::{EvidenceList, EvidenceListProps};
pub use findings::{FindingsPanel, FindingsPanelProps};
pub use fold::{Fold, FoldProps};
pub use mapping::{MappingForm, MappingFormProps};
pub use notifications::{NotificationsPanel, NotificationsPanelProps};
pub use page::{Page, PageProps};
pub use progress::{ProgressPanel, ProgressPanelProps};
pub use scope::{Questionnaire, QuestionnaireProps, ScopePanel, ScopePanelProps};
pub use summary::{Summary, SummaryProps};
pub use timeline::{TimelinePanel, TimelinePanelProps};
