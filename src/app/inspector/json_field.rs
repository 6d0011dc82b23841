//! The small JSON editor of JSON-valued fields (Parameters, Arguments, Result, Assign…): JSON
//! syntax highlighting, and text that is only written once it parses.

use super::form::is_expression;
use crate::asl::document::to_json_pretty;
use egui::text::LayoutJob;
use egui::{TextBuffer, Ui};
use egui_extras::syntax_highlighting::{CodeTheme, SyntectSettings, highlight_with};
use serde_json::Value;

/// The tallest the editor grows before it scrolls.
const MAX_HEIGHT: f32 = 280.0;

/// The text shown for a value: pretty JSON, or a JSONata expression as it is written (without
/// the quotes it has in the document).
pub fn render(value: &Value) -> String {
    match value {
        Value::String(s) if is_expression(s) => s.clone(),
        _ => to_json_pretty(value, "  "),
    }
}

/// The value of the typed text: JSON, or a bare `{% %}` expression (a string in ASL).
pub fn parse(text: &str) -> Result<Value, String> {
    let text = text.trim();
    if is_expression(text) {
        return Ok(Value::String(text.to_string()));
    }
    serde_json::from_str(text).map_err(|e| format!("Not valid JSON: {e}"))
}

/// A multi-line code editor for JSON (highlighted when syntaxes are loaded).
pub fn editor_ui(
    ui: &mut Ui,
    id: &str,
    text: &mut String,
    hint: &str,
    syntaxes: Option<&SyntectSettings>,
) -> egui::Response {
    let rows = text.lines().count().clamp(1, 14);
    let mut layouter = |ui: &Ui, buffer: &dyn TextBuffer, wrap_width: f32| {
        let mut job = highlighted(ui, buffer.as_str(), syntaxes);
        job.wrap.max_width = wrap_width;
        ui.fonts_mut(|fonts| fonts.layout_job(job))
    };
    egui::ScrollArea::vertical()
        .id_salt(("json-field", id))
        .max_height(MAX_HEIGHT)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.add(
                egui::TextEdit::multiline(text)
                    .id_salt(id)
                    .code_editor()
                    .hint_text(hint.to_string())
                    .desired_rows(rows)
                    .desired_width(f32::INFINITY)
                    .layouter(&mut layouter),
            )
        })
        .inner
}

fn highlighted(ui: &Ui, text: &str, syntaxes: Option<&SyntectSettings>) -> LayoutJob {
    let style = ui.style();
    // A JSONata expression is not JSON: coloured as JSON it would look broken.
    let syntaxes = syntaxes.filter(|_| !is_expression(text));
    match syntaxes {
        // Memoised by egui_extras per text, so calling it every frame costs a lookup.
        Some(settings) => highlight_with(
            ui.ctx(),
            style,
            &CodeTheme::from_style(style),
            text,
            "json",
            settings,
        ),
        None => LayoutJob::simple(
            text.to_string(),
            egui::TextStyle::Monospace.resolve(style),
            style.visuals.text_color(),
            f32::INFINITY,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expressions_round_trip_without_quotes() {
        let value = json!("{% $states.input.x %}");
        assert_eq!(render(&value), "{% $states.input.x %}");
        assert_eq!(parse(&render(&value)), Ok(value));
        // A plain string is JSON and keeps its quotes.
        assert_eq!(render(&json!("a")), "\"a\"");
    }

    #[test]
    fn broken_json_says_where() {
        let error = parse("{\"a\": 1,\n \"b\": }").unwrap_err();
        assert!(error.contains("line 2"), "{error}");
        assert_eq!(parse(" [1, 2] "), Ok(json!([1, 2])));
    }
}
