//! Post-parse processing, a port of jsonata-js `processAST` and helpers.
//!
//! Flattens `.` chains into paths of steps, moves predicates into step stages, records
//! focus (`@`) / index (`#`) bindings, resolves `%` parent references to ancestor labels,
//! and rewrites tail calls in lambda bodies into thunks for the trampoline.
//!
//! jsonata-js shares mutable "slot" objects and `seekingParent` arrays between nodes; we
//! keep them in arenas (`slots`, `lists`) indexed by id so the aliasing behaves the same.

use std::sync::Arc;

use super::ast::{GroupSpec, LambdaDef, Node, NodeKind, SortTerm, TransformDef};
use super::error::{Error, ErrorExt, err};
use super::parser::{Raw, RawKind};
use super::regex_js::JsRegex;

pub(super) struct Slot {
    pub(super) label: String,
    pub(super) level: i64,
}

#[derive(Default)]
pub(crate) struct Processor {
    pub(super) slots: Vec<Slot>,
    pub(super) lists: Vec<Vec<usize>>,
}

mod ancestry;
mod steps;

fn path_of(step: Node) -> Node {
    let pos = step.position;
    Node::new(
        NodeKind::Path {
            steps: vec![step],
            keep_singleton_array: false,
        },
        pos,
    )
}

pub(super) fn steps_mut(node: &mut Node) -> Option<&mut Vec<Node>> {
    match &mut node.kind {
        NodeKind::Path { steps, .. } => Some(steps),
        _ => None,
    }
}

fn is_path(node: &Node) -> bool {
    matches!(node.kind, NodeKind::Path { .. })
}

impl Processor {
    /// Process a whole expression and resolve parent labels.
    pub fn run(raw: Raw) -> Result<Node, Error> {
        let mut p = Processor::default();
        let mut expr = p.process(raw)?;
        if matches!(expr.kind, NodeKind::Parent { .. }) || expr.seeking_parent.is_some() {
            return Err(err("S0217").at(expr.position).with_token(expr.type_name()));
        }
        p.resolve_labels(&mut expr);
        Ok(expr)
    }

    pub(super) fn new_list(&mut self, items: Vec<usize>) -> usize {
        self.lists.push(items);
        self.lists.len() - 1
    }

    pub(super) fn parent_slot(node: &Node) -> Option<usize> {
        match node.kind {
            NodeKind::Parent { slot, .. } => Some(slot),
            _ => None,
        }
    }

    fn process(&mut self, raw: Raw) -> Result<Node, Error> {
        let keep_array = raw.keep_array;
        let pos = raw.pos;
        let mut result = match raw.kind {
            RawKind::Binary { op, lhs, rhs } => self.binary(op, *lhs, *rhs, pos, keep_array)?,
            RawKind::GroupBy { lhs, pairs } => {
                let mut result = self.process(*lhs)?;
                if result.group.is_some() {
                    return Err(err("S0210").at(pos));
                }
                let pairs = self.pairs(pairs, None)?;
                result.group = Some(Box::new(GroupSpec {
                    pairs,
                    position: pos,
                }));
                result
            }
            RawKind::OrderBy { lhs, terms } => {
                let mut result = self.process(*lhs)?;
                if !is_path(&result) {
                    result = path_of(result);
                }
                let mut sort = Node::new(NodeKind::Sort { terms: Vec::new() }, pos);
                let mut processed = Vec::new();
                for (descending, term) in terms {
                    let expression = self.process(term)?;
                    self.push_ancestry(&mut sort, &expression);
                    processed.push(SortTerm {
                        descending,
                        expression,
                    });
                }
                sort.kind = NodeKind::Sort { terms: processed };
                if let Some(steps) = steps_mut(&mut result) {
                    steps.push(sort);
                }
                self.resolve_ancestry(&mut result)?;
                result
            }
            RawKind::Negate(expr) => {
                let inner = self.process(*expr)?;
                if let NodeKind::Number(n) = inner.kind {
                    let mut num = inner;
                    num.kind = NodeKind::Number(-n);
                    num
                } else {
                    let mut result = Node::new(
                        NodeKind::Negate(Box::new(Node::new(NodeKind::Null, pos))),
                        pos,
                    );
                    self.push_ancestry(&mut result, &inner);
                    result.kind = NodeKind::Negate(Box::new(inner));
                    result
                }
            }
            RawKind::Array(items) => {
                let mut result = Node::new(NodeKind::Array(Vec::new()), pos);
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let v = self.process(item)?;
                    self.push_ancestry(&mut result, &v);
                    out.push(v);
                }
                result.kind = NodeKind::Array(out);
                result
            }
            RawKind::Object(pairs) => {
                let mut result = Node::new(NodeKind::Null, pos);
                let pairs = self.pairs(pairs, Some(&mut result))?;
                result.kind = NodeKind::Object(GroupSpec {
                    pairs,
                    position: pos,
                });
                result
            }
            RawKind::Function {
                procedure,
                args,
                partial,
            } => {
                let mut result = Node::new(NodeKind::Null, pos);
                let mut out = Vec::with_capacity(args.len());
                for arg in args {
                    let a = self.process(arg)?;
                    self.push_ancestry(&mut result, &a);
                    out.push(a);
                }
                let procedure = Box::new(self.process(*procedure)?);
                result.kind = if partial {
                    NodeKind::Partial {
                        procedure,
                        args: out,
                    }
                } else {
                    NodeKind::Function {
                        procedure,
                        args: out,
                    }
                };
                result
            }
            RawKind::Lambda {
                params,
                signature,
                body,
            } => {
                let body = self.process(*body)?;
                let body = tail_call_optimize(body);
                Node::new(
                    NodeKind::Lambda(Arc::new(LambdaDef {
                        params,
                        signature,
                        body,
                        thunk: false,
                    })),
                    pos,
                )
            }
            RawKind::Condition {
                cond,
                then,
                otherwise,
            } => {
                let mut result = Node::new(NodeKind::Null, pos);
                let cond = self.process(*cond)?;
                self.push_ancestry(&mut result, &cond);
                let then = self.process(*then)?;
                self.push_ancestry(&mut result, &then);
                let otherwise = match otherwise {
                    Some(o) => {
                        let o = self.process(*o)?;
                        self.push_ancestry(&mut result, &o);
                        Some(Box::new(o))
                    }
                    None => None,
                };
                result.kind = NodeKind::Condition {
                    cond: Box::new(cond),
                    then: Box::new(then),
                    otherwise,
                };
                result
            }
            RawKind::Elvis { lhs, rhs } => {
                let (lhs, rhs, result) = self.either(*lhs, *rhs, pos)?;
                let mut result = result;
                result.kind = NodeKind::Elvis { lhs, rhs };
                result
            }
            RawKind::Coalesce { lhs, rhs } => {
                let (lhs, rhs, result) = self.either(*lhs, *rhs, pos)?;
                let mut result = result;
                result.kind = NodeKind::Coalesce { lhs, rhs };
                result
            }
            RawKind::Transform {
                pattern,
                update,
                delete,
            } => {
                let pattern = self.process(*pattern)?;
                let update = self.process(*update)?;
                let delete = match delete {
                    Some(d) => Some(self.process(*d)?),
                    None => None,
                };
                Node::new(
                    NodeKind::Transform(Arc::new(TransformDef {
                        pattern,
                        update,
                        delete,
                    })),
                    pos,
                )
            }
            RawKind::Block(exprs) => {
                let mut result = Node::new(NodeKind::Null, pos);
                let mut out = Vec::with_capacity(exprs.len());
                for e in exprs {
                    let part = self.process(e)?;
                    self.push_ancestry(&mut result, &part);
                    let first_cons = match &part.kind {
                        NodeKind::Path { steps, .. } => steps.first().is_some_and(|s| s.cons_array),
                        _ => false,
                    };
                    if part.cons_array || first_cons {
                        result.cons_array = true;
                    }
                    out.push(part);
                }
                result.kind = NodeKind::Block(out);
                result
            }
            RawKind::Name(name) => name_path(name, pos, keep_array),
            RawKind::Parent => {
                let slot = self.slots.len();
                self.slots.push(Slot {
                    label: format!("!{slot}"),
                    level: 1,
                });
                Node::new(
                    NodeKind::Parent {
                        slot,
                        label: String::new(),
                    },
                    pos,
                )
            }
            RawKind::Str(s) => Node::new(NodeKind::Str(s), pos),
            RawKind::Number(n) => Node::new(NodeKind::Number(n), pos),
            RawKind::Bool(b) => Node::new(NodeKind::Bool(b), pos),
            RawKind::Null => Node::new(NodeKind::Null, pos),
            RawKind::Wildcard => Node::new(NodeKind::Wildcard, pos),
            RawKind::Descendant => Node::new(NodeKind::Descendant, pos),
            RawKind::Variable(v) => Node::new(NodeKind::Variable(v), pos),
            RawKind::Regex { pattern, flags } => match JsRegex::new(&pattern, &flags) {
                Ok(re) => Node::new(NodeKind::Regex(Arc::new(re)), pos),
                Err(msg) => {
                    return Err(err("S0303").at(pos).with_token(pattern).with_message(msg));
                }
            },
            RawKind::Operator(op) => match op {
                "and" | "or" | "in" => name_path(op.to_string(), pos, keep_array),
                "?" => Node::new(NodeKind::Placeholder, pos),
                other => return Err(err("S0201").at(pos).with_token(other)),
            },
            RawKind::End => return Err(err("S0207").at(pos).with_token("(end)")),
        };
        if keep_array {
            result.keep_array = true;
        }
        Ok(result)
    }

    fn either(
        &mut self,
        lhs: Raw,
        rhs: Raw,
        pos: usize,
    ) -> Result<(Box<Node>, Box<Node>, Node), Error> {
        let mut result = Node::new(NodeKind::Null, pos);
        let lhs = self.process(lhs)?;
        self.push_ancestry(&mut result, &lhs);
        let rhs = self.process(rhs)?;
        self.push_ancestry(&mut result, &rhs);
        Ok((Box::new(lhs), Box::new(rhs), result))
    }

    fn pairs(
        &mut self,
        pairs: Vec<(Raw, Raw)>,
        mut ancestry_target: Option<&mut Node>,
    ) -> Result<Vec<(Node, Node)>, Error> {
        let mut out = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            let key = self.process(k)?;
            if let Some(target) = ancestry_target.as_deref_mut() {
                self.push_ancestry(target, &key);
            }
            let value = self.process(v)?;
            if let Some(target) = ancestry_target.as_deref_mut() {
                self.push_ancestry(target, &value);
            }
            out.push((key, value));
        }
        Ok(out)
    }
}

/// A field name becomes a one-step path.
fn name_path(name: String, pos: usize, keep_array: bool) -> Node {
    let mut step = Node::new(NodeKind::Name(name), pos);
    step.keep_array = keep_array;
    let mut path = path_of(step);
    if keep_array
        && let NodeKind::Path {
            keep_singleton_array,
            ..
        } = &mut path.kind
    {
        *keep_singleton_array = true;
    }
    path
}

/// Replace a function call in tail position with a thunk evaluated by the trampoline.
fn tail_call_optimize(expr: Node) -> Node {
    match expr.kind {
        NodeKind::Function { .. } if expr.predicate.is_empty() => {
            let pos = expr.position;
            Node::new(
                NodeKind::Lambda(Arc::new(LambdaDef {
                    params: Vec::new(),
                    signature: None,
                    body: expr,
                    thunk: true,
                })),
                pos,
            )
        }
        NodeKind::Condition {
            cond,
            then,
            otherwise,
        } => {
            let mut out = Node {
                kind: NodeKind::Null,
                ..expr
            };
            out.kind = NodeKind::Condition {
                cond,
                then: Box::new(tail_call_optimize(*then)),
                otherwise: otherwise.map(|o| Box::new(tail_call_optimize(*o))),
            };
            out
        }
        NodeKind::Elvis { lhs, rhs } => {
            let mut out = Node {
                kind: NodeKind::Null,
                ..expr
            };
            out.kind = NodeKind::Elvis {
                lhs,
                rhs: Box::new(tail_call_optimize(*rhs)),
            };
            out
        }
        NodeKind::Coalesce { lhs, rhs } => {
            let mut out = Node {
                kind: NodeKind::Null,
                ..expr
            };
            out.kind = NodeKind::Coalesce {
                lhs,
                rhs: Box::new(tail_call_optimize(*rhs)),
            };
            out
        }
        NodeKind::Block(mut exprs) => {
            if let Some(last) = exprs.pop() {
                exprs.push(tail_call_optimize(last));
            }
            Node {
                kind: NodeKind::Block(exprs),
                ..expr
            }
        }
        kind => Node { kind, ..expr },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::jsonata::parser::Parser;

    fn process(src: &str) -> Result<Node, Error> {
        Processor::run(Parser::parse(src)?)
    }

    #[test]
    fn dotted_names_become_one_path() {
        let Ok(node) = process("a.b[0].c") else {
            panic!("failed")
        };
        match node.kind {
            NodeKind::Path { steps, .. } => {
                assert_eq!(steps.len(), 3);
                assert_eq!(steps[1].stages.len(), 1);
            }
            other => panic!("not a path: {other:?}"),
        }
    }

    #[test]
    fn parent_operator_binds_an_ancestor_label() {
        let Ok(node) = process("Account.Order.Product.%.OrderID") else {
            panic!("failed")
        };
        let NodeKind::Path { steps, .. } = node.kind else {
            panic!("not a path")
        };
        let label = steps[2].ancestor.clone();
        assert!(label.is_some());
        assert!(steps[2].tuple);
        match &steps[3].kind {
            NodeKind::Parent { label: l, .. } => assert_eq!(Some(l.clone()), label),
            other => panic!("expected parent, got {other:?}"),
        }
    }

    #[test]
    fn static_errors() {
        let code = |s: &str| process(s).err().map(|e| e.code.clone());
        assert_eq!(code("%"), Some("S0217".into()));
        assert_eq!(code("a.1"), Some("S0213".into()));
        assert_eq!(code("(a){'x':1}[0]"), Some("S0209".into()));
        assert_eq!(code("a{'x':1}{'y':2}"), Some("S0210".into()));
        assert_eq!(code("a[0]@$x"), Some("S0215".into()));
        assert_eq!(code("a^(b)@$x"), Some("S0216".into()));
        assert_eq!(code("()"), None);
    }

    #[test]
    fn tail_calls_become_thunks() {
        let Ok(node) = process("function($n){ $n = 0 ? 1 : $f($n - 1) }") else {
            panic!("failed")
        };
        let NodeKind::Lambda(def) = node.kind else {
            panic!("not a lambda")
        };
        let NodeKind::Condition { otherwise, .. } = &def.body.kind else {
            panic!("not a condition")
        };
        assert!(
            matches!(otherwise.as_deref().map(|o| &o.kind), Some(NodeKind::Lambda(d)) if d.thunk)
        );
    }
}
