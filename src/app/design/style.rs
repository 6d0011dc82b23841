//! How each state looks: icon text and colour per state type and per Task service.

use super::graph::NodeInfo;
use crate::asl::model::StateType;
use egui::{Color32, Painter, Rect, Shape, Stroke, Vec2};

/// The icon of a Task node: a short text on a coloured tile.
pub struct Icon {
    pub text: &'static str,
    pub color: Color32,
}

/// Task nodes show their service (text on a tile); other states a drawn symbol of their type.
pub fn node_icon(node: &NodeInfo) -> Option<Icon> {
    let service = node.service.as_ref()?;
    Some(service_icon(service.key))
}

/// A white symbol of a state type, drawn on its coloured tile (no font glyph needed).
pub fn paint_type_symbol(painter: &Painter, tile: Rect, kind: Option<StateType>) {
    let c = tile.center();
    let r = tile.width() * 0.28;
    let stroke = Stroke::new(1.8, Color32::WHITE);
    let p = |x: f32, y: f32| c + Vec2::new(x * r, y * r);
    match kind {
        Some(StateType::Pass) => {
            painter.line_segment([p(-1.0, 0.0), p(1.0, 0.0)], stroke);
            painter.line(vec![p(0.3, -0.7), p(1.0, 0.0), p(0.3, 0.7)], stroke);
        }
        Some(StateType::Choice) => {
            painter.add(Shape::closed_line(
                vec![p(0.0, -1.0), p(1.0, 0.0), p(0.0, 1.0), p(-1.0, 0.0)],
                stroke,
            ));
        }
        Some(StateType::Wait) => {
            painter.circle_stroke(c, r, stroke);
            painter.line(vec![p(0.0, -0.6), p(0.0, 0.0), p(0.5, 0.3)], stroke);
        }
        Some(StateType::Succeed) => {
            painter.line(vec![p(-0.9, 0.0), p(-0.25, 0.65), p(0.9, -0.65)], stroke);
        }
        Some(StateType::Fail) => {
            painter.line_segment([p(-0.7, -0.7), p(0.7, 0.7)], stroke);
            painter.line_segment([p(0.7, -0.7), p(-0.7, 0.7)], stroke);
        }
        Some(StateType::Parallel) => {
            painter.line_segment([p(-0.45, -0.9), p(-0.45, 0.9)], stroke);
            painter.line_segment([p(0.45, -0.9), p(0.45, 0.9)], stroke);
        }
        Some(StateType::Map) => {
            for dy in [-0.7, 0.0, 0.7] {
                painter.circle_filled(p(-0.75, dy), 1.6, Color32::WHITE);
                painter.line_segment([p(-0.35, dy), p(0.9, dy)], stroke);
            }
        }
        Some(StateType::Task) | None => {
            painter.line_segment([p(0.0, -0.8), p(0.0, 0.3)], stroke);
            painter.circle_filled(p(0.0, 0.8), 1.6, Color32::WHITE);
        }
    }
}

/// Service colours follow the AWS architecture icon families (compute orange, integration
/// pink, database blue, storage green, analytics purple, ML teal).
pub fn service_icon(key: &str) -> Icon {
    let (text, rgb) = match key {
        "lambda" => ("λ", (0xed, 0x71, 0x00)),
        "batch" => ("BAT", (0xed, 0x71, 0x00)),
        "ecs" => ("ECS", (0xed, 0x71, 0x00)),
        "eks" => ("EKS", (0xed, 0x71, 0x00)),
        "ec2" => ("EC2", (0xed, 0x71, 0x00)),
        "sns" => ("SNS", (0xe7, 0x15, 0x7b)),
        "sqs" => ("SQS", (0xe7, 0x15, 0x7b)),
        "events" => ("EB", (0xe7, 0x15, 0x7b)),
        "states" => ("SF", (0xe7, 0x15, 0x7b)),
        "apigateway" => ("API", (0xe7, 0x15, 0x7b)),
        "http" => ("HTTP", (0xe7, 0x15, 0x7b)),
        "activity" => ("ACT", (0xe7, 0x15, 0x7b)),
        "dynamodb" => ("DDB", (0x3b, 0x48, 0xcc)),
        "s3" => ("S3", (0x3f, 0x86, 0x24)),
        "glue" => ("GLU", (0x8c, 0x4f, 0xff)),
        "athena" => ("ATH", (0x8c, 0x4f, 0xff)),
        "emr" => ("EMR", (0x8c, 0x4f, 0xff)),
        "kinesis" => ("KIN", (0x8c, 0x4f, 0xff)),
        "sagemaker" => ("SM", (0x01, 0xa8, 0x8d)),
        "bedrock" => ("BR", (0x01, 0xa8, 0x8d)),
        "ai" => ("AI", (0x01, 0xa8, 0x8d)),
        "ses" => ("SES", (0xdd, 0x34, 0x4c)),
        "codebuild" => ("CB", (0x3b, 0x48, 0xcc)),
        "secrets" | "ssm" | "cloudwatch" => ("OPS", (0xe7, 0x15, 0x7b)),
        "placeholder" => ("${}", (0x6b, 0x72, 0x80)),
        "sdk" => ("SDK", (0x23, 0x2f, 0x3e)),
        _ => ("TASK", (0x3b, 0x82, 0xf6)),
    };
    Icon {
        text,
        color: Color32::from_rgb(rgb.0, rgb.1, rgb.2),
    }
}
