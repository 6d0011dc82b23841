"""Python handlers for tests/handlers.rs (unchanged Lambda code)."""
import os
import time

_calls = {"flaky": 0}


def echo(event, context):
    print("echo got", event)
    return {
        "event": event,
        "function_name": context.function_name,
        "aws_request_id": context.aws_request_id,
        "invoked_function_arn": context.invoked_function_arn,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "remaining": context.get_remaining_time_in_millis(),
        "table": os.environ.get("TABLE_NAME"),
        "pid": os.getpid(),
    }


def identity(event, context):
    return event


def fail(event, context):
    raise ValueError("bad")


def flaky(event, context):
    # Module state survives between calls: the worker is long-lived.
    _calls["flaky"] += 1
    if _calls["flaky"] == 1:
        raise ValueError("first call fails")
    return {"calls": _calls["flaky"], "event": event}


def sleepy(event, context):
    time.sleep(event.get("seconds", 10))
    return "woke"


def crash(event, context):
    print("about to crash")
    os._exit(1)


def noisy(event, context):
    import sys

    print("to stdout")
    sys.stderr.write("to stderr\n")
    os.write(1, b"raw fd 1\n")
    return {"quiet": True}


def reads_stdin(event, context):
    # Neither the handler nor a process it starts can read the worker's requests.
    import subprocess
    import sys

    child = subprocess.run(["cat"], capture_output=True, timeout=5)
    return {"stdin": sys.stdin.read(), "child": child.stdout.decode()}
