use super::*;
use serde_json::json;

fn find(text: &str) -> Vec<FoundStateMachine> {
    find_state_machines(text, Format::Yaml, None).unwrap()
}

#[test]
fn reads_a_sam_machine_with_inline_definition_and_settings() {
    let text = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
  Orders:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: !Sub "${AWS::StackName}-orders"
      Type: EXPRESS
      Role: !GetAtt OrdersRole.Arn
      Logging:
        Level: ERROR
        IncludeExecutionData: true
        Destinations:
          - CloudWatchLogsLogGroup:
              LogGroupArn: !GetAtt Logs.Arn
      Tracing:
        Enabled: true
      Tags:
        team: payments
        stage: !Ref Stage
      DefinitionSubstitutions:
        FnArn: !GetAtt Fn.Arn
        Table: !Ref OrdersTable
        Literal: plain
      Definition:
        StartAt: A
        States:
          A:
            Type: Task
            Resource: ${FnArn}
            End: true
"#;
    let found = find(text);
    assert_eq!(found.len(), 1);
    let machine = &found[0];
    assert_eq!(machine.logical_id, "Orders");
    assert_eq!(machine.kind, StateMachineKind::Sam);
    assert_eq!(
        machine.definition,
        Some(
            json!({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${FnArn}", "End": true}}})
        )
    );
    let s = &machine.settings;
    assert_eq!(s.name.as_deref(), Some("${AWS::StackName}-orders"));
    assert_eq!(s.workflow_type, crate::asl::validate::WorkflowType::Express);
    assert_eq!(s.role_arn.as_deref(), Some("${OrdersRole.Arn}"));
    assert_eq!(s.logging.level, LogLevel::Error);
    assert!(s.logging.include_execution_data);
    assert_eq!(s.logging.log_group_arn.as_deref(), Some("${Logs.Arn}"));
    assert!(s.tracing);
    assert_eq!(s.tags["stage"], "${Stage}");
    assert_eq!(s.definition_substitutions["FnArn"], "${Fn.Arn}");
    assert_eq!(s.definition_substitutions["Table"], "${OrdersTable}");
    assert_eq!(s.definition_substitutions["Literal"], "plain");
    assert!(machine.notes.is_empty(), "{:?}", machine.notes);
}

#[test]
fn reads_cloudformation_definition_strings() {
    let text = r#"
Resources:
  Sub:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/Step
      StateMachineType: STANDARD
      Tags:
        - Key: team
          Value: data
      DefinitionString: !Sub
        - |-
          {"StartAt": "Call", "States": {"Call": {"Type": "Task",
            "Resource": "arn:${AWS::Partition}:states:::sns:publish",
            "Parameters": {"TopicArn": "${topic}", "Message": "${!NotAPlaceholder}"}, "End": true}}}
        - topic: !Ref Alerts
  Join:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Join
        - ""
        - - '{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "'
          - !GetAtt Worker.Arn
          - '", "End": true}}}'
  Plain:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}'
  Broken:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: '{"StartAt": '
"#;
    let found = find(text);
    assert_eq!(found.len(), 4);
    let sub = &found[0];
    assert_eq!(sub.kind, StateMachineKind::CloudFormation);
    let definition = sub.definition.as_ref().unwrap();
    let call = &definition["States"]["Call"];
    assert_eq!(call["Resource"], "arn:${AWSPartition}:states:::sns:publish");
    assert_eq!(call["Parameters"]["TopicArn"], "${topic}");
    assert_eq!(call["Parameters"]["Message"], "${NotAPlaceholder}");
    let subs = &sub.settings.definition_substitutions;
    assert_eq!(subs["topic"], "${Alerts}");
    assert_eq!(subs["AWSPartition"], "${AWS::Partition}");
    assert_eq!(
        sub.settings.role_arn.as_deref(),
        Some("arn:aws:iam::123456789012:role/Step")
    );
    assert_eq!(sub.settings.tags["team"], "data");

    let join = &found[1];
    let definition = join.definition.as_ref().unwrap();
    assert_eq!(definition["States"]["A"]["Resource"], "${WorkerArn}");
    assert_eq!(
        join.settings.definition_substitutions["WorkerArn"],
        "${Worker.Arn}"
    );

    assert_eq!(found[2].definition.as_ref().unwrap()["StartAt"], "P");
    assert_eq!(found[3].definition, None);
    assert!(
        found[3].notes[0].contains("not JSON"),
        "{:?}",
        found[3].notes
    );
}

#[test]
fn turns_expressions_inside_an_inline_definition_into_placeholders() {
    let text = r#"
Resources:
  M:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionSubstitutions:
        Existing: !GetAtt Fn.Arn
      Definition:
        StartAt: A
        States:
          A:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters:
              FunctionName: !GetAtt Fn.Arn
              Payload:
                table: !Ref Orders
                region: !Sub "${AWS::Region}"
            End: true
"#;
    let found = find(text);
    let machine = &found[0];
    let parameters = &machine.definition.as_ref().unwrap()["States"]["A"]["Parameters"];
    assert_eq!(parameters["FunctionName"], "${Existing}");
    assert_eq!(parameters["Payload"]["table"], "${Orders}");
    assert_eq!(parameters["Payload"]["region"], "${Region}");
    let subs = &machine.settings.definition_substitutions;
    assert_eq!(subs["Orders"], "${Orders}");
    assert_eq!(subs["Region"], "${AWS::Region}");
    assert_eq!(subs.len(), 3);
    assert_eq!(machine.notes.len(), 3);
}

#[test]
fn reads_definition_files_relative_to_the_template() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("statemachine")).unwrap();
    std::fs::write(
        dir.path().join("statemachine/flow.asl.yaml"),
        "StartAt: A\nStates:\n  A:\n    Type: Succeed\n",
    )
    .unwrap();
    let text = r#"
Resources:
  Local:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/flow.asl.yaml
  Missing:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/missing.asl.json
  Bucket:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri:
        Bucket: assets
        Key: flows/a.json
  S3:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionS3Location:
        Bucket: !Ref Assets
        Key: b.json
"#;
    let found = find_state_machines(text, Format::Yaml, Some(dir.path())).unwrap();
    assert_eq!(
        found[0].definition,
        Some(json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}))
    );
    assert_eq!(
        found[0].definition_uri.as_deref(),
        Some("statemachine/flow.asl.yaml")
    );
    assert_eq!(
        found[0].definition_path.as_deref(),
        Some(dir.path().join("statemachine/flow.asl.yaml").as_path())
    );
    assert_eq!(found[1].definition, None);
    assert!(found[1].notes[0].contains("missing.asl.json"));
    assert_eq!(
        found[2].definition_uri.as_deref(),
        Some("s3://assets/flows/a.json")
    );
    assert_eq!(
        found[3].definition_uri.as_deref(),
        Some("s3://${Assets}/b.json")
    );
    assert_eq!(found[3].definition, None);
    // Without the folder, the uri is returned and the definition is not read.
    let found = find(text);
    assert_eq!(found[0].definition, None);
    assert_eq!(
        found[0].definition_uri.as_deref(),
        Some("statemachine/flow.asl.yaml")
    );
}

#[test]
fn generated_role_and_log_group_read_back_as_unset() {
    let text = r#"
Resources:
  M:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: !GetAtt MRole.Arn
      LoggingConfiguration:
        Level: ALL
        IncludeExecutionData: "true"
        Destinations:
          - CloudWatchLogsLogGroup:
              LogGroupArn: !GetAtt MLogGroup.Arn
      Definition: {StartAt: A, States: {A: {Type: Succeed}}}
  MRole:
    Type: AWS::IAM::Role
    Metadata:
      GeneratedBy: ASL Studio
  MLogGroup:
    Type: AWS::Logs::LogGroup
    Metadata:
      GeneratedBy: ASL Studio
  Other:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: !GetAtt MineRole.Arn
      Definition: {StartAt: A, States: {A: {Type: Succeed}}}
  MineRole:
    Type: AWS::IAM::Role
"#;
    let found = find(text);
    assert_eq!(found[0].settings.role_arn, None);
    assert_eq!(found[0].settings.logging.log_group_arn, None);
    assert_eq!(found[0].settings.logging.level, LogLevel::All);
    assert!(found[0].settings.logging.include_execution_data);
    assert_eq!(
        found[1].settings.role_arn.as_deref(),
        Some("${MineRole.Arn}")
    );
}

#[test]
fn reports_what_is_not_a_template() {
    let error = find_state_machines("StartAt: A\nStates: {}\n", Format::Yaml, None).unwrap_err();
    assert!(
        error.to_string().contains("state machine definition"),
        "{error}"
    );
    let error = find_state_machines("{\"a\": 1}", Format::Json, None).unwrap_err();
    assert!(error.to_string().contains("no Resources"), "{error}");
    let error = find_state_machines("a: [", Format::Yaml, None).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("the template is not valid YAML"),
        "{error}"
    );
    let error = find_state_machines("[1]", Format::Json, None).unwrap_err();
    assert!(matches!(error, ExportError::NotATemplate(_)));
    let found = find_state_machines(
        r#"{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}"#,
        Format::Json,
        None,
    )
    .unwrap();
    assert!(found.is_empty());
    let skeleton = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n\nOutputs:\n";
    assert!(
        find_state_machines(skeleton, Format::Yaml, None)
            .unwrap()
            .is_empty()
    );
    let error = find_state_machines("Resources: [1]\n", Format::Yaml, None).unwrap_err();
    assert!(error.to_string().contains("not a mapping"), "{error}");
}

#[test]
fn notes_unreadable_settings() {
    let text = r#"
Resources:
  M:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: !If [IsProd, STANDARD, EXPRESS]
      Logging: {Level: LOUD}
"#;
    let machine = &find(text)[0];
    assert_eq!(
        machine.settings.workflow_type,
        crate::asl::validate::WorkflowType::Standard
    );
    assert_eq!(machine.notes.len(), 3, "{:?}", machine.notes);
    assert!(machine.notes[2].contains("no definition"));
}
