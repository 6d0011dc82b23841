//! Starter workflows and palette patterns, embedded in the binary.
//!
//! Each is a complete JSON ASL file in `templates/` (two-space indent like the AWS console) that
//! validates with no diagnostic at all. Starters also have a test case in
//! `templates/tests/<id>.test.json` (input, mocked task results, expected status).

use crate::asl::validate::WorkflowType;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TemplateCategory {
    /// A whole workflow to start a project from.
    Starter,
    /// A block of states for the designer's palette.
    Pattern,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub category: TemplateCategory,
    /// The `.asl.json` text.
    pub text: &'static str,
    /// The workflow type it is meant for (the IoT ingestion one is Express).
    pub workflow_type: WorkflowType,
    /// The `templates/tests/<id>.test.json` text (starters only).
    pub test_case: Option<&'static str>,
}

/// The one the designer opens without an argument.
const STARTER_ID: &str = "order-processing";

macro_rules! starter {
    ($id:literal, $title:literal, $description:literal) => {
        starter!($id, $title, $description, WorkflowType::Standard)
    };
    ($id:literal, $title:literal, $description:literal, $type:expr) => {
        Template {
            id: $id,
            title: $title,
            description: $description,
            category: TemplateCategory::Starter,
            text: include_str!(concat!("../templates/", $id, ".asl.json")),
            workflow_type: $type,
            test_case: Some(include_str!(concat!(
                "../templates/tests/",
                $id,
                ".test.json"
            ))),
        }
    };
}

macro_rules! pattern {
    ($id:literal, $title:literal, $description:literal) => {
        Template {
            id: $id,
            title: $title,
            description: $description,
            category: TemplateCategory::Pattern,
            text: include_str!(concat!("../templates/", $id, ".asl.json")),
            workflow_type: WorkflowType::Standard,
            test_case: None,
        }
    };
}

static TEMPLATES: &[Template] = &[
    starter!(
        "order-processing",
        "E-commerce order processing",
        "Validate the order, reserve inventory, charge the payment and ship, with retries on transient Lambda errors and compensation (refund, release stock, notify) on failure."
    ),
    starter!(
        "daycare-registration",
        "Daycare registration",
        "Four checks in parallel (age, immunization records, guardian identity and background, space) decide approve, waitlist or reject; the decision is stored in DynamoDB and emailed with SES."
    ),
    starter!(
        "contact-form",
        "Blog contact form",
        "Validate the submission with Choice rules, store it in DynamoDB, email it with SES; failures alert the owner on SNS."
    ),
    starter!(
        "human-approval",
        "Human approval with a task token",
        "Queue the request with its task token (SQS .waitForTaskToken), wait for the reviewer with heartbeat and timeout, then act on the decision."
    ),
    starter!(
        "job-poller",
        "Job poller",
        "Submit a long-running job, then Wait and poll its status in a loop until it succeeds or fails."
    ),
    starter!(
        "parallel-etl",
        "Parallel ETL",
        "Extract three sources in parallel (Glue jobs and an Athena UNLOAD), transform and load with Glue, refresh the catalog; failures are reported on SNS."
    ),
    starter!(
        "map-fan-out",
        "Map fan-out",
        "Price every line item with an inline Map (ItemSelector, MaxConcurrency, per-item Retry and Catch that tolerates failures), then summarize."
    ),
    starter!(
        "distributed-map-s3",
        "Distributed Map over S3 objects",
        "List objects with ItemReader, process them in batches in child Express workflows, tolerate 5% failures and write results to S3."
    ),
    starter!(
        "saga-travel-booking",
        "Saga with compensation",
        "Book a hotel, a flight and a car; when a step fails, cancel the earlier bookings in reverse order."
    ),
    starter!(
        "retry-with-fallback",
        "Retry with backoff and fallback",
        "Retry the primary provider with exponential backoff, MaxDelaySeconds and full jitter, then fall back to a secondary provider and a DynamoDB cache."
    ),
    starter!(
        "jsonata-variables",
        "JSONata and variables",
        "A JSONata workflow: Arguments, Output, Assign, $states.input and $states.result, variables read by later states, JSONata Choice conditions."
    ),
    starter!(
        "express-iot-ingestion",
        "Express IoT ingestion",
        "An Express workflow per telemetry reading: validate, enrich with the device record, store in DynamoDB, alert on SNS when a threshold is crossed.",
        WorkflowType::Express
    ),
    pattern!(
        "pattern-s3-distributed-map",
        "Process S3 objects (Distributed Map)",
        "A Distributed Map that lists an S3 prefix and processes each object in a child Express workflow."
    ),
    pattern!(
        "pattern-csv-distributed-map",
        "Process a CSV file in S3",
        "A Distributed Map whose ItemReader reads CSV rows (header in the first row) and processes them in batches."
    ),
    pattern!(
        "pattern-job-poller",
        "Job poller",
        "Start a job, Wait, check its status, and loop until it succeeds or fails."
    ),
    pattern!(
        "pattern-task-token-approval",
        "Human approval (task token)",
        "Send the task token to an approver with lambda:invoke.waitForTaskToken and branch on the decision."
    ),
    pattern!(
        "pattern-retry-fallback",
        "Retry with fallback",
        "Retry with backoff and jitter, then Catch to a fallback call."
    ),
];

/// Every template, starters first.
pub fn all() -> &'static [Template] {
    TEMPLATES
}

/// The template the designer opens with no argument (order processing).
pub fn starter() -> &'static Template {
    by_id(STARTER_ID).unwrap_or(&TEMPLATES[0])
}

pub fn by_id(id: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.id == id)
}

/// The templates of one category, in order.
pub fn of_category(category: TemplateCategory) -> impl Iterator<Item = &'static Template> {
    TEMPLATES.iter().filter(move |t| t.category == category)
}

#[cfg(test)]
#[path = "templates_tests.rs"]
mod tests;
