//! Static analysis of a parsed expression: the `$variables` it reads from its
//! environment (for validators), and whether it can recurse (for choosing a stack).

use std::collections::BTreeSet;

use super::ast::{Node, NodeKind, Stage};
use super::functions;

/// Names of `$variables` read from bindings (locals, parameters and built-ins excluded).
pub(crate) fn free_variables(ast: &Node) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut scopes: Vec<Vec<String>> = vec![Vec::new()];
    collect_free(ast, &mut scopes, &mut out);
    out
}

fn is_bound(scopes: &[Vec<String>], name: &str) -> bool {
    scopes.iter().any(|s| s.iter().any(|n| n == name))
}

fn collect_free(node: &Node, scopes: &mut Vec<Vec<String>>, out: &mut BTreeSet<String>) {
    let bind = |scopes: &mut Vec<Vec<String>>, name: &str| {
        if let Some(top) = scopes.last_mut() {
            top.push(name.to_string());
        }
    };
    match &node.kind {
        NodeKind::Variable(name) => {
            if !name.is_empty()
                && name != "$"
                && !is_bound(scopes, name)
                && functions::builtin(name).is_undefined()
            {
                out.insert(name.clone());
            }
        }
        NodeKind::Block(exprs) => {
            scopes.push(Vec::new());
            exprs.iter().for_each(|e| collect_free(e, scopes, out));
            scopes.pop();
        }
        NodeKind::Bind { name, rhs } => {
            collect_free(rhs, scopes, out);
            bind(scopes, name);
        }
        NodeKind::Lambda(def) => {
            scopes.push(def.params.clone());
            collect_free(&def.body, scopes, out);
            scopes.pop();
        }
        NodeKind::Path { steps, .. } => {
            scopes.push(Vec::new());
            for step in steps {
                collect_step(step, scopes, out);
                if let Some(f) = &step.focus {
                    bind(scopes, f);
                }
                if let Some(i) = &step.index {
                    bind(scopes, i);
                }
                for s in &step.stages {
                    if let Stage::Index(i) = s {
                        bind(scopes, i);
                    }
                }
            }
            if let Some(g) = &node.group {
                for (k, v) in &g.pairs {
                    collect_free(k, scopes, out);
                    collect_free(v, scopes, out);
                }
            }
            scopes.pop();
            return;
        }
        _ => {
            // visit direct children only; `walk` would also enter nested scopes
            let mut children: Vec<&Node> = Vec::new();
            direct_children(node, &mut children);
            for c in children {
                collect_free(c, scopes, out);
            }
            return;
        }
    }
    for p in &node.predicate {
        collect_free(p, scopes, out);
    }
}

/// A path step: the step itself plus its stages (predicates see the step's bindings).
fn collect_step(step: &Node, scopes: &mut Vec<Vec<String>>, out: &mut BTreeSet<String>) {
    let mut plain = step.clone();
    plain.stages.clear();
    collect_free(&plain, scopes, out);
    if let Some(f) = &step.focus
        && let Some(top) = scopes.last_mut()
    {
        top.push(f.clone());
    }
    for s in &step.stages {
        if let Stage::Filter(p) = s {
            collect_free(p, scopes, out);
        }
    }
}

fn direct_children<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
    match &node.kind {
        NodeKind::Binary { lhs, rhs, .. }
        | NodeKind::Elvis { lhs, rhs }
        | NodeKind::Coalesce { lhs, rhs }
        | NodeKind::Apply { lhs, rhs } => {
            out.push(lhs);
            out.push(rhs);
        }
        NodeKind::Negate(e) => out.push(e),
        NodeKind::Array(items) => out.extend(items.iter()),
        NodeKind::Object(g) => {
            for (k, v) in &g.pairs {
                out.push(k);
                out.push(v);
            }
        }
        NodeKind::Condition {
            cond,
            then,
            otherwise,
        } => {
            out.push(cond);
            out.push(then);
            if let Some(o) = otherwise {
                out.push(o);
            }
        }
        NodeKind::Function { procedure, args } | NodeKind::Partial { procedure, args } => {
            out.push(procedure);
            out.extend(args.iter());
        }
        NodeKind::Sort { terms } => out.extend(terms.iter().map(|t| &t.expression)),
        NodeKind::Transform(t) => {
            out.push(&t.pattern);
            out.push(&t.update);
            if let Some(d) = &t.delete {
                out.push(d);
            }
        }
        _ => {}
    }
    out.extend(node.predicate.iter());
    for s in &node.stages {
        if let Stage::Filter(p) = s {
            out.push(p);
        }
    }
    if let Some(g) = &node.group {
        for (k, v) in &g.pairs {
            out.push(k);
            out.push(v);
        }
    }
}

/// Structural facts used to decide whether evaluation can safely run on the caller's
/// stack: without lambdas, transforms or `$eval`, evaluation depth is bounded by the
/// depth of the tree itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    pub depth: usize,
    pub may_recurse: bool,
}

pub(crate) fn shape(ast: &Node) -> Shape {
    let mut result = Shape {
        depth: 0,
        may_recurse: false,
    };
    let mut stack = vec![(ast, 1usize)];
    while let Some((node, depth)) = stack.pop() {
        result.depth = result.depth.max(depth);
        match &node.kind {
            NodeKind::Lambda(_) | NodeKind::Transform(_) => result.may_recurse = true,
            NodeKind::Variable(name) if name == "eval" => result.may_recurse = true,
            _ => {}
        }
        stack.extend(node.children().into_iter().map(|c| (c, depth + 1)));
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::jsonata::parse_ast;

    fn shape_of(src: &str) -> Option<Shape> {
        parse_ast(src).ok().map(|n| shape(&n))
    }

    #[test]
    fn recursion_capable_constructs_are_detected() {
        assert_eq!(shape_of("a.b[c > 1]").map(|s| s.may_recurse), Some(false));
        assert_eq!(
            shape_of("$map(x, function($v){$v})").map(|s| s.may_recurse),
            Some(true)
        );
        assert_eq!(shape_of("$eval('1')").map(|s| s.may_recurse), Some(true));
        assert_eq!(shape_of("$ ~> |a|{}|").map(|s| s.may_recurse), Some(true));
        assert!(shape_of("[[[1]]]").is_some_and(|s| s.depth >= 3));
    }

    #[test]
    fn free_variables_respect_scopes() {
        let vars = |src: &str| {
            parse_ast(src)
                .map(|n| free_variables(&n))
                .unwrap_or_default()
        };
        assert_eq!(
            vars("($a := 1; $a + $b)").into_iter().collect::<Vec<_>>(),
            ["b"]
        );
        assert!(vars("function($x){$x}").is_empty());
        assert!(vars("$sum([1]) + $$.a + $").is_empty());
    }
}
