//! The parsed form of a JSONPath expression.

use std::fmt;

use super::filter::FilterExpr;

/// Which document a path starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    /// `$`: the state input (or whatever document the caller evaluates on).
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: the workflow variable `name`.
    Variable(String),
    /// `@`: the current node, only inside filter expressions.
    Current,
}

/// One step of a path, with the character index where it starts.
#[derive(Debug, Clone)]
pub struct Segment {
    pub kind: SegmentKind,
    pub position: usize,
}

/// What a step selects.
#[derive(Debug, Clone)]
pub enum SegmentKind {
    /// `.name`, `['name']` or the union `['a','b']`.
    Property(Vec<String>),
    /// `[0]`, `[-1]` or the union `[0,2]`.
    Index(Vec<i64>),
    /// `[a:b]`, `[a:]`, `[:b]`. Jayway parses a third `:step` part and ignores
    /// it; `step` is kept so tools can warn about it.
    Slice {
        start: Option<i64>,
        end: Option<i64>,
        step: Option<i64>,
    },
    /// `.*` or `[*]`.
    Wildcard,
    /// `..`: the next step is applied to the node and all its descendants.
    DeepScan,
    /// `[?(...)]`.
    Filter(Box<FilterExpr>),
    /// `.length()`, `.avg()`... (Jayway path functions, last step only).
    Function(PathFunction),
    /// `[(@.length-n)]`: a script index, not Jayway but accepted by common
    /// ASL linters; it selects the element `n` places from the end.
    LengthOffset(i64),
}

/// A Jayway path function call such as `length()` or `append(4)`.
#[derive(Debug, Clone)]
pub struct PathFunction {
    pub name: String,
    pub args: Vec<FunctionArg>,
}

/// An argument of a path function.
#[derive(Debug, Clone)]
pub enum FunctionArg {
    /// A JSON literal.
    Literal(serde_json::Value),
    /// A path, evaluated against the root document (`$`) or current node (`@`).
    Path(Box<JsonPath>),
}

/// A parsed JSONPath expression.
#[derive(Debug, Clone)]
pub struct JsonPath {
    pub(crate) root: Root,
    pub(crate) segments: Vec<Segment>,
    pub(crate) source: String,
}

impl JsonPath {
    /// The document the path starts from.
    pub fn root(&self) -> &Root {
        &self.root
    }

    /// The steps after the root.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The text the path was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Jayway's rule: a path is definite when every step selects at most one
    /// node. Wildcards, deep scans, filters, slices and index unions are
    /// indefinite. A property union is definite only as the last step, where
    /// Jayway merges the properties into one object.
    pub fn is_definite(&self) -> bool {
        let last = self.segments.len().saturating_sub(1);
        self.segments
            .iter()
            .enumerate()
            .all(|(i, seg)| match &seg.kind {
                SegmentKind::Property(names) => names.len() == 1 || i == last,
                SegmentKind::Index(indexes) => indexes.len() == 1,
                SegmentKind::Function(_) | SegmentKind::LengthOffset(_) => true,
                SegmentKind::Slice { .. }
                | SegmentKind::Wildcard
                | SegmentKind::DeepScan
                | SegmentKind::Filter(_) => false,
            })
    }

    /// Whether the last step is a path function (`$.a.length()`).
    pub fn is_function_path(&self) -> bool {
        matches!(
            self.segments.last().map(|s| &s.kind),
            Some(SegmentKind::Function(_))
        )
    }

    /// Jayway's normalised rendering, e.g. `$['items'][0]`; AWS quotes it in
    /// messages such as `No results for path: $['NoSuchInputPath']`.
    pub fn normalized(&self) -> String {
        self.normalized_prefix(self.segments.len())
    }

    /// The normalised form of the root and the first `count` steps.
    pub(crate) fn normalized_prefix(&self, count: usize) -> String {
        let mut out = match &self.root {
            Root::Input => "$".to_string(),
            Root::Context => "$$".to_string(),
            Root::Variable(name) => format!("${name}"),
            Root::Current => "@".to_string(),
        };
        for seg in self.segments.iter().take(count) {
            out.push_str(&fragment(&seg.kind));
        }
        out
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// Jayway's `getPathFragment` for one step.
pub(crate) fn fragment(kind: &SegmentKind) -> String {
    match kind {
        SegmentKind::Property(names) => {
            let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
            format!("[{}]", quoted.join(","))
        }
        SegmentKind::Index(indexes) => {
            let parts: Vec<String> = indexes.iter().map(|i| i.to_string()).collect();
            format!("[{}]", parts.join(","))
        }
        SegmentKind::Slice { start, end, .. } => format!(
            "[{}:{}]",
            start.map(|v| v.to_string()).unwrap_or_default(),
            end.map(|v| v.to_string()).unwrap_or_default()
        ),
        SegmentKind::Wildcard => "[*]".to_string(),
        SegmentKind::DeepScan => "..".to_string(),
        SegmentKind::Filter(_) => "[?]".to_string(),
        SegmentKind::Function(func) => {
            if func.args.is_empty() {
                format!(".{}()", func.name)
            } else {
                format!(".{}(...)", func.name)
            }
        }
        SegmentKind::LengthOffset(n) => format!("[(@.length-{n})]"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    #[test]
    fn normalized_form_matches_jayway() {
        let p = parse("$.items[0]['a b'][1:3]").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.normalized(), "$['items'][0]['a b'][1:3]");
        let p = parse("$..book[*][?(@.x)].length()").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.normalized(), "$..['book'][*][?].length()");
    }

    #[test]
    fn definiteness_follows_jayway() {
        let definite = [
            "$",
            "$.a",
            "$.a[0]",
            "$.a[-1]",
            "$['a','b']",
            "$.a.length()",
        ];
        for text in definite {
            let p = parse(text).unwrap_or_else(|e| panic!("{e}"));
            assert!(p.is_definite(), "{text} should be definite");
        }
        let indefinite = [
            "$.a[*]",
            "$.a.*",
            "$..a",
            "$.a[1:2]",
            "$.a[0,1]",
            "$['a','b'].c",
            "$.a[?(@.b)]",
        ];
        for text in indefinite {
            let p = parse(text).unwrap_or_else(|e| panic!("{e}"));
            assert!(!p.is_definite(), "{text} should be indefinite");
        }
    }
}
