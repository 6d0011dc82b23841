//! Resolution of `%` (parent) references: jsonata-js `pushAncestry`, `resolveAncestry`,
//! `seekParent`, and the final label assignment.

use std::sync::Arc;

use super::super::ast::{GroupSpec, Node, NodeKind, Stage};
use super::super::error::{Error, ErrorExt, err};
use super::{Processor, steps_mut};

impl Processor {
    /// jsonata-js `pushAncestry`: propagate unresolved parent slots from `value` up.
    pub(super) fn push_ancestry(&mut self, result: &mut Node, value: &Node) {
        let parent = Self::parent_slot(value);
        if value.seeking_parent.is_none() && parent.is_none() {
            return;
        }
        let list = match value.seeking_parent {
            Some(l) => l,
            None => self.new_list(Vec::new()),
        };
        if let Some(slot) = parent
            && let Some(l) = self.lists.get_mut(list)
        {
            l.push(slot);
        }
        match result.seeking_parent {
            None => result.seeking_parent = Some(list),
            Some(existing) => {
                let extra = self.lists.get(list).cloned().unwrap_or_default();
                if let Some(l) = self.lists.get_mut(existing) {
                    l.extend(extra);
                }
            }
        }
    }

    /// jsonata-js `resolveAncestry`: bind pending parent slots to earlier steps of a path.
    pub(super) fn resolve_ancestry(&mut self, path: &mut Node) -> Result<(), Error> {
        let mut path_seeking = path.seeking_parent;
        let Some(steps) = steps_mut(path) else {
            return Ok(());
        };
        let Some(laststep) = steps.last() else {
            return Ok(());
        };
        let last_parent = Self::parent_slot(laststep);
        let list = match laststep.seeking_parent {
            Some(l) => l,
            None => self.new_list(Vec::new()),
        };
        if let Some(slot) = last_parent
            && let Some(l) = self.lists.get_mut(list)
        {
            l.push(slot);
        }
        let mut is = 0;
        while is < self.lists.get(list).map_or(0, Vec::len) {
            let slot = self.lists[list][is];
            is += 1;
            let mut index = steps.len() as i64 - 2;
            while self.slots.get(slot).is_some_and(|s| s.level > 0) {
                if index < 0 {
                    match path_seeking {
                        None => path_seeking = Some(self.new_list(vec![slot])),
                        Some(l) => {
                            if let Some(lst) = self.lists.get_mut(l) {
                                lst.push(slot);
                            }
                        }
                    }
                    break;
                }
                let mut step_idx = index as usize;
                index -= 1;
                // contiguous steps that bind the focus are skipped together
                while index >= 0
                    && steps[step_idx].focus.is_some()
                    && steps[index as usize].focus.is_some()
                {
                    step_idx = index as usize;
                    index -= 1;
                }
                self.seek_parent(&mut steps[step_idx], slot)?;
            }
        }
        path.seeking_parent = path_seeking;
        Ok(())
    }

    /// jsonata-js `seekParent`.
    pub(super) fn seek_parent(&mut self, node: &mut Node, slot: usize) -> Result<(), Error> {
        match &mut node.kind {
            NodeKind::Name(_) | NodeKind::Wildcard => {
                let level = match self.slots.get_mut(slot) {
                    Some(s) => {
                        s.level -= 1;
                        s.level
                    }
                    None => return Ok(()),
                };
                if level == 0 {
                    if let Some(existing) = node.ancestor_slot {
                        let label = self.slots.get(existing).map(|s| s.label.clone());
                        if let (Some(label), Some(s)) = (label, self.slots.get_mut(slot)) {
                            s.label = label;
                        }
                    }
                    node.ancestor_slot = Some(slot);
                    node.tuple = true;
                }
            }
            NodeKind::Parent { .. } => {
                if let Some(s) = self.slots.get_mut(slot) {
                    s.level += 1;
                }
            }
            NodeKind::Block(exprs) => {
                if let Some(last) = exprs.last_mut() {
                    self.seek_parent(last, slot)?;
                    node.tuple = true;
                }
            }
            NodeKind::Path { steps, .. } => {
                let mut index = steps.len() as i64 - 1;
                if index >= 0 {
                    self.seek_parent(&mut steps[index as usize], slot)?;
                    index -= 1;
                }
                while self.slots.get(slot).is_some_and(|s| s.level > 0) && index >= 0 {
                    self.seek_parent(&mut steps[index as usize], slot)?;
                    index -= 1;
                }
                node.tuple = true;
            }
            _ => {
                return Err(err("S0217").at(node.position).with_token(node.type_name()));
            }
        }
        Ok(())
    }

    /// Replace parse-time slot ids with their final labels throughout the tree.
    pub(super) fn resolve_labels(&self, node: &mut Node) {
        if let Some(slot) = node.ancestor_slot {
            node.ancestor = self.slots.get(slot).map(|s| s.label.clone());
        }
        node.seeking_parent = None;
        match &mut node.kind {
            NodeKind::Parent { slot, label } => {
                *label = self
                    .slots
                    .get(*slot)
                    .map(|s| s.label.clone())
                    .unwrap_or_default();
            }
            NodeKind::Path { steps, .. } => steps.iter_mut().for_each(|s| self.resolve_labels(s)),
            NodeKind::Binary { lhs, rhs, .. }
            | NodeKind::Elvis { lhs, rhs }
            | NodeKind::Coalesce { lhs, rhs }
            | NodeKind::Apply { lhs, rhs } => {
                self.resolve_labels(lhs);
                self.resolve_labels(rhs);
            }
            NodeKind::Negate(e) => self.resolve_labels(e),
            NodeKind::Array(items) | NodeKind::Block(items) => {
                items.iter_mut().for_each(|s| self.resolve_labels(s))
            }
            NodeKind::Object(g) => self.resolve_group(g),
            NodeKind::Condition {
                cond,
                then,
                otherwise,
            } => {
                self.resolve_labels(cond);
                self.resolve_labels(then);
                if let Some(o) = otherwise {
                    self.resolve_labels(o);
                }
            }
            NodeKind::Bind { rhs, .. } => self.resolve_labels(rhs),
            NodeKind::Function { procedure, args } | NodeKind::Partial { procedure, args } => {
                self.resolve_labels(procedure);
                args.iter_mut().for_each(|a| self.resolve_labels(a));
            }
            NodeKind::Lambda(def) => {
                if let Some(def) = Arc::get_mut(def) {
                    self.resolve_labels(&mut def.body);
                }
            }
            NodeKind::Sort { terms } => terms
                .iter_mut()
                .for_each(|t| self.resolve_labels(&mut t.expression)),
            NodeKind::Transform(t) => {
                if let Some(t) = Arc::get_mut(t) {
                    self.resolve_labels(&mut t.pattern);
                    self.resolve_labels(&mut t.update);
                    if let Some(d) = &mut t.delete {
                        self.resolve_labels(d);
                    }
                }
            }
            _ => {}
        }
        node.predicate
            .iter_mut()
            .for_each(|p| self.resolve_labels(p));
        for stage in node.stages.iter_mut() {
            if let Stage::Filter(p) = stage {
                self.resolve_labels(p);
            }
        }
        if let Some(g) = node.group.as_deref_mut() {
            self.resolve_group(g);
        }
    }

    fn resolve_group(&self, g: &mut GroupSpec) {
        for (k, v) in g.pairs.iter_mut() {
            self.resolve_labels(k);
            self.resolve_labels(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::asl::jsonata::parse_ast;

    #[test]
    fn parent_beyond_the_root_is_a_static_error() {
        let code = |src: &str| parse_ast(src).err().map(|e| e.code.clone());
        assert_eq!(code("%.a"), Some("S0217".into()));
        assert_eq!(code("a.%"), None);
        assert_eq!(code("a.b.%.%"), None);
        assert_eq!(code("a.%.%"), Some("S0217".into()));
        assert_eq!(code("a.(1).%"), Some("S0217".into()));
    }
}
