//! Legibility of the real corpus and of a generated 500-state machine.

mod layout_support;
use layout_support as common;

use asl_studio::layout::{LayoutOptions, check_layout, input_from_definition, layout};

#[test]
fn corpus_lays_out_legibly() {
    let files = common::corpus_files();
    if files.is_empty() {
        eprintln!("corpus not found at {}; skipping", common::CORPUS);
        return;
    }
    let opts = LayoutOptions::default();
    let (mut laid_out, mut skipped, mut failed) = (0, 0, 0);
    let mut total = common::Metrics::default();
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let def = match common::load_definition(path) {
            Ok(def) => def,
            Err(e) => {
                eprintln!("skip {name}: malformed ({e})");
                skipped += 1;
                continue;
            }
        };
        let input = match input_from_definition(&def, &common::size_rule) {
            Ok(input) => input,
            Err(e) => {
                eprintln!("skip {name}: {e}");
                skipped += 1;
                continue;
            }
        };
        let result = match layout(&input, &opts) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("FAIL {name}: {e}");
                failed += 1;
                continue;
            }
        };
        let m = common::metrics(&result);
        if m.crossings > 0 {
            eprintln!("  {name}: {} crossings", m.crossings);
        }
        total.add(&m);
        let defects = check_layout(&result, &opts);
        if !defects.is_empty() {
            failed += 1;
            eprintln!("FAIL {name}: {} defects", defects.len());
            for d in defects.iter().take(10) {
                eprintln!("    {d}");
            }
        }
        laid_out += 1;
    }
    eprintln!(
        "corpus: {} files, {laid_out} laid out, {skipped} skipped, {failed} failed",
        files.len()
    );
    report("corpus", &total);
    // Readability floors (current figures are printed above): most edges drop straight down,
    // forward edges run mostly vertically, crossings are rare.
    assert!(total.straight * 100 >= total.edges * 60, "{total:?}");
    assert!(
        total.verticality_sum >= 0.85 * total.forward as f64,
        "{total:?}"
    );
    assert!(total.crossings * 20 <= total.edges, "{total:?}");
    assert_eq!(failed, 0, "layouts with defects (see stderr)");
    assert!(laid_out >= files.len() - skipped);
}

#[test]
fn generated_500_states_lay_out_legibly() {
    let def = common::generate::generated_definition(500);
    let states = common::generate::count_states(&def);
    assert!((500..560).contains(&states), "{states} states");
    let opts = LayoutOptions::default();
    let input = input_from_definition(&def, &common::size_rule).unwrap();
    let result = layout(&input, &opts).unwrap();
    assert_eq!(result.nodes.len(), states);
    // Same input, same drawing (no hash-order effects): the canvas must not jump.
    assert_eq!(layout(&input, &opts).unwrap(), result);
    let m = common::metrics(&result);
    report("generated 500", &m);
    assert!(m.straight * 100 >= m.edges * 50, "{m:?}");
    let defects = check_layout(&result, &opts);
    for d in defects.iter().take(20) {
        eprintln!("    {d}");
    }
    assert!(defects.is_empty(), "{} defects", defects.len());
}

fn report(what: &str, m: &common::Metrics) {
    eprintln!(
        "{what}: {} edges, {:.1}% straight, verticality {:.3}, {} crossings",
        m.edges,
        100.0 * m.straight as f64 / m.edges.max(1) as f64,
        m.verticality_sum / m.forward.max(1) as f64,
        m.crossings
    );
}

#[test]
fn shared_handler_worst_case_lays_out_legibly() {
    let def = common::generate::shared_handler_definition(300);
    let opts = LayoutOptions::default();
    let input = input_from_definition(&def, &common::size_rule).unwrap();
    let result = layout(&input, &opts).unwrap();
    // The Catch edges share one trunk: the drawing stays narrow.
    assert!(result.bounds.width() < 600.0, "{:?}", result.bounds);
    let defects = check_layout(&result, &opts);
    assert!(defects.is_empty(), "{:?}", defects.first());
}
