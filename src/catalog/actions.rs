//! The Actions and Flow entries of the States browser, each a state with sensible defaults
//! (Workflow Studio's, where it has them), written in JSONPath.
//!
//! ARNs use the documentation account 123456789012 in us-east-1, so a new state validates,
//! runs against mocks and reads as an example of what to fill in.

use super::{Group, PaletteItem, Source};
use serde_json::{Value, json};

const LAMBDA_RETRY: fn() -> Value = || {
    json!([{
        "ErrorEquals": [
            "Lambda.ServiceException",
            "Lambda.AWSLambdaException",
            "Lambda.SdkClientException",
            "Lambda.TooManyRequestsException"
        ],
        "IntervalSeconds": 1,
        "MaxAttempts": 3,
        "BackoffRate": 2,
        "JitterStrategy": "FULL"
    }])
};

macro_rules! action {
    ($id:literal, $title:literal, $icon:literal, $keywords:literal, $description:literal, $state:expr) => {
        PaletteItem {
            id: $id,
            title: $title,
            group: Group::Actions,
            icon: $icon,
            keywords: $keywords,
            description: $description,
            source: Source::State($state),
        }
    };
}

macro_rules! flow {
    ($id:literal, $title:literal, $keywords:literal, $description:literal, $state:expr) => {
        PaletteItem {
            id: $id,
            title: $title,
            group: Group::Flow,
            icon: $id,
            keywords: $keywords,
            description: $description,
            source: Source::State($state),
        }
    };
}

pub(super) static ACTIONS: &[PaletteItem] = &[
    action!(
        "lambda-invoke",
        "Lambda Invoke",
        "lambda",
        "function aws lambda call",
        "Invoke a Lambda function and continue with its response payload.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "OutputPath": "$.Payload",
            "Parameters": {
                "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:MyFunction:$LATEST",
                "Payload.$": "$"
            },
            "Retry": LAMBDA_RETRY()
        })
    ),
    action!(
        "lambda-callback",
        "Lambda Invoke (wait for callback)",
        "lambda",
        "function task token callback waitForTaskToken human approval",
        "Invoke a Lambda function with a task token and pause until SendTaskSuccess or SendTaskFailure returns it.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {
                "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:MyFunction:$LATEST",
                "Payload": {"input.$": "$", "taskToken.$": "$$.Task.Token"}
            },
            "TimeoutSeconds": 3600
        })
    ),
    action!(
        "sns-publish",
        "SNS Publish",
        "sns",
        "notification topic message email sms",
        "Publish the state's input as a message to an SNS topic.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::sns:publish",
            "Parameters": {
                "TopicArn": "arn:aws:sns:us-east-1:123456789012:MyTopic",
                "Message.$": "$"
            }
        })
    ),
    action!(
        "sqs-send",
        "SQS SendMessage",
        "sqs",
        "queue message",
        "Send the state's input as a message to an SQS queue.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage",
            "Parameters": {
                "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/MyQueue",
                "MessageBody.$": "$"
            }
        })
    ),
    action!(
        "sqs-send-callback",
        "SQS SendMessage (wait for callback)",
        "sqs",
        "queue message task token callback waitForTaskToken",
        "Send a message carrying a task token, and pause until a worker returns the token.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {
                "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/MyQueue",
                "MessageBody": {"input.$": "$", "taskToken.$": "$$.Task.Token"}
            },
            "HeartbeatSeconds": 600
        })
    ),
    action!(
        "dynamodb-get",
        "DynamoDB GetItem",
        "dynamodb",
        "table read item database",
        "Read one item of a DynamoDB table by its key.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:getItem",
            "Parameters": {
                "TableName": "MyTable",
                "Key": {"id": {"S.$": "$.id"}}
            },
            "ResultPath": "$.item"
        })
    ),
    action!(
        "dynamodb-put",
        "DynamoDB PutItem",
        "dynamodb",
        "table write insert item database",
        "Write an item to a DynamoDB table.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {
                "TableName": "MyTable",
                "Item": {
                    "id": {"S.$": "$.id"},
                    "payload": {"S.$": "States.JsonToString($)"}
                }
            },
            "ResultPath": null
        })
    ),
    action!(
        "dynamodb-update",
        "DynamoDB UpdateItem",
        "dynamodb",
        "table update modify item database",
        "Update attributes of a DynamoDB item with an update expression.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:updateItem",
            "Parameters": {
                "TableName": "MyTable",
                "Key": {"id": {"S.$": "$.id"}},
                "UpdateExpression": "SET #status = :status",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": {":status": {"S.$": "$.status"}}
            },
            "ResultPath": null
        })
    ),
    action!(
        "dynamodb-delete",
        "DynamoDB DeleteItem",
        "dynamodb",
        "table delete remove item database",
        "Delete an item of a DynamoDB table by its key.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:deleteItem",
            "Parameters": {
                "TableName": "MyTable",
                "Key": {"id": {"S.$": "$.id"}}
            },
            "ResultPath": null
        })
    ),
    action!(
        "eventbridge-put",
        "EventBridge PutEvents",
        "events",
        "event bus publish",
        "Send a custom event to an EventBridge event bus.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::events:putEvents",
            "Parameters": {
                "Entries": [{
                    "Detail.$": "$",
                    "DetailType": "MyDetailType",
                    "EventBusName": "default",
                    "Source": "my.application"
                }]
            }
        })
    ),
    action!(
        "sfn-start-sync",
        "Step Functions StartExecution (wait)",
        "states",
        "nested workflow child state machine sync",
        "Start another state machine and wait for it to finish (.sync:2); its output is this state's result.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::states:startExecution.sync:2",
            "Parameters": {
                "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:MyStateMachine",
                "Input": {
                    "StatePayload.$": "$",
                    "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"
                }
            }
        })
    ),
    action!(
        "sfn-start",
        "Step Functions StartExecution",
        "states",
        "nested workflow child state machine async fire and forget",
        "Start another state machine and continue at once.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::states:startExecution",
            "Parameters": {
                "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:MyStateMachine",
                "Input": {
                    "StatePayload.$": "$",
                    "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"
                }
            }
        })
    ),
    action!(
        "batch-submit",
        "Batch SubmitJob (wait)",
        "batch",
        "job compute container sync",
        "Submit an AWS Batch job and wait for it to finish.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::batch:submitJob.sync",
            "Parameters": {
                "JobName": "MyJob",
                "JobDefinition": "arn:aws:batch:us-east-1:123456789012:job-definition/my-job-definition:1",
                "JobQueue": "arn:aws:batch:us-east-1:123456789012:job-queue/my-job-queue"
            }
        })
    ),
    action!(
        "ecs-run",
        "ECS RunTask (wait)",
        "ecs",
        "container fargate task sync",
        "Run a Fargate task on ECS and wait for it to stop.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::ecs:runTask.sync",
            "Parameters": {
                "LaunchType": "FARGATE",
                "Cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/MyCluster",
                "TaskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/MyTask:1",
                "NetworkConfiguration": {
                    "AwsvpcConfiguration": {
                        "Subnets": ["subnet-0123456789abcdef0"],
                        "AssignPublicIp": "ENABLED"
                    }
                }
            }
        })
    ),
    action!(
        "glue-start",
        "Glue StartJobRun (wait)",
        "glue",
        "etl spark job sync",
        "Run an AWS Glue job and wait for it to finish.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::glue:startJobRun.sync",
            "Parameters": {"JobName": "MyGlueJob"}
        })
    ),
    action!(
        "sagemaker-train",
        "SageMaker CreateTrainingJob (wait)",
        "sagemaker",
        "machine learning ml model training sync",
        "Train a SageMaker model and wait for the training job to finish.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::sagemaker:createTrainingJob.sync",
            "Parameters": {
                "TrainingJobName.$": "$$.Execution.Name",
                "AlgorithmSpecification": {
                    "TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-training-image:latest",
                    "TrainingInputMode": "File"
                },
                "RoleArn": "arn:aws:iam::123456789012:role/MySageMakerRole",
                "OutputDataConfig": {"S3OutputPath": "s3://my-bucket/models/"},
                "ResourceConfig": {
                    "InstanceCount": 1,
                    "InstanceType": "ml.m5.large",
                    "VolumeSizeInGB": 10
                },
                "StoppingCondition": {"MaxRuntimeInSeconds": 3600}
            }
        })
    ),
    action!(
        "bedrock-invoke",
        "Bedrock InvokeModel",
        "bedrock",
        "ai generative llm claude model prompt",
        "Send a prompt to a foundation model on Amazon Bedrock.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::bedrock:invokeModel",
            "Parameters": {
                "ModelId": "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
                "Body": {
                    "anthropic_version": "bedrock-2023-05-31",
                    "max_tokens": 512,
                    "messages": [{"role": "user", "content.$": "$.prompt"}]
                }
            },
            "ResultSelector": {"completion.$": "$.Body.content[0].text"}
        })
    ),
    action!(
        "athena-query",
        "Athena StartQueryExecution (wait)",
        "athena",
        "sql query data lake sync",
        "Run an Athena SQL query and wait for it to finish.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::athena:startQueryExecution.sync",
            "Parameters": {
                "QueryString": "SELECT * FROM my_table LIMIT 10",
                "WorkGroup": "primary",
                "ResultConfiguration": {"OutputLocation": "s3://my-bucket/athena-results/"}
            }
        })
    ),
    action!(
        "s3-get",
        "S3 GetObject",
        "s3",
        "bucket read file object sdk",
        "Read an object from an S3 bucket (AWS SDK integration).",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
            "Parameters": {"Bucket": "my-bucket", "Key.$": "$.key"}
        })
    ),
    action!(
        "s3-put",
        "S3 PutObject",
        "s3",
        "bucket write upload file object sdk",
        "Write the state's input to an object in an S3 bucket (AWS SDK integration).",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:s3:putObject",
            "Parameters": {"Bucket": "my-bucket", "Key.$": "$.key", "Body.$": "$"}
        })
    ),
    action!(
        "http-invoke",
        "HTTP endpoint",
        "http",
        "https api rest third party call invoke",
        "Call an HTTPS API through an EventBridge connection that holds its credentials.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::http:invoke",
            "Parameters": {
                "ApiEndpoint": "https://api.example.com/orders",
                "Method": "POST",
                "Authentication": {
                    "ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/MyConnection/0123abcd-45ef-67ab-89cd-0123456789ab"
                },
                "RequestBody.$": "$"
            }
        })
    ),
    action!(
        "apigateway-invoke",
        "API Gateway Invoke",
        "apigateway",
        "rest api http call",
        "Call an API Gateway REST API.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::apigateway:invoke",
            "Parameters": {
                "ApiEndpoint": "abcd1234.execute-api.us-east-1.amazonaws.com",
                "Method": "GET",
                "Stage": "prod",
                "Path": "/orders",
                "AuthType": "IAM_ROLE"
            }
        })
    ),
    action!(
        "ses-send",
        "SES SendEmail",
        "ses",
        "email mail notify sdk",
        "Send an email with Amazon SES (AWS SDK integration).",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:sesv2:sendEmail",
            "Parameters": {
                "FromEmailAddress": "sender@example.com",
                "Destination": {"ToAddresses": ["recipient@example.com"]},
                "Content": {
                    "Simple": {
                        "Subject": {"Data": "Hello from Step Functions"},
                        "Body": {"Text": {"Data.$": "States.JsonToString($)"}}
                    }
                }
            }
        })
    ),
    action!(
        "codebuild-start",
        "CodeBuild StartBuild (wait)",
        "codebuild",
        "ci build project sync",
        "Start a CodeBuild build and wait for it to finish.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::codebuild:startBuild.sync",
            "Parameters": {"ProjectName": "MyProject"}
        })
    ),
    action!(
        "sdk-call",
        "AWS SDK call",
        "sdk",
        "any service api sdk aws-sdk",
        "Call any AWS API: change the service and action in the Resource (arn:aws:states:::aws-sdk:service:action).",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:sts:getCallerIdentity",
            "Parameters": {}
        })
    ),
    action!(
        "activity",
        "Activity",
        "activity",
        "worker poll task token",
        "Wait for a worker of your own to poll this activity and report a result.",
        || json!({
            "Type": "Task",
            "Resource": "arn:aws:states:us-east-1:123456789012:activity:MyActivity",
            "TimeoutSeconds": 300,
            "HeartbeatSeconds": 60
        })
    ),
];

pub(super) static FLOW: &[PaletteItem] = &[
    flow!(
        "Pass",
        "Pass",
        "pass through transform inject data",
        "Pass its input on, optionally shaped or with fixed data.",
        || json!({"Type": "Pass"})
    ),
    flow!(
        "Choice",
        "Choice",
        "branch if condition decision switch",
        "Choose the next state with rules over the input.",
        || json!({
            "Type": "Choice",
            "Choices": [{"Variable": "$.value", "StringEquals": "yes", "Next": ""}],
            "Default": ""
        })
    ),
    flow!(
        "Wait",
        "Wait",
        "delay sleep pause timer",
        "Pause for some seconds or until a timestamp.",
        || json!({"Type": "Wait", "Seconds": 5})
    ),
    flow!(
        "Succeed",
        "Succeed",
        "end stop success",
        "Stop the workflow (or the branch) successfully.",
        || json!({"Type": "Succeed"})
    ),
    flow!(
        "Fail",
        "Fail",
        "end stop error failure",
        "Stop the workflow with an error and a cause.",
        || json!({"Type": "Fail", "Error": "MyError", "Cause": "Describe what went wrong."})
    ),
    flow!(
        "Parallel",
        "Parallel",
        "branches concurrent fork join",
        "Run branches at the same time and collect their outputs.",
        || json!({
            "Type": "Parallel",
            "Branches": [{"StartAt": "", "States": {}}, {"StartAt": "", "States": {}}]
        })
    ),
    flow!(
        "Map",
        "Map",
        "loop iterate for each items array fan out",
        "Run the same steps for each item of an array.",
        || json!({
            "Type": "Map",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "",
                "States": {}
            }
        })
    ),
];
