//! Widgets more than one view draws: a JSON value as a tree with what changed marked
//! (`json_tree`), and the data flow of a state visit stage by stage (`stages`), shown by the
//! inspector's Test state tab and the run view's Data flow tab.

pub mod json_tree;
pub mod stages;
