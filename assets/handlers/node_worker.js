// ASL Studio's Node.js worker: runs the Lambda handlers of one file, one invocation at a time.
//
// Started as `node -e <this script> <handler file>` by src/engine/backends/handlers/worker.rs.
// Requests arrive as JSON lines on stdin:
//   {"id": 1, "handler": "fn", "event": ..., "context": {"function_name", "aws_request_id",
//    "invoked_function_arn", "memory_limit_in_mb", "deadline_ms", "function_version"}}
// Answers leave on stdout as JSON text sequences (RFC 7464: RS, JSON, LF):
//   {"id": 1, "result": ...} | {"id": 1, "error": {"errorMessage", "errorType", "stackTrace"}}
//   | {"id": 1, "log": "one line the handler printed"}
// console.* and writes to process.stdout / process.stderr become "log" messages, so nothing
// the user's code prints can reach the protocol.
"use strict";
const path = require("path");
const readline = require("readline");
const util = require("util");
const { pathToFileURL } = require("url");

const RS = "\x1e";
const handlerFile = path.resolve(process.argv[process.argv.length - 1]);
const protoWrite = process.stdout.write.bind(process.stdout);
let currentId = null;

function send(message) {
  protoWrite(RS + JSON.stringify(message) + "\n");
}

function logLines(text) {
  for (const line of String(text).split("\n")) {
    send({ id: currentId, log: line });
  }
}

// Partial lines written straight to the streams wait for their newline (or the call's end).
const pending = { out: "", err: "" };
function streamWriter(key) {
  return (chunk, encoding, callback) => {
    pending[key] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    let newline;
    while ((newline = pending[key].indexOf("\n")) >= 0) {
      send({ id: currentId, log: pending[key].slice(0, newline) });
      pending[key] = pending[key].slice(newline + 1);
    }
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") done();
    return true;
  };
}
function endCall() {
  for (const key of ["out", "err"]) {
    if (pending[key]) {
      send({ id: currentId, log: pending[key] });
      pending[key] = "";
    }
  }
}
process.stdout.write = streamWriter("out");
process.stderr.write = streamWriter("err");
for (const level of ["log", "info", "warn", "error", "debug", "trace"]) {
  console[level] = (...args) => logLines(util.format(...args));
}

class RuntimeError extends Error {
  constructor(type, message) {
    super(message);
    this.errorType = type;
  }
}

let modulePromise = null;
function loadModule() {
  if (!modulePromise) {
    // import() reads ESM (.mjs, "type": "module") and CommonJS (exports.handler) alike.
    modulePromise = import(pathToFileURL(handlerFile).href).catch((error) => {
      modulePromise = null;
      const name = path.basename(handlerFile).replace(/\.[^.]*$/, "");
      const type =
        error instanceof SyntaxError ? "Runtime.UserCodeSyntaxError" : "Runtime.ImportModuleError";
      throw new RuntimeError(type, `Error: Cannot load module '${name}': ${error && error.message}`);
    });
  }
  return modulePromise;
}

function findHandler(mod, name) {
  for (const root of [mod, mod.default]) {
    let target = root;
    for (const part of name.split(".")) {
      target = target == null ? undefined : target[part];
    }
    if (typeof target === "function") return target;
  }
  const moduleName = path.basename(handlerFile).replace(/\.[^.]*$/, "");
  throw new RuntimeError("Runtime.HandlerNotFound", `${moduleName}.${name} is undefined or not exported`);
}

function makeContext(c, settle) {
  const functionName = c.function_name || "";
  return {
    functionName,
    functionVersion: c.function_version || "$LATEST",
    invokedFunctionArn: c.invoked_function_arn || "",
    // AWS's runtime reads it from the environment: a string.
    memoryLimitInMB: String(c.memory_limit_in_mb || 128),
    awsRequestId: c.aws_request_id || "",
    logGroupName: "/aws/lambda/" + functionName,
    logStreamName: "asl-studio/local",
    identity: undefined,
    clientContext: undefined,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(Math.floor((c.deadline_ms || 0) - Date.now()), 0),
    // The legacy completion methods.
    done: (error, result) => settle(error, result),
    succeed: (result) => settle(null, result),
    fail: (error) => settle(error == null ? new Error("handled") : error),
  };
}

async function invoke(request) {
  const context = request.context || {};
  process.env.AWS_LAMBDA_FUNCTION_NAME = context.function_name || "";
  const handler = findHandler(await loadModule(), request.handler || "handler");
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== null && error !== undefined) reject(error);
      else resolve(result);
    };
    const returned = handler(request.event, makeContext(context, settle), settle);
    if (returned && typeof returned.then === "function") {
      returned.then((result) => settle(null, result), (error) => settle(error));
    } else if (handler.length < 3) {
      // Neither a promise nor a callback: the return value is the answer.
      settle(null, returned);
    }
  });
}

function describe(error) {
  if (error instanceof RuntimeError) {
    return { errorMessage: error.message, errorType: error.errorType, stackTrace: [] };
  }
  if (error instanceof Error) {
    // The worker's own frames (this script runs as "[eval]") are not the user's.
    const stack =
      typeof error.stack === "string"
        ? error.stack.split("\n").filter((line) => !line.includes("[eval]"))
        : [];
    return { errorMessage: error.message, errorType: error.name || "Error", stackTrace: stack };
  }
  // AWS names a thrown non-error by its type: `throw "x"` is a "string".
  const message = typeof error === "string" ? error : JSON.stringify(error);
  return { errorMessage: message, errorType: typeof error, stackTrace: [] };
}

async function handle(request) {
  currentId = request.id;
  let message;
  try {
    const result = await invoke(request);
    message = { id: request.id, result: result === undefined ? null : result };
  } catch (error) {
    message = { id: request.id, error: describe(error) };
  }
  endCall();
  let text;
  try {
    text = JSON.stringify(message);
  } catch (error) {
    text = JSON.stringify({
      id: request.id,
      error: { errorMessage: `Unable to stringify response body: ${error.message}`, errorType: "Runtime.MarshalError", stackTrace: [] },
    });
  }
  protoWrite(RS + text + "\n");
}

// One request at a time (the host sends the next one after the answer); a queue keeps the
// order should two arrive together.
let chain = Promise.resolve();
const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  if (!line.trim()) return;
  const request = JSON.parse(line);
  chain = chain.then(() => handle(request));
});
lines.on("close", () => chain.then(() => process.exit(0)));
