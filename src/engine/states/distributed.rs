//! Distributed Map: ItemReader (through the task backend), ItemBatcher, ResultWriter, map runs.
//!
//! Locally the child workflows run as iterations of this execution (so they can be stepped and
//! inspected); AWS runs them as separate executions and records only MapRun events.

use super::super::backends::{TaskInvocation, TaskOutcome, TaskRequest};
use super::super::compiled::{CompiledMap, CompiledResource};
use super::super::dataflow::{Extras, payload_size};
use super::super::errors::Failure;
use super::super::execution::Execution;
use super::super::frame::{FrameId, StateRun};
use serde_json::{Map as JsonMap, Value, json};

/// How long a (real) backend may take to read items before the Map fails.
const READER_WAIT: std::time::Duration = std::time::Duration::from_secs(300);

impl Execution {
    /// The map run's ARN (it names the Label, or the state).
    pub(super) fn map_run_arn(&mut self, run: &StateRun, map: &CompiledMap) -> String {
        let options = self.options().clone();
        let label = map
            .label
            .clone()
            .unwrap_or_else(|| run.state.name.to_string());
        let id = self.new_token();
        format!(
            "arn:aws:states:{}:{}:mapRun:{}/{label}:{id}",
            options.region, options.account, options.state_machine_name
        )
    }

    /// Items of an ItemReader: the backend answers for the Map state (mock it by its name).
    pub(super) fn read_items(
        &mut self,
        id: FrameId,
        run: &StateRun,
        reader: &CompiledResource,
        input: &Value,
    ) -> Result<Vec<Value>, Failure> {
        let failed = |cause: String| {
            Failure::new(
                "States.ItemReaderFailed",
                super::super::errors::in_state(&run.state.name, run.entered_event, cause),
            )
        };
        let parameters = match &reader.parameters {
            Some(selector) => self.eval_selector(
                id,
                selector,
                "ItemReader",
                input,
                &run.raw_input,
                &Extras::default(),
            )?,
            None => Value::Object(JsonMap::new()),
        };
        let counter = self
            .invocations
            .entry(format!("{}#ItemReader", run.state.name))
            .or_insert(0);
        let invocation = *counter;
        *counter += 1;
        let request = TaskRequest {
            state_name: run.state.name.to_string(),
            resource: reader.resource.clone(),
            parameters,
            invocation,
            task_token: None,
            timeout_seconds: None,
            heartbeat_seconds: None,
            credentials: None,
        };
        let mut invocation = self.backend().clone().invoke(&request);
        // Reading items is not a task of its own: what the service said on taking it is moot.
        while let TaskInvocation::Accepted { then, .. } = invocation {
            invocation = *then;
        }
        let outcome = match invocation {
            TaskInvocation::Done(outcome) | TaskInvocation::After { outcome, .. } => outcome,
            TaskInvocation::Pending(mut pending) => pending
                .poll(READER_WAIT)
                .ok_or_else(|| failed("the ItemReader did not answer in time".into()))?,
            TaskInvocation::Accepted { .. } => {
                return Err(failed("the ItemReader gave no answer".into()));
            }
        };
        let result = match outcome {
            TaskOutcome::Succeeded(result) => result,
            TaskOutcome::Failed { error, cause } => {
                return Err(failed(format!(
                    "{}: {}",
                    error.unwrap_or_default(),
                    cause.unwrap_or_default()
                )));
            }
            TaskOutcome::TimedOut { error, .. } => return Err(failed(error)),
        };
        let mut items =
            items_from_reader(&reader.resource, &reader.config, result).map_err(failed)?;
        if let Some(max) = reader.config.get("MaxItems").and_then(Value::as_u64) {
            items.truncate(usize::try_from(max).unwrap_or(usize::MAX));
        }
        Ok(items)
    }

    /// Groups items (after ItemSelector) into `{"Items": [...], "BatchInput": ...}` batches.
    pub(super) fn batch_items(
        &mut self,
        id: FrameId,
        run: &StateRun,
        map: &CompiledMap,
        input: &Value,
        items: Vec<Value>,
    ) -> Result<Vec<Value>, Failure> {
        let max_items =
            self.positive_integer(id, run, map.batch_max_items.as_ref(), "MaxItemsPerBatch")?;
        let max_bytes = self.positive_integer(
            id,
            run,
            map.batch_max_bytes.as_ref(),
            "MaxInputBytesPerBatch",
        )?;
        let batch_input = match &map.batch_input {
            Some(selector) => Some(self.eval_selector(
                id,
                selector,
                "BatchInput",
                input,
                &run.raw_input,
                &Extras::default(),
            )?),
            None => None,
        };
        let mut batches = Vec::new();
        let mut current: Vec<Value> = Vec::new();
        let mut bytes = 0;
        for item in items {
            let size = payload_size(&item);
            let full_by_count = max_items.is_some_and(|m| current.len() as u64 >= m);
            let full_by_size =
                max_bytes.is_some_and(|m| !current.is_empty() && (bytes + size) as u64 > m);
            if full_by_count || full_by_size {
                batches.push(make_batch(
                    std::mem::take(&mut current),
                    batch_input.as_ref(),
                ));
                bytes = 0;
            }
            bytes += size;
            current.push(item);
        }
        if !current.is_empty() {
            batches.push(make_batch(current, batch_input.as_ref()));
        }
        Ok(batches)
    }

    /// With a ResultWriter, the Map's result describes where the results were written.
    pub(super) fn written_results(
        &mut self,
        id: FrameId,
        run: &StateRun,
        writer: &CompiledResource,
        map_run_arn: &str,
        input: &Value,
    ) -> Result<Value, Failure> {
        let parameters = match &writer.parameters {
            Some(selector) => self.eval_selector(
                id,
                selector,
                "ResultWriter",
                input,
                &run.raw_input,
                &Extras::default(),
            )?,
            None => Value::Object(JsonMap::new()),
        };
        let bucket = parameters.get("Bucket").cloned().unwrap_or(Value::Null);
        let prefix = parameters
            .get("Prefix")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let run_id = map_run_arn.rsplit(':').next().unwrap_or_default();
        let key = if prefix.is_empty() {
            format!("{run_id}/manifest.json")
        } else {
            format!("{}/{run_id}/manifest.json", prefix.trim_end_matches('/'))
        };
        Ok(json!({"MapRunArn": map_run_arn, "ResultWriterDetails": {"Bucket": bucket, "Key": key}}))
    }
}

fn make_batch(items: Vec<Value>, batch_input: Option<&Value>) -> Value {
    let mut batch = JsonMap::new();
    if let Some(input) = batch_input {
        batch.insert("BatchInput".into(), input.clone());
    }
    batch.insert("Items".into(), Value::Array(items));
    Value::Object(batch)
}

/// Turns what the reader returned into items, per resource and ReaderConfig.
fn items_from_reader(resource: &str, config: &Value, result: Value) -> Result<Vec<Value>, String> {
    if resource.ends_with("s3:listObjectsV2") {
        return match result {
            Value::Array(items) => Ok(items),
            Value::Object(mut object) => match object.remove("Contents") {
                Some(Value::Array(items)) => Ok(items),
                None => Ok(Vec::new()),
                Some(_) => Err("listObjectsV2 returned Contents that is not an array".into()),
            },
            _ => Err("listObjectsV2 must return an object with Contents".into()),
        };
    }
    let input_type = config
        .get("InputType")
        .and_then(Value::as_str)
        .unwrap_or("JSON");
    let text = match result {
        Value::Array(items) => return Ok(items),
        Value::String(text) => text,
        Value::Object(object) => match object.get("Body") {
            Some(Value::String(text)) => text.clone(),
            Some(Value::Array(items)) => return Ok(items.clone()),
            _ => return Err("the reader's result has no Body".into()),
        },
        other => return Err(format!("the reader returned {other}, not file content")),
    };
    match input_type {
        "JSON" => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Array(items)) => Ok(items),
            Ok(_) => Err("the JSON file does not hold an array".into()),
            Err(e) => Err(format!("the JSON file cannot be parsed: {e}")),
        },
        "JSONL" => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str(l)
                    .map_err(|e| format!("a JSON Lines line cannot be parsed: {e}"))
            })
            .collect(),
        "CSV" => csv_items(&text, config),
        other => Err(format!("InputType {other} is not supported locally")),
    }
}

/// CSV rows as objects keyed by the header (FIRST_ROW) or by CSVHeaders (GIVEN).
fn csv_items(text: &str, config: &Value) -> Result<Vec<Value>, String> {
    let delimiter = match config
        .get("CSVDelimiter")
        .and_then(Value::as_str)
        .unwrap_or("COMMA")
    {
        "COMMA" => ',',
        "PIPE" => '|',
        "SEMICOLON" => ';',
        "SPACE" => ' ',
        "TAB" => '\t',
        other => return Err(format!("CSVDelimiter {other} is not supported")),
    };
    let mut rows = parse_csv(text, delimiter).into_iter();
    let headers: Vec<String> = match config
        .get("CSVHeaderLocation")
        .and_then(Value::as_str)
        .unwrap_or("FIRST_ROW")
    {
        "GIVEN" => config
            .get("CSVHeaders")
            .and_then(Value::as_array)
            .map(|h| {
                h.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .ok_or("CSVHeaderLocation GIVEN needs CSVHeaders")?,
        _ => rows.next().unwrap_or_default(),
    };
    Ok(rows
        .map(|row| {
            let object: JsonMap<String, Value> = headers
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    (
                        h.clone(),
                        Value::String(row.get(i).cloned().unwrap_or_default()),
                    )
                })
                .collect();
            Value::Object(object)
        })
        .collect())
}

/// RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends; blank lines skipped.
fn parse_csv(text: &str, delimiter: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                other => field.push(other),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            c if c == delimiter => row.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                if row.iter().any(|f| !f.is_empty()) || row.len() > 1 {
                    rows.push(std::mem::take(&mut row));
                } else {
                    row.clear();
                }
            }
            other => field.push(other),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_become_objects() {
        let items = csv_items(
            "id,name\n1,\"Smith, J\"\n2,\"say \"\"hi\"\"\"\r\n\n",
            &json!({}),
        )
        .unwrap();
        assert_eq!(
            items,
            vec![
                json!({"id": "1", "name": "Smith, J"}),
                json!({"id": "2", "name": "say \"hi\""})
            ]
        );
        let given = csv_items("1|a\n2|b", &json!({"CSVHeaderLocation": "GIVEN", "CSVHeaders": ["n", "l"], "CSVDelimiter": "PIPE"})).unwrap();
        assert_eq!(given[1], json!({"n": "2", "l": "b"}));
    }

    #[test]
    fn readers_accept_listings_and_files() {
        let listing = items_from_reader(
            "arn:aws:states:::s3:listObjectsV2",
            &Value::Null,
            json!({"Contents": [{"Key": "a"}]}),
        )
        .unwrap();
        assert_eq!(listing, vec![json!({"Key": "a"})]);
        let json_file = items_from_reader(
            "arn:aws:states:::s3:getObject",
            &json!({"InputType": "JSON"}),
            json!("[1,2]"),
        )
        .unwrap();
        assert_eq!(json_file, vec![json!(1), json!(2)]);
        let lines = items_from_reader(
            "arn:aws:states:::s3:getObject",
            &json!({"InputType": "JSONL"}),
            json!("{\"a\":1}\n{\"a\":2}\n"),
        )
        .unwrap();
        assert_eq!(lines.len(), 2);
        assert!(
            items_from_reader(
                "arn:aws:states:::s3:getObject",
                &json!({"InputType": "JSON"}),
                json!("{}")
            )
            .is_err()
        );
    }

    #[test]
    fn batches_respect_both_limits() {
        let batch = make_batch(vec![json!(1)], Some(&json!({"k": 1})));
        assert_eq!(batch, json!({"BatchInput": {"k": 1}, "Items": [1]}));
    }
}
