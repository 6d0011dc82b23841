# ASL Studio's Python worker: runs the Lambda handlers of one file, one invocation at a time.
#
# Started as `python3 -c <this script> <handler file>` by src/engine/backends/handlers/worker.rs.
# Requests arrive as JSON lines on stdin:
#   {"id": 1, "handler": "fn", "event": ..., "context": {"function_name", "aws_request_id",
#    "invoked_function_arn", "memory_limit_in_mb", "deadline_ms", "function_version"}}
# Answers leave on the original stdout as JSON text sequences (RFC 7464: RS, JSON, LF):
#   {"id": 1, "result": ...} | {"id": 1, "error": {"errorMessage", "errorType", "stackTrace"}}
#   | {"id": 1, "log": "one line the handler printed"}
# The handler's own writes to sys.stdout / sys.stderr become "log" messages, and file
# descriptor 1 is pointed at stderr, so nothing the user's code prints can reach the protocol.
# One file per worker: the module is imported at the first request, in that call (as Lambda's
# init), so an import error is that call's error.
import importlib.util
import json
import os
import sys
import time
import traceback

RS = "\x1e"
HANDLER_FILE = os.path.abspath(sys.argv[1])

_proto = os.fdopen(os.dup(1), "w", encoding="utf-8", newline="\n")
os.dup2(2, 1)
# Requests come in on a private copy of stdin; the handler (and any process it starts) reads
# an empty stdin, so nothing can swallow the protocol.
_requests = os.fdopen(os.dup(0), "rb")
_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)
sys.stdin = open(os.devnull, "r")
_current = {"id": None}


def _send(message):
    _proto.write(RS + json.dumps(message, ensure_ascii=True) + "\n")
    _proto.flush()


class _LogStream:
    """Line-buffered stand-in for sys.stdout / sys.stderr during invocations."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self):
        self._buffer = ""

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        self._buffer += text
        while "\n" in self._buffer:
            line, self._buffer = self._buffer.split("\n", 1)
            _send({"id": _current["id"], "log": line})
        return len(text)

    def flush(self):
        pass

    def end_call(self):
        if self._buffer:
            _send({"id": _current["id"], "log": self._buffer})
            self._buffer = ""

    def isatty(self):
        return False

    def writable(self):
        return True

    def fileno(self):
        return 2


_stdout = _LogStream()
_stderr = _LogStream()
sys.stdout = _stdout
sys.stderr = _stderr


class LambdaContext:
    """The attributes and method of AWS's Python LambdaContext."""

    def __init__(self, context):
        self.function_name = context.get("function_name", "")
        self.function_version = context.get("function_version", "$LATEST")
        self.invoked_function_arn = context.get("invoked_function_arn", "")
        # AWS's runtime reads it from the environment: a string.
        self.memory_limit_in_mb = str(context.get("memory_limit_in_mb", 128))
        self.aws_request_id = context.get("aws_request_id", "")
        self.log_group_name = "/aws/lambda/" + self.function_name
        self.log_stream_name = "asl-studio/local"
        self.identity = None
        self.client_context = None
        self._deadline_ms = context.get("deadline_ms", 0)

    def get_remaining_time_in_millis(self):
        return max(int(self._deadline_ms - time.time() * 1000), 0)


_module = None


class _RuntimeError(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def _load_module():
    global _module
    if _module is not None:
        return _module
    name = os.path.splitext(os.path.basename(HANDLER_FILE))[0]
    folder = os.path.dirname(HANDLER_FILE)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    try:
        spec = importlib.util.spec_from_file_location(name, HANDLER_FILE)
        if spec is None or spec.loader is None:
            raise ImportError("cannot load " + HANDLER_FILE)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    except SyntaxError as error:
        sys.modules.pop(name, None)
        raise _RuntimeError(
            "Runtime.UserCodeSyntaxError",
            "Syntax error in module '%s': %s" % (name, error),
        )
    except Exception as error:
        sys.modules.pop(name, None)
        raise _RuntimeError(
            "Runtime.ImportModuleError",
            "Unable to import module '%s': %s" % (name, error),
        )
    _module = module
    return module


def _find_handler(module, name):
    target = module
    for part in name.split("."):
        target = getattr(target, part, None)
        if target is None:
            raise _RuntimeError(
                "Runtime.HandlerNotFound",
                "Handler '%s' missing on module '%s'" % (name, module.__name__),
            )
    return target


def _stack(tb):
    # Only the user's frames, as AWS's runtime reports them.
    frames = [f for f in traceback.extract_tb(tb) if f.filename != "<string>"]
    return traceback.format_list(frames)


def _invoke(request):
    context = request.get("context") or {}
    os.environ["AWS_LAMBDA_FUNCTION_NAME"] = context.get("function_name", "")
    handler = _find_handler(_load_module(), request.get("handler", "handler"))
    return handler(request.get("event"), LambdaContext(context))


def _answer(request_id, result):
    try:
        body = json.dumps({"id": request_id, "result": result}, ensure_ascii=True, allow_nan=False)
    except (TypeError, ValueError) as error:
        return _error(
            request_id,
            "Runtime.MarshalError",
            "Unable to marshal response: %s" % error,
            [],
        )
    _proto.write(RS + body + "\n")
    _proto.flush()


def _error(request_id, error_type, message, stack):
    _send(
        {
            "id": request_id,
            "error": {"errorMessage": message, "errorType": error_type, "stackTrace": stack},
        }
    )


def main():
    while True:
        line = _requests.readline()
        if not line:
            return
        if not line.strip():
            continue
        request = json.loads(line)
        request_id = request.get("id")
        _current["id"] = request_id
        try:
            result = _invoke(request)
        except _RuntimeError as error:
            _stdout.end_call()
            _stderr.end_call()
            _error(request_id, error.error_type, str(error), [])
            continue
        except Exception as error:
            _stdout.end_call()
            _stderr.end_call()
            _error(request_id, type(error).__name__, str(error), _stack(error.__traceback__))
            continue
        _stdout.end_call()
        _stderr.end_call()
        _answer(request_id, result)


main()
