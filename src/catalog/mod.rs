//! What the designer's States browser offers: Actions (service integrations with sensible
//! defaults), Flow (the seven flow states) and Patterns (multi-state blocks from
//! `templates/`), with one search over all three; and how a Task's resource reads as a service.
//! No UI: the app draws these, and [`PaletteItem::fragment`] is what a drop inserts.

mod actions;
mod service;

pub use service::{TaskService, task_service};

use crate::asl::convert::{self, Marking};
use crate::asl::graph_edit::{Fragment, GraphEditError};
use crate::asl::model::QueryLanguage;
use crate::templates::{self, TemplateCategory};
use serde_json::Value;
use std::sync::LazyLock;

/// The three sections of the States browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    Actions,
    Flow,
    Patterns,
}

impl Group {
    pub const ALL: [Group; 3] = [Group::Actions, Group::Flow, Group::Patterns];

    pub fn title(self) -> &'static str {
        match self {
            Group::Actions => "Actions",
            Group::Flow => "Flow",
            Group::Patterns => "Patterns",
        }
    }
}

/// One entry of the States browser.
#[derive(Debug, Clone, Copy)]
pub struct PaletteItem {
    pub id: &'static str,
    /// Also the name of the state it inserts (made unique on insertion).
    pub title: &'static str,
    pub group: Group,
    /// Icon key: a [`TaskService::key`] for actions, the state type for flow, `pattern`.
    pub icon: &'static str,
    /// Extra words the search matches.
    pub keywords: &'static str,
    pub description: &'static str,
    source: Source,
}

#[derive(Debug, Clone, Copy)]
enum Source {
    /// One state, written in JSONPath.
    State(fn() -> Value),
    /// A pattern template (`templates/<id>.asl.json`).
    Template(&'static str),
}

impl PaletteItem {
    /// The states a drop inserts, in the query language of the workflow it goes into.
    pub fn fragment(&self, language: QueryLanguage) -> Result<Fragment, GraphEditError> {
        let fragment = match self.source {
            Source::State(state) => Fragment::single(self.title, state()),
            Source::Template(id) => {
                let template = templates::by_id(id)
                    .ok_or_else(|| GraphEditError::NotStates(format!("no template {id}")))?;
                let definition: Value = serde_json::from_str(template.text)
                    .map_err(|e| GraphEditError::NotStates(e.to_string()))?;
                Fragment::from_definition(&definition)?
            }
        };
        match language {
            QueryLanguage::JsonPath => Ok(fragment),
            QueryLanguage::Jsonata => to_jsonata(fragment),
        }
    }

    /// The state type it inserts (for a pattern, its first state's).
    pub fn state_type(&self) -> &'static str {
        match self.group {
            Group::Actions => "Task",
            Group::Flow => self.id,
            Group::Patterns => "Pattern",
        }
    }

    fn matches(&self, words: &[String]) -> bool {
        let haystack = format!(
            "{} {} {} {}",
            self.title, self.keywords, self.description, self.icon
        )
        .to_lowercase();
        words.iter().all(|word| haystack.contains(word.as_str()))
    }
}

/// Converts a JSONPath block for a JSONata workflow (a JSONPath state is not allowed there);
/// the states inherit the machine's language.
fn to_jsonata(fragment: Fragment) -> Result<Fragment, GraphEditError> {
    let states = Value::Object(fragment.states);
    let converted = convert::block_to_jsonata(&states, Marking::Inherit)
        .map_err(|e| GraphEditError::NotStates(e.to_string()))?;
    match converted.value {
        Value::Object(states) => Ok(Fragment {
            start: fragment.start,
            states,
        }),
        _ => Err(GraphEditError::NotStates(
            "the conversion did not give states".into(),
        )),
    }
}

static PATTERNS: LazyLock<Vec<PaletteItem>> = LazyLock::new(|| {
    templates::all()
        .iter()
        .filter(|t| t.category == TemplateCategory::Pattern)
        .map(|t| PaletteItem {
            id: t.id,
            title: t.title,
            group: Group::Patterns,
            icon: "pattern",
            keywords: "pattern block",
            description: t.description,
            source: Source::Template(t.id),
        })
        .collect()
});

/// Every entry of one section, in display order.
pub fn items(group: Group) -> &'static [PaletteItem] {
    match group {
        Group::Actions => actions::ACTIONS,
        Group::Flow => actions::FLOW,
        Group::Patterns => &PATTERNS,
    }
}

/// The entries of all three sections matching every word of `query` (case-insensitive, in
/// title, keywords, description or service); all of them for an empty query.
pub fn search(query: &str) -> Vec<&'static PaletteItem> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    Group::ALL
        .iter()
        .flat_map(|group| items(*group))
        .filter(|item| item.matches(&words))
        .collect()
}

/// An entry by id.
pub fn by_id(id: &str) -> Option<&'static PaletteItem> {
    Group::ALL
        .iter()
        .flat_map(|group| items(*group))
        .find(|item| item.id == id)
}

#[cfg(test)]
mod tests;
