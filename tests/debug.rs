//! The debugger's core (`engine::debug`), driven as the run view drives it: stepping,
//! breakpoints, time travel, the background Continue, questions, and the run's index.

use asl_studio::asl::model::StateMachine;
use asl_studio::engine::backends::{MockBackend, UnmockedPolicy};
use asl_studio::engine::debug::{
    BreakOnError, Breakpoint, Breakpoints, DebugRun, Halt, Reply, SharedBreakpoints, VisitStatus,
};
use asl_studio::engine::{ExecutionOptions, ExecutionStatus, Pause};
use serde_json::{Value, json};

fn run_of(definition: Value, input: Value, mocks: Value, breakpoints: Breakpoints) -> DebugRun {
    let machine = StateMachine::from_value(&definition).unwrap();
    let mocks = MockBackend::from_state_mocks(&mocks, UnmockedPolicy::Fail).unwrap();
    DebugRun::new(
        &machine,
        input,
        ExecutionOptions::default(),
        Some(mocks),
        SharedBreakpoints::new(breakpoints),
    )
    .unwrap()
}

fn to_end(run: &mut DebugRun) -> Halt {
    for _ in 0..10_000 {
        match run.step() {
            Halt::Event => {}
            other => return other,
        }
    }
    panic!("the run did not end")
}

/// The id of a state in the run's places (`u32::MAX` for a state never reached: no summary).
fn state_id(run: &DebugRun, name: &str) -> u32 {
    let places = run.execution().and_then(|e| e.places()).expect("places");
    places.id_of(name).unwrap_or(u32::MAX)
}

fn order_flow() -> Value {
    json!({"StartAt": "Validate", "States": {
        "Validate": {"Type": "Pass", "Next": "Charge"},
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
            "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1, "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Refund"}],
            "Next": "Ship"},
        "Ship": {"Type": "Succeed"},
        "Refund": {"Type": "Pass", "End": true}}})
}

#[test]
fn stepping_builds_the_index_and_time_travel_shows_the_past() {
    let mut run = run_of(
        order_flow(),
        json!({"id": 1}),
        json!({"Charge": {"0": {"Throw": {"Error": "Busy", "Cause": "try later"}}, "1": {"Return": {"Payload": "ok"}}}}),
        Breakpoints::default(),
    );
    assert_eq!(to_end(&mut run), Halt::Finished);
    assert_eq!(run.status(), ExecutionStatus::Succeeded);
    let head = run.head();
    assert_eq!(run.cursor(), head);
    let (charge, ship, refund) = (
        state_id(&run, "Charge"),
        state_id(&run, "Ship"),
        state_id(&run, "Refund"),
    );
    {
        let index = run.index();
        let summary = index.summary_at(charge, head);
        assert_eq!((summary.visits, summary.retries), (1, 1));
        assert_eq!(summary.status(), Some(VisitStatus::Succeeded));
        assert_eq!(
            index.summary_at(ship, head).status(),
            Some(VisitStatus::Succeeded)
        );
        assert_eq!(index.summary_at(refund, head).status(), None);
        let taken: Vec<(u32, u32)> = index
            .transitions_at(head)
            .iter()
            .map(|t| (t.from, t.to))
            .collect();
        assert!(taken.contains(&(charge, ship)));
    }
    // Back to the moment Charge was entered: it is in progress, Ship not reached.
    let entered = run.index().visits()[1].entered;
    run.set_cursor(entered);
    {
        let index = run.index();
        assert_eq!(
            index.summary_at(charge, run.cursor()).status(),
            Some(VisitStatus::InProgress)
        );
        assert_eq!(index.summary_at(ship, run.cursor()).status(), None);
        assert_eq!(index.active_at(run.cursor()).count(), 1);
    }
    assert!(run.step_back());
    assert_eq!(run.cursor(), entered - 1);
    assert_eq!(run.step(), Halt::Event);
    assert_eq!(run.cursor(), entered);
}

#[test]
fn a_breakpoint_stops_before_the_state_is_entered() {
    let mut breakpoints = Breakpoints::default();
    breakpoints.list.push(Breakpoint::on("Charge"));
    let mut run = run_of(
        order_flow(),
        json!({"id": 7}),
        json!({"Charge": {"0": {"Return": {"Payload": "ok"}}}}),
        breakpoints,
    );
    assert_eq!(run.resume(), Halt::Busy);
    let halt = run.join().expect("the worker stops");
    assert_eq!(
        halt,
        Halt::Paused(Pause::Entry {
            state: "Charge".into(),
            input: json!({"id": 7})
        })
    );
    assert_eq!(run.entry_ahead().map(|e| e.0), Some("Charge".into()));
    let charge = state_id(&run, "Charge");
    assert_eq!(run.index().summary_at(charge, run.cursor()).visits, 0);
    // Stepping enters it.
    assert_eq!(run.step(), Halt::Event);
    let charge = state_id(&run, "Charge");
    assert_eq!(run.index().summary_at(charge, run.cursor()).visits, 1);
    // Continue runs to the end; back in the past, Continue stops before Charge again.
    run.resume();
    assert_eq!(run.join(), Some(Halt::Finished));
    run.set_cursor(1);
    assert!(matches!(run.resume(), Halt::Paused(Pause::Entry { .. })));
    assert_eq!(run.entry_ahead().map(|e| e.0), Some("Charge".into()));
}

#[test]
fn a_condition_decides_and_errors_can_break() {
    let mut breakpoints = Breakpoints::default();
    breakpoints
        .list
        .push(Breakpoint::on("Charge").when("{% $states.input.amount > 100 %}"));
    let mocks = json!({"Charge": {"0": {"Throw": {"Error": "Declined", "Cause": "no"}}}});
    let mut small = run_of(
        order_flow(),
        json!({"amount": 5}),
        mocks.clone(),
        breakpoints.clone(),
    );
    assert_eq!(to_end(&mut small), Halt::Finished);
    let mut big = run_of(
        order_flow(),
        json!({"amount": 500}),
        mocks.clone(),
        breakpoints,
    );
    assert!(matches!(
        to_end(&mut big),
        Halt::Paused(Pause::Entry { .. })
    ));

    let uncaught_only = Breakpoints {
        list: Vec::new(),
        on_error: BreakOnError::Uncaught,
    };
    let mut caught = run_of(
        order_flow(),
        json!({}),
        mocks.clone(),
        uncaught_only.clone(),
    );
    assert_eq!(
        to_end(&mut caught),
        Halt::Finished,
        "a caught error does not break"
    );
    let any = Breakpoints {
        list: Vec::new(),
        on_error: BreakOnError::Any,
    };
    let mut any_run = run_of(order_flow(), json!({}), mocks, any);
    match to_end(&mut any_run) {
        Halt::Paused(Pause::Error { state, handled, .. }) => {
            assert_eq!(state, "Charge");
            assert!(handled);
        }
        other => panic!("expected a break on the error, got {other:?}"),
    }
    assert_eq!(to_end(&mut any_run), Halt::Finished);
    let refund = state_id(&any_run, "Refund");
    let charge = state_id(&any_run, "Charge");
    let head = any_run.head();
    let index = any_run.index();
    assert_eq!(
        index.summary_at(charge, head).status(),
        Some(VisitStatus::Caught)
    );
    assert!(
        index
            .transitions_at(head)
            .iter()
            .any(|t| t.from == charge && t.to == refund && t.caught)
    );
}

#[test]
fn unmocked_tasks_ask_and_callbacks_wait_for_their_token() {
    let definition = json!({"StartAt": "Ask", "States": {
        "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "Next": "Approve"},
        "Approve": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}}});
    let mut run = run_of(definition, json!({}), json!({}), Breakpoints::default());
    assert_eq!(to_end(&mut run), Halt::WaitingForAnswer);
    let question = run.questions().waiting().remove(0);
    assert_eq!(question.state, "Ask");
    assert_eq!(question.suggested["StatusCode"], json!(200));
    run.questions()
        .answer(question.id, Reply::Return(json!({"Payload": 1})));
    assert_eq!(to_end(&mut run), Halt::WaitingForAnswer);
    let callback = run.questions().waiting().remove(0);
    let token = callback.token.clone().expect("a task token");
    assert!(run.questions().heartbeat(callback.id));
    assert!(
        run.questions()
            .answer_token(&token, Reply::Return(json!({"approved": true})))
    );
    assert_eq!(to_end(&mut run), Halt::Finished);
    assert_eq!(
        run.execution().and_then(|e| e.output()),
        Some(&json!({"approved": true}))
    );
}

#[test]
fn map_iterations_have_scopes_and_progress() {
    let definition = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map",
        "ToleratedFailureCount": 5,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Check", "States": {
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericGreaterThan": 2, "Next": "Bad"}], "Default": "Good"},
            "Good": {"Type": "Pass", "End": true},
            "Bad": {"Type": "Fail", "Error": "TooBig"}}},
        "End": true}}});
    let mut run = run_of(
        definition,
        json!([1, 2, 3, 4]),
        json!({}),
        Breakpoints::default(),
    );
    run.resume();
    assert_eq!(run.join(), Some(Halt::Finished));
    let head = run.head();
    let (each, bad, good) = (
        state_id(&run, "Each"),
        state_id(&run, "Bad"),
        state_id(&run, "Good"),
    );
    let index = run.index();
    let map_visit = index
        .visits()
        .iter()
        .position(|v| v.state == each)
        .expect("the Map visit");
    let progress = index.progress_at(map_visit, head);
    assert_eq!(
        (progress.total, progress.succeeded, progress.failed),
        (Some(4), 2, 2)
    );
    let children = index.child_scopes(map_visit);
    assert_eq!(children.len(), 4);
    let summary = index.summary_at(bad, head);
    assert_eq!((summary.visits, summary.failed), (2, 2));
    assert_eq!(index.summary_at(good, head).succeeded, 2);
    // Each iteration's visits sit in their own scope.
    let bad_scopes: Vec<u32> = index
        .visits()
        .iter()
        .filter(|v| v.state == bad)
        .map(|v| v.scope)
        .collect();
    let slots: Vec<usize> = children
        .iter()
        .filter(|(_, scope)| bad_scopes.contains(scope))
        .map(|(slot, _)| *slot)
        .collect();
    assert_eq!(slots, [2, 3]);
}

#[test]
fn variables_are_seen_by_scope_at_each_moment() {
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Assign": {"total": 0, "name": "x"}, "Next": "Add"},
        "Add": {"Type": "Pass", "Assign": {"total": "{% $total + 5 %}"}, "End": true}}});
    let mut run = run_of(definition, json!({}), json!({}), Breakpoints::default());
    assert_eq!(to_end(&mut run), Halt::Finished);
    let head = run.head();
    let index = run.index();
    let now: Vec<(String, Value)> = index
        .variables_at(0, head)
        .iter()
        .map(|(_, a)| (a.name.clone(), a.value.clone()))
        .collect();
    assert_eq!(
        now,
        [
            ("name".to_string(), json!("x")),
            ("total".to_string(), json!(5))
        ]
    );
    let init_exit = index.visits()[0].ended.expect("Init ended");
    let then: Vec<Value> = index
        .variables_at(0, init_exit)
        .iter()
        .filter(|(_, a)| a.name == "total")
        .map(|(_, a)| a.value.clone())
        .collect();
    assert_eq!(then, [json!(0)]);
}

#[test]
fn a_long_continue_can_be_interrupted_and_stopped() {
    let endless = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}});
    let mut run = run_of(endless, json!({}), json!({}), Breakpoints::default());
    assert_eq!(run.resume(), Halt::Busy);
    std::thread::sleep(std::time::Duration::from_millis(20));
    run.interrupt();
    let halt = run.join();
    assert!(
        matches!(halt, Some(Halt::Interrupted) | Some(Halt::Finished)),
        "{halt:?}"
    );
    run.stop();
    assert!(matches!(
        run.status(),
        ExecutionStatus::Aborted | ExecutionStatus::Failed
    ));
}

#[test]
fn a_parallel_failure_fails_one_branch_and_cancels_the_other() {
    let definition = json!({"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 60, "End": true}}},
        {"StartAt": "Broken", "States": {"Broken": {"Type": "Fail", "Error": "Oops"}}}]}}});
    let mut run = run_of(definition, json!({}), json!({}), Breakpoints::default());
    assert_eq!(to_end(&mut run), Halt::Finished);
    let (slow, broken) = (state_id(&run, "Slow"), state_id(&run, "Broken"));
    let head = run.head();
    let index = run.index();
    assert_eq!(
        index.summary_at(broken, head).status(),
        Some(VisitStatus::Failed)
    );
    assert_eq!(
        index.summary_at(slow, head).status(),
        Some(VisitStatus::Cancelled)
    );
}

#[test]
fn a_run_saved_as_a_test_case_passes_again() {
    use asl_studio::engine::testcase::{TestCase, record_case};
    let dir = tempfile::tempdir().unwrap();
    let definition = order_flow();
    std::fs::write(dir.path().join("order.asl.json"), definition.to_string()).unwrap();
    // One answer by a mock, one retry, the rest asked.
    let mut run = run_of(
        definition,
        json!({"id": 3}),
        json!({}),
        Breakpoints::default(),
    );
    assert_eq!(to_end(&mut run), Halt::WaitingForAnswer);
    let first = run.questions().waiting().remove(0);
    run.questions().answer(
        first.id,
        Reply::Throw {
            error: Some("Busy".into()),
            cause: Some("later".into()),
        },
    );
    assert_eq!(to_end(&mut run), Halt::WaitingForAnswer);
    let second = run.questions().waiting().remove(0);
    run.questions()
        .answer(second.id, Reply::Return(json!({"Payload": "charged"})));
    assert_eq!(to_end(&mut run), Halt::Finished);
    let execution = run.execution().expect("the run");
    let case = record_case("order pays after a retry", "order.asl.json", execution);
    assert_eq!(
        case["mocks"],
        json!({"Charge": {"0": {"Throw": {"Error": "Busy", "Cause": "later"}}, "1": {"Return": {"Payload": "charged"}}}})
    );
    let file = dir.path().join("order.case.json");
    std::fs::write(&file, serde_json::to_string_pretty(&case).unwrap()).unwrap();
    let loaded = TestCase::load(&file).unwrap();
    assert_eq!(loaded.run().difference, None);
}
