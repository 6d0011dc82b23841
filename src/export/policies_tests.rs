use super::*;

fn definition() -> Value {
    json!({"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:Pay:prod", "Payload.$": "$"}, "Next": "B"},
        "B": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"TableName": "Orders", "Item": {}}, "Next": "C"},
        "C": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sesv2:sendEmail", "Parameters": {}, "Next": "D"},
        "D": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
            "Parameters": {"TopicArn": "${Topic}", "Message": "x"}, "Next": "E"},
        "E": {"Type": "Map", "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "in"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "F", "States": {
                "F": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName.$": "$.fn"}, "End": true}}},
            "End": true}
    }})
}

#[test]
fn derives_sam_policy_templates_and_statements() {
    let subs = BTreeMap::from([("Topic".to_string(), "${Alerts}".to_string())]);
    let policies = sam_policies(&grants(&definition(), &subs, true, false));
    assert_eq!(
        policies[0],
        json!({"LambdaInvokePolicy": {"FunctionName": "Pay"}})
    );
    assert_eq!(
        policies[1],
        json!({"DynamoDBCrudPolicy": {"TableName": "Orders"}})
    );
    assert_eq!(policies[2], json!({"S3ReadPolicy": {"BucketName": "in"}}));
    let statements = policies[3]["Statement"].as_array().unwrap();
    let actions: Vec<&str> = statements
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap())
        .filter_map(Value::as_str)
        .collect();
    for expected in [
        "ses:SendEmail",
        "sns:Publish",
        "states:StartExecution",
        "lambda:InvokeFunction",
        "logs:CreateLogDelivery",
    ] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    let sns = statements
        .iter()
        .find(|s| s["Action"][0] == "sns:Publish")
        .unwrap();
    assert_eq!(sns["Resource"], json!({"Ref": "Alerts"}));
}

#[test]
fn iam_statements_use_arns() {
    let statements = iam_statements(&grants(&definition(), &BTreeMap::new(), false, true));
    let lambda = statements
        .iter()
        .find(|s| s["Action"] == json!(["lambda:InvokeFunction"]) && s["Resource"].is_array())
        .unwrap();
    assert_eq!(
        lambda["Resource"][0],
        "arn:aws:lambda:us-east-1:123456789012:function:Pay:prod"
    );
    let table = statements
        .iter()
        .find(|s| s["Action"] == json!(["dynamodb:PutItem"]))
        .unwrap();
    assert_eq!(
        table["Resource"][0],
        json!({"Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/Orders"})
    );
    assert!(statements.iter().any(|s| {
        s["Action"]
            .as_array()
            .is_some_and(|a| a.contains(&json!("xray:GetSamplingRules")))
    }));
    assert_eq!(iam_action("sfn", "startExecution"), "states:StartExecution");
}

#[test]
fn handles_queues_buses_and_activities() {
    let def = json!({"StartAt": "Q", "States": {
        "Q": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "https://sqs.eu-west-1.amazonaws.com/123456789012/approvals"}, "Next": "E"},
        "E": {"Type": "Task", "Resource": "arn:aws:states:::events:putEvents",
            "Parameters": {"Entries": [{"EventBusName": "orders"}]}, "Next": "W"},
        "W": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:Work", "End": true}
    }});
    let policies = sam_policies(&grants(&def, &BTreeMap::new(), false, false));
    assert_eq!(
        policies,
        vec![
            json!({"SQSSendMessagePolicy": {"QueueName": "approvals"}}),
            json!({"EventBridgePutEventsPolicy": {"EventBusName": "orders"}}),
        ]
    );
    let statements = iam_statements(&grants(&def, &BTreeMap::new(), false, false));
    assert_eq!(
        statements[0]["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:sqs:eu-west-1:123456789012:approvals"})
    );
}
