//! Layout speed: generated 500-state machines, a 500-Task worst case for long edges, and the
//! largest corpus workflow.

// Measured with the allocator the `asl-studio` binary ships with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/layout_support/mod.rs"]
mod common;

use asl_studio::layout::{LayoutOptions, input_from_definition, layout};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let opts = LayoutOptions::default();
    let cases = [
        ("generated_500", common::generate::generated_definition(500)),
        (
            "shared_handler_500",
            common::generate::shared_handler_definition(500),
        ),
        // The definition the app's benchmarks edit (Choice, Parallel, Map, Retry, Catch).
        (
            "asl_generate_500",
            asl_studio::asl::generate::large_definition(500),
        ),
    ];
    for (name, def) in &cases {
        let Ok(input) = input_from_definition(def, &common::size_rule) else {
            continue;
        };
        c.bench_function(&format!("layout/{name}"), |b| {
            b.iter(|| layout(black_box(&input), &opts))
        });
        c.bench_function(&format!("input+layout/{name}"), |b| {
            b.iter(|| {
                input_from_definition(black_box(def), &common::size_rule)
                    .map(|input| layout(&input, &opts))
            })
        });
    }
    // The corpus files with the most states and the most bytes, when the corpus is present.
    let corpus: Vec<_> = common::corpus_files()
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
            common::load_definition(&p).ok().map(|d| (p, bytes, d))
        })
        .collect();
    let most_states = corpus
        .iter()
        .max_by_key(|(_, _, d)| common::generate::count_states(d));
    let most_bytes = corpus.iter().max_by_key(|(_, bytes, _)| *bytes);
    for (what, entry) in [("most states", most_states), ("most bytes", most_bytes)] {
        let Some((path, _, def)) = entry else {
            continue;
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Ok(input) = input_from_definition(def, &common::size_rule) {
            c.bench_function(&format!("layout/corpus {what} ({name})"), |b| {
                b.iter(|| layout(black_box(&input), &opts))
            });
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
