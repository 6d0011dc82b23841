//! The processed syntax tree the evaluator walks (jsonata-js's post-`processAST` shape).

use std::sync::Arc;

use super::regex_js::JsRegex;
use super::signature::Signature;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinaryOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Concat,
    And,
    Or,
    Range,
    In,
}

impl BinaryOp {
    pub fn from_token(op: &str) -> Option<BinaryOp> {
        Some(match op {
            "+" => BinaryOp::Add,
            "-" => BinaryOp::Subtract,
            "*" => BinaryOp::Multiply,
            "/" => BinaryOp::Divide,
            "%" => BinaryOp::Modulo,
            "=" => BinaryOp::Equal,
            "!=" => BinaryOp::NotEqual,
            "<" => BinaryOp::Less,
            "<=" => BinaryOp::LessEqual,
            ">" => BinaryOp::Greater,
            ">=" => BinaryOp::GreaterEqual,
            "&" => BinaryOp::Concat,
            "and" => BinaryOp::And,
            "or" => BinaryOp::Or,
            ".." => BinaryOp::Range,
            "in" => BinaryOp::In,
            _ => return None,
        })
    }
    pub fn token(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Subtract => "-",
            BinaryOp::Multiply => "*",
            BinaryOp::Divide => "/",
            BinaryOp::Modulo => "%",
            BinaryOp::Equal => "=",
            BinaryOp::NotEqual => "!=",
            BinaryOp::Less => "<",
            BinaryOp::LessEqual => "<=",
            BinaryOp::Greater => ">",
            BinaryOp::GreaterEqual => ">=",
            BinaryOp::Concat => "&",
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
            BinaryOp::Range => "..",
            BinaryOp::In => "in",
        }
    }
}

/// Object constructor / group-by clause: key and value expressions.
#[derive(Debug, Clone)]
pub(crate) struct GroupSpec {
    pub pairs: Vec<(Node, Node)>,
    pub position: usize,
}

#[derive(Debug, Clone)]
pub(crate) enum Stage {
    Filter(Node),
    /// `#$i` positional binding after a predicate.
    Index(String),
}

#[derive(Debug, Clone)]
pub(crate) struct SortTerm {
    pub descending: bool,
    pub expression: Node,
}

#[derive(Debug)]
pub(crate) struct LambdaDef {
    pub params: Vec<String>,
    pub signature: Option<Signature>,
    pub body: Node,
    /// Tail-call thunk: `body` is the function call to make in the trampoline.
    pub thunk: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum NodeKind {
    Path {
        steps: Vec<Node>,
        keep_singleton_array: bool,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Node>,
        rhs: Box<Node>,
    },
    Negate(Box<Node>),
    Array(Vec<Node>),
    Object(GroupSpec),
    Name(String),
    Str(String),
    Number(f64),
    Bool(bool),
    Null,
    Wildcard,
    Descendant,
    Parent {
        /// Parse-time slot id; `label` is filled in once ancestry is resolved.
        slot: usize,
        label: String,
    },
    Condition {
        cond: Box<Node>,
        then: Box<Node>,
        otherwise: Option<Box<Node>>,
    },
    Elvis {
        lhs: Box<Node>,
        rhs: Box<Node>,
    },
    Coalesce {
        lhs: Box<Node>,
        rhs: Box<Node>,
    },
    Block(Vec<Node>),
    Bind {
        name: String,
        rhs: Box<Node>,
    },
    Regex(Arc<JsRegex>),
    Function {
        procedure: Box<Node>,
        args: Vec<Node>,
    },
    Partial {
        procedure: Box<Node>,
        args: Vec<Node>,
    },
    /// `?` argument of a partial application.
    Placeholder,
    Variable(String),
    Lambda(Arc<LambdaDef>),
    Apply {
        lhs: Box<Node>,
        rhs: Box<Node>,
    },
    Sort {
        terms: Vec<SortTerm>,
    },
    Transform(Arc<TransformDef>),
}

/// `| pattern | update, delete |`; shared with the runtime transformer function.
#[derive(Debug)]
pub(crate) struct TransformDef {
    pub pattern: Node,
    pub update: Node,
    pub delete: Option<Node>,
}

/// A syntax-tree node with the annotations jsonata-js attaches during post-processing.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub position: usize,
    pub keep_array: bool,
    /// Array constructor that must not be flattened into the surrounding path.
    pub cons_array: bool,
    /// Step (or path) that takes part in a tuple stream (focus/index/parent bindings).
    pub tuple: bool,
    /// `@$v`: variable bound to each item of this step.
    pub focus: Option<String>,
    /// `#$i`: variable bound to each item's position.
    pub index: Option<String>,
    /// Label under which this step's input is remembered for a `%` parent reference.
    pub ancestor: Option<String>,
    /// Predicates applied to the node's value (non-path steps).
    pub predicate: Vec<Node>,
    /// Predicates/index bindings applied per step within a path.
    pub stages: Vec<Stage>,
    pub group: Option<Box<GroupSpec>>,
    /// Parse-time only: unresolved `%` slots below this node (a shared list id).
    pub seeking_parent: Option<usize>,
    /// Parse-time only: slot id behind `ancestor`.
    pub ancestor_slot: Option<usize>,
}

impl Node {
    pub fn new(kind: NodeKind, position: usize) -> Node {
        Node {
            kind,
            position,
            keep_array: false,
            cons_array: false,
            tuple: false,
            focus: None,
            index: None,
            ancestor: None,
            predicate: Vec::new(),
            stages: Vec::new(),
            group: None,
            seeking_parent: None,
            ancestor_slot: None,
        }
    }

    /// jsonata-js `type` of the node (for error tokens).
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Path { .. } => "path",
            NodeKind::Binary { .. } => "binary",
            NodeKind::Negate(_) | NodeKind::Array(_) | NodeKind::Object(_) => "unary",
            NodeKind::Name(_) => "name",
            NodeKind::Str(_) => "string",
            NodeKind::Number(_) => "number",
            NodeKind::Bool(_) | NodeKind::Null => "value",
            NodeKind::Wildcard => "wildcard",
            NodeKind::Descendant => "descendant",
            NodeKind::Parent { .. } => "parent",
            NodeKind::Condition { .. } | NodeKind::Elvis { .. } | NodeKind::Coalesce { .. } => {
                "condition"
            }
            NodeKind::Block(_) => "block",
            NodeKind::Bind { .. } => "bind",
            NodeKind::Regex(_) => "regex",
            NodeKind::Function { .. } => "function",
            NodeKind::Partial { .. } => "partial",
            NodeKind::Placeholder => "operator",
            NodeKind::Variable(_) => "variable",
            NodeKind::Lambda(_) => "lambda",
            NodeKind::Apply { .. } => "apply",
            NodeKind::Sort { .. } => "sort",
            NodeKind::Transform { .. } => "transform",
        }
    }
}

impl Node {
    /// Every node directly below this one (operands, steps, bodies, predicates, groups).
    pub fn children(&self) -> Vec<&Node> {
        let mut out: Vec<&Node> = Vec::new();
        match &self.kind {
            NodeKind::Path { steps, .. } => out.extend(steps.iter()),
            NodeKind::Binary { lhs, rhs, .. }
            | NodeKind::Elvis { lhs, rhs }
            | NodeKind::Coalesce { lhs, rhs }
            | NodeKind::Apply { lhs, rhs } => {
                out.push(lhs);
                out.push(rhs);
            }
            NodeKind::Negate(e) => out.push(e),
            NodeKind::Array(items) | NodeKind::Block(items) => out.extend(items.iter()),
            NodeKind::Object(g) => g.pairs.iter().for_each(|(k, v)| out.extend([k, v])),
            NodeKind::Condition {
                cond,
                then,
                otherwise,
            } => {
                out.push(cond);
                out.push(then);
                out.extend(otherwise.as_deref());
            }
            NodeKind::Bind { rhs, .. } => out.push(rhs),
            NodeKind::Function { procedure, args } | NodeKind::Partial { procedure, args } => {
                out.push(procedure);
                out.extend(args.iter());
            }
            NodeKind::Lambda(def) => out.push(&def.body),
            NodeKind::Sort { terms } => out.extend(terms.iter().map(|t| &t.expression)),
            NodeKind::Transform(t) => {
                out.push(&t.pattern);
                out.push(&t.update);
                out.extend(t.delete.as_ref());
            }
            _ => {}
        }
        out.extend(self.predicate.iter());
        for stage in &self.stages {
            if let Stage::Filter(p) = stage {
                out.push(p);
            }
        }
        if let Some(g) = &self.group {
            g.pairs.iter().for_each(|(k, v)| out.extend([k, v]));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::asl::jsonata::parse_ast;

    #[test]
    fn children_cover_steps_predicates_and_bodies() {
        let Ok(node) = parse_ast("a[b > 1].(function($x){ $x }(c))") else {
            panic!("parse failed")
        };
        let mut count = 0;
        let mut stack = vec![&node];
        while let Some(n) = stack.pop() {
            count += 1;
            stack.extend(n.children());
        }
        // path, 2 steps, predicate (binary, path, name, number), block, call, lambda, body...
        assert!(count >= 12, "only {count} nodes reached");
    }

    #[test]
    fn type_names_match_jsonata_js() {
        let name = |src: &str| parse_ast(src).map(|n| n.type_name()).unwrap_or("error");
        assert_eq!(name("a.b"), "path");
        assert_eq!(name("1 + 2"), "binary");
        assert_eq!(name("$f(1)"), "function");
        assert_eq!(name("$f(?)"), "partial");
        assert_eq!(name("[1]"), "unary");
        assert_eq!(name("$x := 1"), "bind");
    }
}
