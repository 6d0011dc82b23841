//! Parse + validate: the largest real definition (goal ≤ 1 ms) and 500 states (goal ≤ 20 ms).

// Measured with the allocator the `asl-studio` binary ships with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use asl_studio::asl::document::{Document, Format};
use asl_studio::asl::generate::large_definition;
use asl_studio::asl::validate::{Options, validate};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn parse_and_validate(text: &str) -> usize {
    match Document::parse(text, Format::Json) {
        Ok(doc) => validate(&doc, &Options::default()).len(),
        Err(_) => 0,
    }
}

fn bench(c: &mut Criterion) {
    let largest = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../shared/corpus/workflows/sfn-rekognition-video-catalog-workflow__statemachine.asl.json",
    );
    if let Ok(text) = std::fs::read_to_string(&largest) {
        c.bench_function("parse+validate largest corpus definition", |b| {
            b.iter(|| parse_and_validate(black_box(&text)))
        });
    } else {
        eprintln!("{} not found: corpus benchmark skipped", largest.display());
    }
    let generated = serde_json::to_string_pretty(&large_definition(500)).unwrap_or_default();
    c.bench_function("parse+validate 500 states", |b| {
        b.iter(|| parse_and_validate(black_box(&generated)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
