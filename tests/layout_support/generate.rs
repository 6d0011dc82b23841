//! Deterministic generator of large, realistic state machines (chains, Choice fan-outs with
//! poller and retry loops, Catch handlers, Parallel branches, nested Maps).

use serde_json::{Map, Value, json};

/// Small linear congruential generator: deterministic without a dependency.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

struct Builder {
    rng: Lcg,
    next_id: usize,
    total: usize,
    budget: usize,
}

impl Builder {
    fn name(&mut self, stem: &str) -> String {
        self.next_id += 1;
        self.total += 1;
        format!("{stem} {}", self.next_id)
    }

    /// Builds one graph level whose states end at `exit` (or End when `None`).
    fn graph(&mut self, depth: usize, target_len: usize) -> Value {
        let mut states = Map::new();
        let mut segments: Vec<Vec<(String, Value)>> = Vec::new();
        let mut len = 0;
        while len < target_len && self.total < self.budget {
            let seg = self.segment(depth);
            len += seg.len();
            segments.push(seg);
        }
        // Every graph finishes in a Succeed, so each placeholder has a target.
        let done = self.name("Succeeded");
        segments.push(vec![(done, json!({"Type": "Succeed"}))]);
        // Each segment's first state is its entry; link "__NEXT__" placeholders to the next
        // segment's entry, or end the graph.
        let entries: Vec<String> = segments.iter().map(|s| s[0].0.clone()).collect();
        let start = entries[0].clone();
        for (i, seg) in segments.into_iter().enumerate() {
            let next = entries.get(i + 1).cloned();
            for (name, mut state) in seg {
                link(&mut state, next.as_deref());
                states.insert(name, state);
            }
        }
        json!({"StartAt": start, "States": Value::Object(states)})
    }

    fn segment(&mut self, depth: usize) -> Vec<(String, Value)> {
        let choice = if depth >= 3 {
            self.rng.below(4)
        } else {
            self.rng.below(7)
        };
        match choice {
            0 | 1 => self.chain(),
            2 => self.poller(),
            3 => self.retry_loop(),
            4 => self.fan_out(),
            5 => self.parallel(depth),
            _ => self.map(depth),
        }
    }

    fn chain(&mut self) -> Vec<(String, Value)> {
        let n = 2 + self.rng.below(4);
        let names: Vec<String> = (0..n).map(|_| self.name("Task")).collect();
        let handler = self.name("Handle error");
        let fail = self.name("Failed");
        let mut out = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let next = names
                .get(i + 1)
                .cloned()
                .unwrap_or_else(|| "__NEXT__".into());
            let mut state =
                json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": next});
            if i % 2 == 0 {
                state["Catch"] = json!([{"ErrorEquals": ["States.ALL"], "Next": handler}]);
            }
            out.push((name.clone(), state));
        }
        out.push((handler, json!({"Type": "Pass", "Next": fail})));
        out.push((fail, json!({"Type": "Fail", "Error": "Boom"})));
        out
    }

    fn poller(&mut self) -> Vec<(String, Value)> {
        let start = self.name("Start job");
        let wait = self.name("Wait");
        let check = self.name("Get status");
        let choice = self.name("Is done?");
        let fail = self.name("Job failed");
        vec![
            (start, json!({"Type": "Task", "Next": wait})),
            (
                wait.clone(),
                json!({"Type": "Wait", "Seconds": 5, "Next": check}),
            ),
            (check, json!({"Type": "Task", "Next": choice})),
            (
                choice,
                json!({"Type": "Choice", "Choices": [
                {"Variable": "$.status", "StringEquals": "DONE", "Next": "__NEXT__"},
                {"Variable": "$.status", "StringEquals": "FAILED", "Next": fail}
            ], "Default": wait}),
            ),
            (fail, json!({"Type": "Fail"})),
        ]
    }

    fn retry_loop(&mut self) -> Vec<(String, Value)> {
        let task = self.name("Call API");
        let count = self.name("Count retry");
        let again = self.name("Retry?");
        let give_up = self.name("Give up");
        vec![
            (
                task.clone(),
                json!({"Type": "Task", "Next": "__NEXT__",
                "Catch": [{"ErrorEquals": ["States.TaskFailed", "States.Timeout"], "Next": count}]}),
            ),
            (count, json!({"Type": "Pass", "Next": again})),
            (
                again,
                json!({"Type": "Choice", "Choices": [
                {"Variable": "$.retries", "NumericLessThan": 3, "Next": task}
            ], "Default": give_up}),
            ),
            (give_up, json!({"Type": "Fail"})),
        ]
    }

    fn fan_out(&mut self) -> Vec<(String, Value)> {
        let choice = self.name("Route");
        let arms = 2 + self.rng.below(3);
        let mut out = Vec::new();
        let mut rules = Vec::new();
        let join = self.name("Join");
        for _ in 0..arms {
            let a = self.name("Arm");
            let b = self.name("Arm step");
            rules.push(json!({"Variable": "$.kind", "StringEquals": a, "Next": a}));
            out.push((a, json!({"Type": "Task", "Next": b})));
            out.push((b, json!({"Type": "Task", "Next": join})));
        }
        let done = self.name("Done");
        out.push((done, json!({"Type": "Succeed"})));
        out.insert(
            0,
            (
                choice,
                json!({"Type": "Choice", "Choices": rules, "Default": join}),
            ),
        );
        out.push((join, json!({"Type": "Pass", "Next": "__NEXT__"})));
        out
    }

    fn parallel(&mut self, depth: usize) -> Vec<(String, Value)> {
        let name = self.name("Parallel");
        let n = 2 + self.rng.below(3);
        let branches: Vec<Value> = (0..n)
            .map(|_| {
                let len = 3 + self.rng.below(6);
                self.graph(depth + 1, len)
            })
            .collect();
        let handler = self.name("Parallel failed");
        vec![
            (
                name,
                json!({"Type": "Parallel", "Branches": branches, "Next": "__NEXT__",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": handler}]}),
            ),
            (handler, json!({"Type": "Fail"})),
        ]
    }

    fn map(&mut self, depth: usize) -> Vec<(String, Value)> {
        let name = self.name("Map");
        let len = 3 + self.rng.below(8);
        let processor = self.graph(depth + 1, len);
        vec![(
            name,
            json!({"Type": "Map", "ItemProcessor": processor, "Next": "__NEXT__"}),
        )]
    }
}

/// Replaces the `__NEXT__` placeholder transitions with `next`, or ends the state.
fn link(state: &mut Value, next: Option<&str>) {
    let fix = |v: &mut Value| {
        if v.get("Next").and_then(Value::as_str) == Some("__NEXT__") {
            match next {
                Some(n) => v["Next"] = json!(n),
                None => {
                    if let Some(obj) = v.as_object_mut() {
                        obj.remove("Next");
                        obj.insert("End".into(), json!(true));
                    }
                }
            }
        }
    };
    if let Some(rules) = state.get_mut("Choices").and_then(Value::as_array_mut) {
        rules.iter_mut().for_each(fix);
    }
    fix(state);
}

/// A definition with about `states` states in total (nested ones included).
pub fn generated_definition(states: usize) -> Value {
    let mut b = Builder {
        rng: Lcg(42),
        next_id: 0,
        total: 0,
        budget: states,
    };
    b.graph(0, usize::MAX)
}

/// Number of states in a definition, nested ones included.
pub fn count_states(def: &Value) -> usize {
    let Some(states) = def.get("States").and_then(Value::as_object) else {
        return 0;
    };
    states
        .values()
        .map(|s| {
            let nested: usize = s
                .get("Branches")
                .and_then(Value::as_array)
                .map(|b| b.iter().map(count_states).sum())
                .unwrap_or(0)
                + s.get("ItemProcessor").map(count_states).unwrap_or(0);
            1 + nested
        })
        .sum()
}

/// A flat machine of `tasks` Tasks in a chain where every Task catches into one shared
/// handler at the bottom: the worst case for long edges (each Catch spans many layers).
pub fn shared_handler_definition(tasks: usize) -> Value {
    let mut states = Map::new();
    for i in 0..tasks {
        let next = if i + 1 < tasks {
            format!("Task {}", i + 1)
        } else {
            "Done".into()
        };
        states.insert(
            format!("Task {i}"),
            json!({"Type": "Task", "Next": next,
                   "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle failure"}]}),
        );
    }
    states.insert("Done".into(), json!({"Type": "Succeed"}));
    states.insert("Handle failure".into(), json!({"Type": "Fail"}));
    json!({"StartAt": "Task 0", "States": Value::Object(states)})
}
