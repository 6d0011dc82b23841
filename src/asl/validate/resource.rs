//! Task `Resource` forms: service integrations, Lambda and activity ARNs, SAM placeholders.

use super::{Anchor, Code, Severity, Validator, WorkflowType};

impl Validator<'_> {
    pub(super) fn check_resource(&mut self, resource: &str, at: &str) {
        if resource.contains("${") {
            self.check_placeholders(resource, at);
            return;
        }
        if let Some(problem) = resource_problem(resource) {
            self.error(at, Anchor::Value, Code::InvalidResource, problem);
            return;
        }
        if !resource.starts_with("arn:") {
            self.warning(
                at,
                Anchor::Value,
                Code::InvalidResource,
                format!(
                    "\"{resource}\" is not an ARN; Step Functions needs an ARN to deploy this Task"
                ),
            );
        }
        if self.options.workflow_type == Some(WorkflowType::Express) {
            let unsupported = if resource.ends_with(".waitForTaskToken") {
                Some("'.waitForTaskToken' service integration")
            } else if resource.ends_with(".sync") || resource.contains(".sync:") {
                Some("'.sync' service integration")
            } else if is_activity(resource) {
                Some("activities")
            } else {
                None
            };
            if let Some(what) = unsupported {
                // AWS's own wording (ValidateStateMachineDefinition), trailing space included.
                self.error(
                    at,
                    Anchor::Value,
                    Code::UnsupportedByWorkflowType,
                    format!("Express state machine does not support {what} "),
                );
            }
        }
    }

    /// `${Name}` placeholders are filled by DefinitionSubstitutions: information, unless broken.
    fn check_placeholders(&mut self, resource: &str, at: &str) {
        let mut names = Vec::new();
        let mut rest = resource;
        while let Some(start) = rest.find("${") {
            let after = &rest[start + 2..];
            match after.find('}') {
                Some(end) if end > 0 => {
                    names.push(after[..end].to_string());
                    rest = &after[end + 1..];
                }
                _ => {
                    self.error(
                        at,
                        Anchor::Value,
                        Code::InvalidResource,
                        "a \"${\" placeholder is not closed with \"}\" (DefinitionSubstitutions use ${Name})",
                    );
                    return;
                }
            }
        }
        self.report(
            at,
            Anchor::Value,
            Severity::Information,
            Code::Placeholder,
            format!(
                "{} filled in at deployment from DefinitionSubstitutions",
                names
                    .iter()
                    .map(|n| format!("${{{n}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}

fn is_activity(resource: &str) -> bool {
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    parts.len() == 6 && parts[2] == "states" && parts[5].starts_with("activity:")
}

/// Why a resource without placeholders cannot be right, if it cannot.
fn resource_problem(resource: &str) -> Option<String> {
    let scheme_ok = resource.split_once(':').is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
    });
    if !scheme_ok {
        return Some(format!(
            "\"{resource}\" is not an ARN (arn:partition:service:region:account:resource)"
        ));
    }
    if !resource.starts_with("arn:") {
        return None;
    }
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    let [_, partition, service, region, account, rest] = parts.as_slice() else {
        return Some(format!(
            "\"{resource}\" has too few parts for an ARN (arn:partition:service:region:account:resource)"
        ));
    };
    if !partition.starts_with("aws") {
        return Some(format!(
            "\"{partition}\" is not an AWS partition (aws, aws-cn, aws-us-gov...)"
        ));
    }
    if service.is_empty() || rest.is_empty() {
        return Some(format!(
            "\"{resource}\" is missing the service or the resource part"
        ));
    }
    match *service {
        "states" if region.is_empty() && account.is_empty() => integration_problem(rest),
        "states" => match rest.strip_prefix("activity:") {
            Some(name) => (name.is_empty() || name.chars().count() > 80)
                .then(|| format!("\"{name}\" is not a valid activity name (1-80 characters)")),
            // Integrations may also be written with the region and account filled in.
            None => integration_problem(rest),
        },
        "lambda" => lambda_problem(rest),
        _ => None,
    }
}

/// `arn:aws:states:::service:action[.sync[:2] | .waitForTaskToken]`.
fn integration_problem(rest: &str) -> Option<String> {
    let Some((service, action)) = rest.split_once(':') else {
        return Some(format!(
            "\"{rest}\" is not a service integration: write service:action, such as lambda:invoke"
        ));
    };
    let service_ok = !service.is_empty()
        && service
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let action = action
        .strip_suffix(".waitForTaskToken")
        .or_else(|| action.strip_suffix(".sync:2"))
        .or_else(|| action.strip_suffix(".sync"))
        .unwrap_or(action);
    let action_ok = !action.is_empty()
        && action
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '-' | '_'));
    (!service_ok || !action_ok).then(|| {
        format!("\"{rest}\" is not a service integration (service:action, optionally .sync or .waitForTaskToken)")
    })
}

/// `function:name[:alias-or-version]`.
fn lambda_problem(rest: &str) -> Option<String> {
    let mut parts = rest.split(':');
    if parts.next() != Some("function") {
        return Some(format!(
            "a Lambda ARN must name a function (…:function:Name), not \"{rest}\""
        ));
    }
    let name = parts.next().unwrap_or_default();
    let name_ok = (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !name_ok {
        return Some(format!(
            "\"{name}\" is not a valid Lambda function name (1-64 letters, digits, - or _)"
        ));
    }
    if let Some(qualifier) = parts.next() {
        let qualifier_ok = qualifier == "$LATEST"
            || ((1..=128).contains(&qualifier.len())
                && qualifier
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        if !qualifier_ok {
            return Some(format!(
                "\"{qualifier}\" is not a valid Lambda alias or version (letters, digits, - or _, or $LATEST)"
            ));
        }
    }
    parts
        .next()
        .map(|_| "a Lambda ARN has at most one qualifier after the function name".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_common_forms() {
        for ok in [
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::states:startExecution.sync:2",
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "arn:aws:states:::aws-sdk:s3:listObjectsV2",
            "arn:aws:states:::http:invoke",
            "arn:aws:lambda:us-east-1:123456789012:function:Hello",
            "arn:aws:lambda:us-east-1:123456789012:function:Hello:$LATEST",
            "arn:aws:lambda:us-east-1:123456789012:function:Hello:prod-1",
            "arn:aws:states:us-east-1:123456789012:activity:Approve",
            "arn:aws-cn:swf:cn-north-1:123456789012:task:X",
            "arn:aws:states:us-east-1:123456789012:aws-sdk:s3:getObject",
            "foo:bar",
        ] {
            assert_eq!(resource_problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn rejects_malformed_resources() {
        for bad in [
            "no-colon",
            "arn:aws:lambda",
            "arn:aws:lambda:r:1:function:Fn:",
            "arn:aws:lambda:r:1:function:Fn:$*#$7485",
            "arn:aws:lambda:r:1:layer:Fn",
            "arn:aws:states:::lambda",
            "arn:aws:states:r:1:activity:",
            "arn:xyz:states:::lambda:invoke",
        ] {
            assert!(resource_problem(bad).is_some(), "{bad}");
        }
    }
}
