//! Rewiring one transition of a state in the document, keeping the key order as written.

use super::scan::{member_index, slot_pointer};
use super::{GraphEditError, Planner, Slot, StateRef};
use crate::asl::document::{Edit, pointer};
use serde_json::Value;

impl Planner {
    /// Points a transition at `target`; `None` ends the graph instead (`End: true` in place
    /// of `Next`, no `Default`, an empty `StartAt`). A rule's or catcher's `Next` cannot be
    /// removed, so `None` leaves it as it is (the validator then names the missing state).
    pub(super) fn set_transition(
        &mut self,
        state: &StateRef,
        slot: Slot,
        target: Option<&str>,
    ) -> Result<(), GraphEditError> {
        let state_pointer = state.pointer();
        let has = |planner: &Planner, key: &str| {
            planner
                .doc
                .value()
                .pointer(&pointer::join(&state_pointer, key))
                .is_some()
        };
        match (slot, target) {
            (Slot::Start, target) => self.push(Edit::Set {
                pointer: slot_pointer(state, Slot::Start),
                value: Value::from(target.unwrap_or_default()),
            }),
            (Slot::Next, Some(target)) if !has(self, "Next") && has(self, "End") => {
                self.replace_member(&state_pointer, "End", "Next", Value::from(target))
            }
            (Slot::Next, None) if has(self, "Next") => {
                self.replace_member(&state_pointer, "Next", "End", Value::Bool(true))
            }
            (Slot::Next, None) => self.push(Edit::Set {
                pointer: pointer::join(&state_pointer, "End"),
                value: Value::Bool(true),
            }),
            (Slot::Default, None) if has(self, "Default") => self.push(Edit::Remove {
                pointer: pointer::join(&state_pointer, "Default"),
            }),
            (Slot::Default, None) | (Slot::Rule(_) | Slot::Catch(_), None) => Ok(()),
            (slot, Some(target)) => self.push(Edit::Set {
                pointer: slot_pointer(state, slot),
                value: Value::from(target),
            }),
        }
    }

    /// Puts `new_key: value` where `old_key` is and removes `old_key`.
    fn replace_member(
        &mut self,
        object: &str,
        old_key: &str,
        new_key: &str,
        value: Value,
    ) -> Result<(), GraphEditError> {
        let index = member_index(&self.doc, object, old_key);
        self.push(Edit::InsertMember {
            object: object.to_string(),
            key: new_key.to_string(),
            value,
            index,
        })?;
        self.push(Edit::Remove {
            pointer: pointer::join(object, old_key),
        })
    }
}
