"""Completes the mocks of the cases from their recorded histories (run from this folder).

The cases were converted with one mock answer per recorded outcome (Return / Throw). This adds
what ASL Studio's mock extensions can now replay as well:
  - "Submitted": the recorded TaskSubmitted output of a .sync / .waitForTaskToken task;
  - "WorkerName": the recorded ActivityStarted workerName;
  - a recorded TaskTimedOut / LambdaFunctionTimedOut becomes an answer that comes after the
    state's TimeoutSeconds / HeartbeatSeconds ("DelaySeconds"), so the task times out.
Idempotent: running it again changes nothing.
"""
import glob
import json
import re

TOKEN = re.compile(r"<[A-Za-z][A-Za-z0-9_:\-]*>")
UUIDS = {}


def concrete(value):
    """Recording placeholders replaced by concrete values (mocks hold real data)."""
    if isinstance(value, str):
        def one(match):
            token = match.group(0)[1:-1]
            if token == "region":
                return "us-east-1"
            if token == "partition":
                return "aws"
            if token.startswith("uuid") or token.startswith("message_id"):
                n = UUIDS.setdefault(token, len(UUIDS) + 1)
                return "5e1b7c2a-9d3f-4a6e-8b0c-%012d" % n
            return re.sub(r"[^A-Za-z0-9_-]", "_", token) + "_x1"
        return TOKEN.sub(one, value)
    if isinstance(value, list):
        return [concrete(v) for v in value]
    if isinstance(value, dict):
        return {concrete(k): concrete(v) for k, v in value.items()}
    return value


def answer_for(mock, n):
    for key, answer in mock.items():
        first, _, last = key.partition("-")
        if int(first) <= n <= int(last or first):
            return answer
    return None


NOTES = {
    "the TaskSubmitted event (the service's response to the send) cannot be produced from a mock.":
        "its Submitted is the recorded TaskSubmitted output (the service's response to the send).",
    "the TaskSubmitted event (the StartExecution response) cannot be produced from a mock.":
        "its Submitted is the recorded TaskSubmitted output (the StartExecution response).",
    "TaskSubmitted cannot be mocked.":
        "its Submitted is the recorded TaskSubmitted output (the StartExecution response).",
    "the TaskSubmitted output (the SQS SendMessage response) cannot be given to a mock.":
        "its Submitted is the recorded SendMessage response.",
    "The recorded TaskTimedOut is replayed as a mocked Throw of States.Timeout: the mock format has no way to make a task time out, so the interpreter records TaskFailed where AWS recorded TaskTimedOut.":
        "The mock answers only after the state's TimeoutSeconds (DelaySeconds), so the task times out as it did on AWS.",
    "The recorded TaskTimedOut is replayed as a mocked Throw of States.Timeout (mocks cannot time out).":
        "The mock answers only after the state's TimeoutSeconds (DelaySeconds), so the task times out as it did on AWS.",
    "Replayed as a mocked Throw of States.Timeout; the TaskSubmitted output (SQS SendMessage response) cannot be mocked.":
        "The mock answers only after HeartbeatSeconds (DelaySeconds; a mock sends no heartbeat), so the task times out; its Submitted is the recorded SendMessage response.",
}
TIMEOUT_NOTE = "The mock answers only after the state's TimeoutSeconds (DelaySeconds), so the task times out as it did on AWS."

OUTCOMES = {"Succeeded", "Failed", "TimedOut"}
FAMILIES = ("Task", "LambdaFunction", "Activity")


def family_event(kind):
    for family in FAMILIES:
        if kind.startswith(family) and kind[len(family):] in OUTCOMES | {"Scheduled", "Started", "Submitted"}:
            return kind[len(family):]
    return None


for path in sorted(glob.glob("cases/*/*.json")):
    with open(path, encoding="utf-8") as f:
        case = json.load(f)
    UUIDS.clear()
    mocks = case.get("mocks", {})
    counts, state, scheduled, limits = {}, None, None, None
    timed_out = False
    for event in case["history"]:
        kind = event["type"]
        if kind == "TaskStateEntered":
            state = event["stateEnteredEventDetails"]["name"]
        step = family_event(kind)
        if step is None:
            continue
        details = next((v for k, v in event.items() if k.endswith("EventDetails")), {})
        if step == "Scheduled":
            scheduled = state
            limits = [details[k] for k in ("timeoutInSeconds", "heartbeatInSeconds") if k in details]
            continue
        answer = answer_for(mocks.get(scheduled, {}), counts.get(scheduled, 0))
        if answer is None:
            continue
        if step == "Submitted":
            answer["Submitted"] = concrete(details["output"])
        elif step == "Started" and details.get("workerName"):
            answer["WorkerName"] = details["workerName"]
        elif step in OUTCOMES:
            counts[scheduled] = counts.get(scheduled, 0) + 1
            if step == "TimedOut" and limits:
                answer.pop("Throw", None)
                answer["Return"] = {}
                answer["DelaySeconds"] = min(limits) * 2
                timed_out = True
    note = case.get("note", "")
    for old, new in NOTES.items():
        note = note.replace(old, new)
    if timed_out and "DelaySeconds" not in note:
        note = (note + " " + TIMEOUT_NOTE).strip()
    if note:
        case["note"] = note
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(case, indent=1, ensure_ascii=False) + "\n")
