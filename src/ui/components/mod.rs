//! The page's components, each named for what the responder sees.

mod drop_zone;
mod evidence_list;
mod page;
mod progress;

pub use drop_zone::{DropZone, DropZoneProps};
pub use evidence_list::{EvidenceList, EvidenceListProps};
pub use page::{Page, PageProps};
pub use progress::{ProgressPanel, ProgressPanelProps};
