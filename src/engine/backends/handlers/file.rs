//! The handlers file: which local code answers which Task, and how to find it for a request.
//!
//! ```json
//! {"Handlers": {"checkInformation": {"Python": "handlers/check_information.py:checkInformation"},
//!               "arn:aws:states:::aws-sdk:s3:getObject": {"Command": ["python3", "tools/fake_s3.py"]}},
//!  "Environment": {"TABLE_NAME": "registrations"}, "TimeoutSeconds": 30,
//!  "Connections": {"arn:aws:events:...:connection/api/abc": {...}}}
//! ```

use super::super::TaskRequest;
use super::lambda::FunctionRef;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a handler may run when neither the file nor the state says (AWS Lambda's default
/// is 3 s, but local code under a debugger deserves more).
pub const DEFAULT_TIMEOUT_SECONDS: f64 = 30.0;

/// Why a handlers file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HandlersError {
    #[error("cannot read the handlers file {file}: {source}")]
    Read {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("the handlers file {file} is not valid JSON: {source}")]
    Json {
        file: PathBuf,
        source: serde_json::Error,
    },
    #[error("the handlers file {file}: {message}")]
    Invalid { file: PathBuf, message: String },
    #[error("the handlers file {file}, handler \"{key}\": {message}")]
    BadHandler {
        file: PathBuf,
        key: String,
        message: String,
    },
}

/// The language runtime of a Lambda handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Runtime {
    Python,
    Node,
}

impl Runtime {
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Python => "Python",
            Runtime::Node => "Node",
        }
    }

    fn default_interpreter(self) -> &'static str {
        match self {
            Runtime::Python => "python3",
            Runtime::Node => "node",
        }
    }
}

/// A Lambda handler: a function exported by a script file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LambdaHandler {
    pub runtime: Runtime,
    /// The script (absolute: resolved against the handlers file's folder).
    pub file: PathBuf,
    /// The exported function (`a.b` walks attributes).
    pub function: String,
    /// The program that runs the script (a path when the file gave one with a separator).
    pub interpreter: PathBuf,
}

/// A program run once per task: input on stdin, result on stdout.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CommandHandler {
    /// The program (resolved against the handlers file's folder when it is a path).
    pub program: PathBuf,
    /// The file's own arguments, never anything from the execution.
    pub args: Vec<String>,
}

/// What answers a task.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Handler {
    Lambda(LambdaHandler),
    Command(CommandHandler),
}

/// A parsed handlers file.
#[derive(Debug, Clone)]
pub struct HandlersFile {
    file: PathBuf,
    base_dir: PathBuf,
    /// In the file's order: the first of equally good matches wins.
    handlers: Vec<(String, Handler)>,
    /// The keys that name Lambda functions (names, partial or full function ARNs).
    functions: Vec<(FunctionRef, usize)>,
    environment: Vec<(String, String)>,
    timeout: Duration,
    connections: Map<String, Value>,
}

impl HandlersFile {
    /// Reads a handlers file; relative paths in it are relative to its folder.
    pub fn load(path: &Path) -> Result<HandlersFile, HandlersError> {
        let text = std::fs::read_to_string(path).map_err(|source| HandlersError::Read {
            file: path.to_path_buf(),
            source,
        })?;
        let value: Value = serde_json::from_str(&text).map_err(|source| HandlersError::Json {
            file: path.to_path_buf(),
            source,
        })?;
        let base_dir = path.parent().unwrap_or(Path::new("."));
        HandlersFile::parse(&value, base_dir, absolute(path))
    }

    /// A handlers file given as JSON; relative paths are relative to `base_dir`.
    pub fn from_value(value: &Value, base_dir: &Path) -> Result<HandlersFile, HandlersError> {
        let label = absolute(base_dir).join("(handlers)");
        HandlersFile::parse(value, base_dir, label)
    }

    /// `file` names the file in messages.
    fn parse(value: &Value, base_dir: &Path, file: PathBuf) -> Result<HandlersFile, HandlersError> {
        let base_dir = absolute(base_dir);
        let invalid = |message: String| HandlersError::Invalid {
            file: file.clone(),
            message,
        };
        let object = value
            .as_object()
            .ok_or_else(|| invalid("the file must hold a JSON object".into()))?;
        for key in object.keys() {
            if ![
                "Handlers",
                "Environment",
                "TimeoutSeconds",
                "Connections",
                "Comment",
            ]
            .contains(&key.as_str())
            {
                return Err(invalid(format!(
                    "unknown field \"{key}\" (expected Handlers, Environment, TimeoutSeconds, Connections)"
                )));
            }
        }
        let mut handlers = Vec::new();
        match object.get("Handlers") {
            None => {}
            Some(Value::Object(map)) => {
                for (key, spec) in map {
                    let handler = parse_handler(spec, &base_dir).map_err(|message| {
                        HandlersError::BadHandler {
                            file: file.clone(),
                            key: key.clone(),
                            message,
                        }
                    })?;
                    handlers.push((key.clone(), handler));
                }
            }
            Some(_) => return Err(invalid("\"Handlers\" must be an object".into())),
        }
        let mut environment = Vec::new();
        match object.get("Environment") {
            None => {}
            Some(Value::Object(map)) => {
                for (name, value) in map {
                    let text = match value {
                        Value::String(text) => text.clone(),
                        Value::Number(_) | Value::Bool(_) => value.to_string(),
                        _ => {
                            return Err(invalid(format!(
                                "the environment variable \"{name}\" must be a string"
                            )));
                        }
                    };
                    if name.is_empty() || name.contains('=') || name.contains('\0') {
                        return Err(invalid(format!(
                            "\"{name}\" is not a valid environment variable name"
                        )));
                    }
                    environment.push((name.clone(), text));
                }
            }
            Some(_) => return Err(invalid("\"Environment\" must be an object".into())),
        }
        let timeout = match object.get("TimeoutSeconds") {
            None => DEFAULT_TIMEOUT_SECONDS,
            Some(value) => match value.as_f64() {
                Some(seconds) if seconds > 0.0 && seconds <= 86_400.0 => seconds,
                _ => {
                    return Err(invalid(
                        "\"TimeoutSeconds\" must be a positive number of seconds (at most 86400)"
                            .into(),
                    ));
                }
            },
        };
        let connections = match object.get("Connections") {
            None => Map::new(),
            Some(Value::Object(map)) => map.clone(),
            Some(_) => return Err(invalid("\"Connections\" must be an object".into())),
        };
        let functions = handlers
            .iter()
            .enumerate()
            .filter_map(|(index, (key, _))| FunctionRef::from_key(key).map(|f| (f, index)))
            .collect();
        Ok(HandlersFile {
            file,
            base_dir,
            handlers,
            functions,
            environment,
            timeout: Duration::from_secs_f64(timeout),
            connections,
        })
    }

    /// The handlers file (for messages).
    pub fn path(&self) -> &Path {
        &self.file
    }

    /// The folder relative paths are resolved against; commands and workers run there.
    pub fn base_dir(&self) -> &Path {
        &self.base_dir
    }

    pub fn environment(&self) -> &[(String, String)] {
        &self.environment
    }

    /// The longest a handler may run (the state's own TimeoutSeconds may cut it shorter).
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Every key and its handler, in the file's order.
    pub fn handlers(&self) -> impl Iterator<Item = (&str, &Handler)> {
        self.handlers
            .iter()
            .map(|(key, handler)| (key.as_str(), handler))
    }

    /// The authorization of an EventBridge connection (for HTTP tasks).
    pub fn connection(&self, arn: &str) -> Option<&Value> {
        self.connections.get(arn)
    }

    /// The handler of a task: the exact resource first, then the Lambda function the task
    /// invokes (a Lambda ARN resource or `lambda:invoke`'s `FunctionName`), the most specific
    /// key winning (qualifier, then account, then region), the file's order breaking ties.
    pub fn find(&self, request: &TaskRequest) -> Option<&Handler> {
        self.find_key(request).map(|(_, handler)| handler)
    }

    /// The key that matched as well as its handler.
    pub fn find_key(&self, request: &TaskRequest) -> Option<(&str, &Handler)> {
        if let Some((key, handler)) = self
            .handlers
            .iter()
            .find(|(key, _)| *key == request.resource)
        {
            return Some((key, handler));
        }
        let wanted = FunctionRef::of_request(request)?;
        let mut best: Option<(u8, usize)> = None;
        for (key, index) in &self.functions {
            if let Some(score) = key.matches(&wanted)
                && best.is_none_or(|(top, _)| score > top)
            {
                best = Some((score, *index));
            }
        }
        let (_, index) = best?;
        self.handlers
            .get(index)
            .map(|(key, handler)| (key.as_str(), handler))
    }

    /// Every program and script the file would run, once each, for the person to trust.
    pub fn commands_to_run(&self) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        for (_, handler) in &self.handlers {
            let line = match handler {
                Handler::Lambda(lambda) => format!(
                    "{} {} ({} handlers)",
                    lambda.interpreter.display(),
                    lambda.file.display(),
                    lambda.runtime.name()
                ),
                Handler::Command(command) => {
                    let mut words = vec![quote(&command.program.display().to_string())];
                    words.extend(command.args.iter().map(|arg| quote(arg)));
                    format!("{} (in {})", words.join(" "), self.base_dir.display())
                }
            };
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        lines
    }

    /// The handlers file that goes with a definition: `<name>.asl.handlers.json` beside
    /// `<name>.asl.json` / `.asl.yaml` / `.asl.yml` (or plain `.json` / `.yaml`), if it exists.
    pub fn beside(definition: &Path) -> Option<PathBuf> {
        let name = definition.file_name()?.to_str()?;
        let lower = name.to_ascii_lowercase();
        let stem = [
            ".asl.json",
            ".asl.yaml",
            ".asl.yml",
            ".json",
            ".yaml",
            ".yml",
        ]
        .iter()
        .find(|suffix| lower.ends_with(*suffix))
        .map(|suffix| &name[..name.len() - suffix.len()])?;
        if stem.is_empty() {
            return None;
        }
        let candidate = definition.with_file_name(format!("{stem}.asl.handlers.json"));
        candidate.is_file().then_some(candidate)
    }
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    match std::env::current_dir() {
        Ok(dir) if path.as_os_str().is_empty() => dir,
        Ok(dir) => dir.join(path),
        Err(_) => path.to_path_buf(),
    }
}

/// A program named with a separator is a path (resolved against the file's folder); a bare
/// name is looked up on PATH when run.
fn resolve_program(program: &str, base_dir: &Path) -> PathBuf {
    let path = Path::new(program);
    if path.is_absolute() || !(program.contains('/') || program.contains('\\')) {
        path.to_path_buf()
    } else {
        base_dir.join(path)
    }
}

fn parse_handler(spec: &Value, base_dir: &Path) -> Result<Handler, String> {
    let object = spec
        .as_object()
        .ok_or("expected an object with one of Python, Node or Command")?;
    let kinds: Vec<&String> = object.keys().collect();
    let [kind] = kinds.as_slice() else {
        return Err("expected exactly one of Python, Node or Command".into());
    };
    let value = &object[kind.as_str()];
    match kind.as_str() {
        "Python" => parse_lambda(Runtime::Python, value, base_dir),
        "Node" => parse_lambda(Runtime::Node, value, base_dir),
        "Command" => {
            let words = value
                .as_array()
                .ok_or("\"Command\" must be an array of strings: [\"program\", \"arg\"...]")?;
            let mut words = words.iter().map(|word| {
                word.as_str()
                    .map(str::to_string)
                    .ok_or("\"Command\" must hold only strings")
            });
            let program = words.next().ok_or("\"Command\" must name a program")??;
            if program.is_empty() {
                return Err("\"Command\" must name a program".into());
            }
            let args = words.collect::<Result<Vec<_>, _>>()?;
            let program = resolve_program(&program, base_dir);
            check_exists(&program, "program")?;
            Ok(Handler::Command(CommandHandler { program, args }))
        }
        other => Err(format!(
            "unknown handler kind \"{other}\" (expected Python, Node or Command)"
        )),
    }
}

fn parse_lambda(runtime: Runtime, value: &Value, base_dir: &Path) -> Result<Handler, String> {
    let kind = runtime.name();
    let (handler, interpreter) = match value {
        Value::String(handler) => (handler.as_str(), None),
        Value::Object(object) => {
            if let Some(key) = object
                .keys()
                .find(|key| !["Handler", "Interpreter"].contains(&key.as_str()))
            {
                return Err(format!(
                    "unknown field \"{key}\" in {kind} (expected Handler, Interpreter)"
                ));
            }
            let handler = object
                .get("Handler")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{kind} needs \"Handler\": \"<file>:<function>\""))?;
            let interpreter = match object.get("Interpreter") {
                None => None,
                Some(Value::String(text)) if !text.is_empty() => Some(text.as_str()),
                Some(_) => return Err("\"Interpreter\" must be a program name or path".into()),
            };
            (handler, interpreter)
        }
        _ => return Err(format!("{kind} must be \"<file>:<function>\" or an object")),
    };
    let (file, function) = handler
        .rsplit_once(':')
        .filter(|(file, function)| !file.is_empty() && !function.is_empty())
        .ok_or_else(|| format!("\"{handler}\" is not \"<file>:<function>\""))?;
    let file = base_dir.join(file);
    check_exists(&file, "handler file")?;
    let interpreter = resolve_program(
        interpreter.unwrap_or(runtime.default_interpreter()),
        base_dir,
    );
    check_exists(&interpreter, "interpreter")?;
    Ok(Handler::Lambda(LambdaHandler {
        runtime,
        file,
        function: function.to_string(),
        interpreter,
    }))
}

/// Paths named in the file must exist (bare program names are found on PATH at run time).
fn check_exists(path: &Path, what: &str) -> Result<(), String> {
    if path.components().count() > 1 && !path.exists() {
        return Err(format!("the {what} {} does not exist", path.display()));
    }
    Ok(())
}

/// Quotes a word for display when it holds spaces or quotes (display only: nothing runs
/// through a shell).
fn quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}
