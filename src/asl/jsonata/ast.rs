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
