//! The colours of a run: one per visit status, shared by the canvas and the run panel.

use crate::engine::debug::VisitStatus;
use egui::Color32;

/// The colour of a state (or an execution) in this status, as Workflow Studio colours them.
pub fn status_color(status: VisitStatus, dark: bool) -> Color32 {
    match (status, dark) {
        (VisitStatus::InProgress, true) => Color32::from_rgb(0x4d, 0x9d, 0xf6),
        (VisitStatus::InProgress, false) => Color32::from_rgb(0x1f, 0x6f, 0xd0),
        (VisitStatus::Succeeded, true) => Color32::from_rgb(0x3f, 0xb9, 0x50),
        (VisitStatus::Succeeded, false) => Color32::from_rgb(0x1a, 0x7f, 0x37),
        (VisitStatus::Failed, true) => Color32::from_rgb(0xf8, 0x51, 0x49),
        (VisitStatus::Failed, false) => Color32::from_rgb(0xcf, 0x22, 0x2e),
        (VisitStatus::Caught, true) => Color32::from_rgb(0xf0, 0x88, 0x3e),
        (VisitStatus::Caught, false) => Color32::from_rgb(0xbc, 0x4c, 0x00),
        (VisitStatus::Cancelled, true) => Color32::from_rgb(0x8b, 0x94, 0x9e),
        (VisitStatus::Cancelled, false) => Color32::from_rgb(0x6e, 0x77, 0x81),
    }
}

/// A word for the status (legends, tooltips, the history table).
pub fn status_word(status: VisitStatus) -> &'static str {
    match status {
        VisitStatus::InProgress => "in progress",
        VisitStatus::Succeeded => "succeeded",
        VisitStatus::Failed => "failed",
        VisitStatus::Caught => "caught an error",
        VisitStatus::Cancelled => "cancelled",
    }
}
