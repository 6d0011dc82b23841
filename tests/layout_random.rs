//! Random graphs (cycles, self loops, parallel and dangling edges, unreachable parts, nested
//! containers, odd sizes) must always lay out without defects.

use asl_studio::layout::{
    EdgeKind, EdgeLabel, EndMarkers, InEdge, InNode, InNodeKind, LayoutInput, LayoutOptions, Size,
    Termination, check_layout, layout,
};

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn graph(rng: &mut Lcg, depth: usize) -> LayoutInput {
    let n = rng.below(14);
    let nodes = (0..n)
        .map(|i| {
            let kind = match rng.below(if depth < 3 { 8 } else { 1 }) {
                1 => InNodeKind::Parallel {
                    branches: (0..rng.below(4)).map(|_| graph(rng, depth + 1)).collect(),
                },
                2 => InNodeKind::Map {
                    processor: graph(rng, depth + 1),
                },
                _ => InNodeKind::Leaf,
            };
            InNode {
                id: format!("S{}", i % 5), // duplicate names on purpose
                size: Size::new(rng.below(200) as f32, rng.below(60) as f32),
                kind,
                termination: match rng.below(4) {
                    0 => Termination::End,
                    1 => Termination::Fail,
                    _ => Termination::None,
                },
            }
        })
        .collect();
    let edges = (0..rng.below(2 * n + 2))
        .map(|i| InEdge {
            from: rng.below(n + 1),
            to: rng.below(n + 1),
            kind: match rng.below(4) {
                0 => EdgeKind::Catch { index: i },
                1 => EdgeKind::ChoiceRule { index: i },
                2 => EdgeKind::ChoiceDefault,
                _ => EdgeKind::Next,
            },
            label: (rng.below(2) == 0).then(|| EdgeLabel {
                text: "label".into(),
                size: Size::new(rng.below(120) as f32, rng.below(30) as f32),
            }),
        })
        .collect();
    let start = if rng.below(6) == 0 {
        None
    } else {
        Some(rng.below(n + 1))
    };
    LayoutInput {
        nodes,
        edges,
        start,
    }
}

#[test]
fn random_graphs_lay_out_without_defects() {
    let mut rng = Lcg(7);
    let styles = [
        EndMarkers::Shared,
        EndMarkers::SharedExceptFail,
        EndMarkers::PerState,
    ];
    let mut failures = 0;
    for case in 0..250 {
        let input = graph(&mut rng, 0);
        let opts = LayoutOptions {
            end_markers: styles[case % 3],
            ..LayoutOptions::default()
        };
        let result = layout(&input, &opts).expect("depth is within the limit");
        let defects = check_layout(&result, &opts);
        if !defects.is_empty() {
            failures += 1;
            eprintln!(
                "case {case}: {} defects, first: {}",
                defects.len(),
                defects[0]
            );
        }
    }
    assert_eq!(failures, 0);
}

#[test]
fn random_graphs_with_tight_or_odd_options() {
    let mut rng = Lcg(99);
    let mut failures = 0;
    for case in 0..250 {
        let input = graph(&mut rng, 0);
        let opts = LayoutOptions {
            layer_gap: [0.0, 3.0, 200.0][case % 3],
            node_gap: [0.0, 1.0, 90.0][(case / 3) % 3],
            edge_gap: [0.0, 40.0][case % 2],
            container_padding: [0.0, 30.0][(case / 2) % 2],
            branch_padding: 0.0,
            branch_gap: [0.0, 5.0][case % 2],
            port_spacing: [0.0, 50.0][(case / 5) % 2],
            ordering_sweeps: case % 4,
            ..LayoutOptions::default()
        };
        let result = layout(&input, &opts).expect("depth is within the limit");
        let defects = check_layout(&result, &opts);
        if !defects.is_empty() {
            failures += 1;
            eprintln!(
                "case {case}: {} defects, first: {}",
                defects.len(),
                defects[0]
            );
        }
    }
    assert_eq!(failures, 0);
}
