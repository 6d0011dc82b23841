//! The raw syntax tree produced by the Pratt parser (before `post_process`).

use super::signature::Signature;

#[derive(Debug, Clone)]
pub(crate) struct Raw {
    pub kind: RawKind,
    pub pos: usize,
    pub keep_array: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum RawKind {
    Binary {
        op: &'static str,
        lhs: Box<Raw>,
        rhs: Box<Raw>,
    },
    Negate(Box<Raw>),
    Array(Vec<Raw>),
    Object(Vec<(Raw, Raw)>),
    GroupBy {
        lhs: Box<Raw>,
        pairs: Vec<(Raw, Raw)>,
    },
    OrderBy {
        lhs: Box<Raw>,
        terms: Vec<(bool, Raw)>,
    },
    Name(String),
    Variable(String),
    Str(String),
    Number(f64),
    Null,
    Bool(bool),
    Regex {
        pattern: String,
        flags: String,
    },
    Wildcard,
    Descendant,
    Parent,
    Function {
        procedure: Box<Raw>,
        args: Vec<Raw>,
        partial: bool,
    },
    Lambda {
        params: Vec<String>,
        signature: Option<Signature>,
        body: Box<Raw>,
    },
    Condition {
        cond: Box<Raw>,
        then: Box<Raw>,
        otherwise: Option<Box<Raw>>,
    },
    /// jsonata 2.1 `?:`: left if truthy, else right.
    Elvis {
        lhs: Box<Raw>,
        rhs: Box<Raw>,
    },
    /// jsonata 2.1 `??`: left if it exists, else right.
    Coalesce {
        lhs: Box<Raw>,
        rhs: Box<Raw>,
    },
    Block(Vec<Raw>),
    Transform {
        pattern: Box<Raw>,
        update: Box<Raw>,
        delete: Option<Box<Raw>>,
    },
    /// An operator token in operand position: `and`/`or`/`in` used as field names, or the
    /// `?` placeholder of a partial application.
    Operator(&'static str),
    End,
}

impl Raw {
    pub(crate) fn new(kind: RawKind, pos: usize) -> Raw {
        Raw {
            kind,
            pos,
            keep_array: false,
        }
    }
    /// The jsonata-js `type` of this node, used as an error token.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            RawKind::Binary { .. } | RawKind::GroupBy { .. } | RawKind::OrderBy { .. } => "binary",
            RawKind::Negate(_) | RawKind::Array(_) | RawKind::Object(_) => "unary",
            RawKind::Name(_) => "name",
            RawKind::Variable(_) => "variable",
            RawKind::Str(_) => "string",
            RawKind::Number(_) => "number",
            RawKind::Null | RawKind::Bool(_) => "value",
            RawKind::Regex { .. } => "regex",
            RawKind::Wildcard => "wildcard",
            RawKind::Descendant => "descendant",
            RawKind::Parent => "parent",
            RawKind::Function { partial: false, .. } => "function",
            RawKind::Function { partial: true, .. } => "partial",
            RawKind::Lambda { .. } => "lambda",
            RawKind::Condition { .. } | RawKind::Elvis { .. } | RawKind::Coalesce { .. } => {
                "condition"
            }
            RawKind::Block(_) => "block",
            RawKind::Transform { .. } => "transform",
            RawKind::Operator(_) => "operator",
            RawKind::End => "(end)",
        }
    }
}

/// The `value` jsonata-js would report for a node in an error token.
pub(crate) fn raw_token(r: &Raw) -> String {
    match &r.kind {
        RawKind::Name(s) | RawKind::Variable(s) | RawKind::Str(s) => s.clone(),
        RawKind::Number(n) => super::number::js_number_to_string(*n),
        RawKind::Bool(b) => b.to_string(),
        RawKind::Null => "null".into(),
        RawKind::Operator(op) => (*op).into(),
        RawKind::Binary { op, .. } => (*op).into(),
        RawKind::Negate(_) => "-".into(),
        RawKind::Array(_) => "[".into(),
        RawKind::Object(_) | RawKind::GroupBy { .. } => "{".into(),
        RawKind::Block(_) | RawKind::Function { .. } | RawKind::Lambda { .. } => "(".into(),
        _ => r.type_name().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_tokens_for_error_messages() {
        let n = Raw::new(RawKind::Number(2.5), 3);
        assert_eq!(raw_token(&n), "2.5");
        assert_eq!(n.type_name(), "number");
        let v = Raw::new(RawKind::Variable("x".into()), 1);
        assert_eq!(raw_token(&v), "x");
        assert_eq!(Raw::new(RawKind::End, 0).type_name(), "(end)");
    }
}
