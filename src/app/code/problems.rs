//! The problems list under the editor and the banner shown while the text does not parse.

use crate::app::theme;
use crate::asl::document::ParseError;
use crate::asl::validate::{Diagnostic, Severity};
use egui::{RichText, Ui};

/// Counts of errors, warnings and notes.
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize, usize) {
    diagnostics
        .iter()
        .fold((0, 0, 0), |(e, w, i), d| match d.severity {
            Severity::Error => (e + 1, w, i),
            Severity::Warning => (e, w + 1, i),
            Severity::Information => (e, w, i + 1),
        })
}

/// The list; returns the index of the diagnostic the user clicked.
pub fn problems_ui(ui: &mut Ui, diagnostics: &[Diagnostic]) -> Option<usize> {
    let (errors, warnings, infos) = counts(diagnostics);
    ui.horizontal(|ui| {
        theme::heading_ui(ui, "Problems");
        ui.add_space(8.0);
        for (severity, count) in [
            (Severity::Error, errors),
            (Severity::Warning, warnings),
            (Severity::Information, infos),
        ] {
            theme::severity_icon_ui(ui, severity);
            ui.label(RichText::new(count.to_string()).small());
        }
    });
    ui.separator();
    let mut clicked = None;
    if diagnostics.is_empty() {
        ui.label(RichText::new("No problems: AWS would accept this definition.").weak());
        return None;
    }
    let dark = ui.visuals().dark_mode;
    let row_height = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical()
        .id_salt("problems")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, diagnostics.len(), |ui, rows| {
            for index in rows {
                let Some(diagnostic) = diagnostics.get(index) else {
                    continue;
                };
                let response = ui
                    .horizontal(|ui| {
                        ui.set_min_height(row_height);
                        theme::severity_icon_ui(ui, diagnostic.severity);
                        ui.label(
                            RichText::new(diagnostic.code.as_str())
                                .monospace()
                                .color(theme::severity_color(diagnostic.severity, dark)),
                        );
                        let location = format!("{}:{}", diagnostic.line, diagnostic.column);
                        let response = ui.add(
                            egui::Button::selectable(
                                false,
                                format!("{}  {location}", diagnostic.message),
                            )
                            .truncate(),
                        );
                        response.on_hover_text(format!(
                            "{}\nat line {location} ({})",
                            diagnostic.message,
                            if diagnostic.pointer.is_empty() {
                                "document"
                            } else {
                                &diagnostic.pointer
                            }
                        ))
                    })
                    .inner;
                if response.clicked() {
                    clicked = Some(index);
                }
            }
        });
    clicked
}

/// The banner of a syntax error; returns true when the user asks to go there.
pub fn parse_error_banner_ui(ui: &mut Ui, error: &ParseError, stale_model: bool) -> bool {
    let dark = ui.visuals().dark_mode;
    let color = theme::severity_color(Severity::Error, dark);
    let mut go = false;
    egui::Frame::new()
        .fill(color.gamma_multiply(0.14))
        .stroke(egui::Stroke::new(1.0, color.gamma_multiply(0.6)))
        .corner_radius(6)
        .inner_margin(egui::Margin::symmetric(10, 6))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                theme::severity_icon_ui(ui, Severity::Error);
                ui.label(
                    RichText::new(format!(
                        "The text does not parse at line {}:{}: {}",
                        error.line, error.column, error.message
                    ))
                    .strong(),
                );
                if stale_model {
                    ui.label(
                        RichText::new("The design shows the last version that parsed.").weak(),
                    );
                }
                if ui.link("Go to error").clicked() {
                    go = true;
                }
            });
        });
    go
}
