//! Binary operators that shape paths: `.`, predicates `[...]`, `@`/`#` bindings, `:=`,
//! `~>`, and plain operators.

use super::super::ast::{BinaryOp, Node, NodeKind, Stage};
use super::super::error::{Error, ErrorExt, err};
use super::super::parser::{Raw, RawKind};
use super::{Processor, is_path, path_of, steps_mut};

impl Processor {
    pub(super) fn binary(
        &mut self,
        op: &'static str,
        lhs: Raw,
        rhs: Raw,
        pos: usize,
        keep_array: bool,
    ) -> Result<Node, Error> {
        Ok(match op {
            "." => self.map_step(lhs, rhs)?,
            "[" => {
                let mut result = self.process(lhs)?;
                let in_path = is_path(&result);
                let mut predicate = self.process(rhs)?;
                {
                    let step: &mut Node = match steps_mut(&mut result) {
                        Some(steps) => match steps.last_mut() {
                            Some(s) => s,
                            None => return Err(err("S0201").at(pos)),
                        },
                        None => &mut result,
                    };
                    if step.group.is_some() {
                        return Err(err("S0209").at(pos));
                    }
                    if let Some(list) = predicate.seeking_parent {
                        let slots = self.lists.get(list).cloned().unwrap_or_default();
                        for slot in slots {
                            if self.slots.get(slot).is_some_and(|s| s.level == 1) {
                                self.seek_parent(step, slot)?;
                            } else if let Some(s) = self.slots.get_mut(slot) {
                                s.level -= 1;
                            }
                        }
                        self.push_ancestry(step, &predicate);
                    }
                    predicate.seeking_parent = predicate.seeking_parent.take();
                    if in_path {
                        step.stages.push(Stage::Filter(predicate));
                    } else {
                        step.predicate.push(predicate);
                    }
                }
                result
            }
            ":=" => {
                let name = match lhs.kind {
                    RawKind::Variable(v) => v,
                    _ => return Err(err("S0212").at(lhs.pos)),
                };
                let rhs = self.process(rhs)?;
                let mut result = Node::new(NodeKind::Null, pos);
                self.push_ancestry(&mut result, &rhs);
                result.kind = NodeKind::Bind {
                    name,
                    rhs: Box::new(rhs),
                };
                result
            }
            "@" => {
                let var = match rhs.kind {
                    RawKind::Variable(v) => v,
                    _ => return Err(err("S0214").at(rhs.pos).with_token("@")),
                };
                let mut result = self.process(lhs)?;
                let step: &mut Node = match steps_mut(&mut result) {
                    Some(steps) => match steps.last_mut() {
                        Some(s) => s,
                        None => return Err(err("S0201").at(pos)),
                    },
                    None => &mut result,
                };
                if !step.stages.is_empty() || !step.predicate.is_empty() {
                    return Err(err("S0215").at(pos));
                }
                if matches!(step.kind, NodeKind::Sort { .. }) {
                    return Err(err("S0216").at(pos));
                }
                if keep_array {
                    step.keep_array = true;
                }
                step.focus = Some(var);
                step.tuple = true;
                result
            }
            "#" => {
                let var = match rhs.kind {
                    RawKind::Variable(v) => v,
                    _ => return Err(err("S0214").at(rhs.pos).with_token("#")),
                };
                let mut result = self.process(lhs)?;
                if !is_path(&result) {
                    let mut step = result;
                    if !step.predicate.is_empty() {
                        step.stages = std::mem::take(&mut step.predicate)
                            .into_iter()
                            .map(Stage::Filter)
                            .collect();
                    }
                    result = path_of(step);
                }
                if let Some(step) = steps_mut(&mut result).and_then(|s| s.last_mut()) {
                    if step.stages.is_empty() {
                        step.index = Some(var);
                    } else {
                        step.stages.push(Stage::Index(var));
                    }
                    step.tuple = true;
                }
                result
            }
            "~>" => {
                let lhs = self.process(lhs)?;
                let rhs = self.process(rhs)?;
                Node::new(
                    NodeKind::Apply {
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                    pos,
                )
            }
            other => {
                let Some(bop) = BinaryOp::from_token(other) else {
                    return Err(err("S0201").at(pos).with_token(other));
                };
                let lhs = self.process(lhs)?;
                let rhs = self.process(rhs)?;
                let mut result = Node::new(NodeKind::Null, pos);
                self.push_ancestry(&mut result, &lhs);
                self.push_ancestry(&mut result, &rhs);
                result.kind = NodeKind::Binary {
                    op: bop,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                };
                result
            }
        })
    }

    /// The `.` operator: build or extend a path.
    fn map_step(&mut self, lhs: Raw, rhs: Raw) -> Result<Node, Error> {
        let lstep = self.process(lhs)?;
        let lstep_parent = Self::parent_slot(&lstep);
        let mut result = if is_path(&lstep) {
            lstep
        } else {
            path_of(lstep)
        };
        if let Some(slot) = lstep_parent {
            let list = self.new_list(vec![slot]);
            result.seeking_parent = Some(list);
        }
        let mut rest = self.process(rhs)?;
        let Some(steps) = steps_mut(&mut result) else {
            return Err(err("S0201"));
        };
        match rest.kind {
            NodeKind::Path { steps: more, .. } => steps.extend(more),
            _ => {
                if !rest.predicate.is_empty() {
                    rest.stages = std::mem::take(&mut rest.predicate)
                        .into_iter()
                        .map(Stage::Filter)
                        .collect();
                }
                steps.push(rest);
            }
        }
        for step in steps.iter_mut() {
            match &step.kind {
                NodeKind::Number(n) => {
                    return Err(err("S0213")
                        .at(step.position)
                        .with_value(super::super::number::js_number_to_string(*n)));
                }
                NodeKind::Bool(b) => {
                    return Err(err("S0213").at(step.position).with_value(b.to_string()));
                }
                NodeKind::Null => {
                    return Err(err("S0213").at(step.position).with_value("null"));
                }
                NodeKind::Str(s) => {
                    let name = s.clone();
                    step.kind = NodeKind::Name(name);
                }
                _ => {}
            }
        }
        let any_keep = steps.iter().any(|s| s.keep_array);
        if let Some(first) = steps.first_mut()
            && matches!(first.kind, NodeKind::Array(_))
        {
            first.cons_array = true;
        }
        if let Some(last) = steps.last_mut()
            && matches!(last.kind, NodeKind::Array(_))
        {
            last.cons_array = true;
        }
        if any_keep
            && let NodeKind::Path {
                keep_singleton_array,
                ..
            } = &mut result.kind
        {
            *keep_singleton_array = true;
        }
        self.resolve_ancestry(&mut result)?;
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use crate::asl::jsonata::ast::NodeKind;
    use crate::asl::jsonata::parse_ast;

    #[test]
    fn string_steps_become_names_and_literals_are_rejected() {
        let Ok(node) = parse_ast("a.'b c'") else {
            panic!("parse failed")
        };
        let NodeKind::Path { steps, .. } = &node.kind else {
            panic!("not a path")
        };
        assert!(matches!(&steps[1].kind, NodeKind::Name(n) if n == "b c"));
        assert_eq!(
            parse_ast("a.true").err().map(|e| e.code.clone()),
            Some("S0213".into())
        );
    }

    #[test]
    fn bindings_and_application() {
        assert!(matches!(
            parse_ast("a#$i[0]").map(|n| n.kind),
            Ok(NodeKind::Path { .. })
        ));
        assert!(matches!(
            parse_ast("1 ~> $f").map(|n| n.kind),
            Ok(NodeKind::Apply { .. })
        ));
        assert!(matches!(
            parse_ast("$x := 1").map(|n| n.kind),
            Ok(NodeKind::Bind { .. })
        ));
    }
}
