//! Stable diagnostic codes (shown as `error[CODE]` and in JSON output; never renamed).

macro_rules! codes {
    ($($name:ident => $text:literal: $doc:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $(#[doc = $doc] $name),* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$name),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => $text),* }
            }

            /// One line explaining the rule (for `--help` output and the docs).
            pub fn describe(self) -> &'static str {
                match self { $(Code::$name => $doc),* }
            }
        }
    };
}

codes! {
    Syntax => "SYNTAX": "The text is not valid JSON or YAML.",
    DuplicateKey => "DUPLICATE_KEY": "A key appears twice in one object.",
    WrongType => "WRONG_TYPE": "A field has the wrong JSON type.",
    MissingField => "MISSING_FIELD": "A required field is missing.",
    UnknownField => "UNKNOWN_FIELD": "A field that this object does not define.",
    FieldNotAllowed => "FIELD_NOT_ALLOWED": "A field that exists, but not for this state type or query language.",
    MutuallyExclusive => "MUTUALLY_EXCLUSIVE": "Two fields that cannot be used together.",
    InvalidValue => "INVALID_VALUE": "A value outside the set the field accepts.",
    OutOfRange => "OUT_OF_RANGE": "A number outside the range AWS accepts.",
    EmptyStates => "EMPTY_STATES": "A machine, branch or processor without states.",
    UnknownStateType => "UNKNOWN_STATE_TYPE": "A state whose Type is not one of the eight state types.",
    MissingTransition => "MISSING_TRANSITION": "A state that has neither Next nor End.",
    NextAndEnd => "NEXT_AND_END": "A state that has both Next and End.",
    UnknownTarget => "UNKNOWN_TARGET": "A transition to a state that does not exist in its scope.",
    TargetOutOfScope => "TARGET_OUT_OF_SCOPE": "A transition into or out of a Parallel branch or Map processor.",
    UnreachableState => "UNREACHABLE_STATE": "A state that no transition reaches.",
    NoPathToEnd => "NO_PATH_TO_END": "A state from which the execution can never end.",
    DuplicateStateName => "DUPLICATE_STATE_NAME": "Two states with the same name anywhere in the machine.",
    StateNameTooLong => "STATE_NAME_TOO_LONG": "A state name longer than 80 characters.",
    InvalidName => "INVALID_NAME": "A state or variable name with characters AWS does not accept.",
    QueryLanguageDowngrade => "QUERY_LANGUAGE_DOWNGRADE": "A JSONPath state inside a JSONata state machine.",
    InvalidJsonPath => "INVALID_JSONPATH": "A JSONPath expression that does not parse.",
    InvalidReferencePath => "INVALID_REFERENCE_PATH": "A path where only a reference path (one definite node) is allowed.",
    InvalidIntrinsic => "INVALID_INTRINSIC": "An intrinsic function call that is malformed or has the wrong arguments.",
    InvalidJsonata => "INVALID_JSONATA": "A JSONata expression that does not parse.",
    JsonataDelimiters => "JSONATA_DELIMITERS": "A string that opens or closes a JSONata expression but not both.",
    JsonataStyle => "JSONATA_STYLE": "A JSONata expression written differently from AWS's documented '{% expression %}' form.",
    JsonataInJsonPath => "JSONATA_IN_JSONPATH": "A {% %} expression in a JSONPath state, where it is a plain string.",
    PayloadTemplate => "PAYLOAD_TEMPLATE": "A '.$' key whose value is not a path or intrinsic function.",
    PayloadKeyConflict => "PAYLOAD_KEY_CONFLICT": "A 'key.$' and a 'key' in the same payload template.",
    ErrorEquals => "ERROR_EQUALS": "An ErrorEquals list that is empty or misuses States.ALL.",
    UnknownErrorName => "UNKNOWN_ERROR_NAME": "A 'States.' error name that Step Functions never raises.",
    InvalidResource => "INVALID_RESOURCE": "A Task Resource that is not a valid ARN or URI.",
    Placeholder => "PLACEHOLDER": "A ${...} placeholder filled in at deployment (DefinitionSubstitutions).",
    InvalidTimestamp => "INVALID_TIMESTAMP": "A timestamp that is not ISO-8601 (RFC 3339).",
    UnsupportedByWorkflowType => "UNSUPPORTED_BY_WORKFLOW_TYPE": "A feature that the workflow type (Express) does not support.",
    ChoiceRule => "CHOICE_RULE": "A Choice rule without exactly one comparison, or misused Next.",
    DistributedOnly => "DISTRIBUTED_ONLY": "A Map field that only a Distributed Map accepts.",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_upper_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {}", code.as_str());
            assert!(
                code.as_str()
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_')
            );
            assert!(!code.describe().is_empty());
        }
    }
}
