//! Shared by the integration tests, the bench and the SVG example.
#![allow(dead_code)]

pub mod generate;

use std::path::{Path, PathBuf};

use asl_studio::layout::Size;
use serde_json::Value;

/// `../shared/corpus/workflows` beside the repository (or under `$ASL_SHARED`).
pub const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/workflows");

fn corpus_dir() -> PathBuf {
    std::env::var_os("ASL_SHARED")
        .map(|d| PathBuf::from(d).join("corpus/workflows"))
        .unwrap_or_else(|| PathBuf::from(CORPUS))
}

/// The fixed size rule of the tests: width from the name, 40 high; container headers 32 high.
pub fn size_rule(name: &str, state: &Value) -> Size {
    let container = matches!(
        state.get("Type").and_then(Value::as_str),
        Some("Parallel" | "Map")
    );
    let w = (24.0 + 7.5 * name.chars().count() as f32).max(80.0);
    Size::new(w, if container { 32.0 } else { 40.0 })
}

/// Every `*.asl.json` / `*.asl.yaml` of the corpus, sorted; empty when the corpus is absent.
pub fn corpus_files() -> Vec<PathBuf> {
    let Ok(dir) = std::fs::read_dir(corpus_dir()) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = dir
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.to_string_lossy();
            name.ends_with(".asl.json") || name.ends_with(".asl.yaml")
        })
        .collect();
    files.sort();
    files
}

/// Parses a definition file as JSON or YAML; `Err` says why (malformed files are skipped).
pub fn load_definition(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let format = asl_studio::asl::document::Format::from_path(path);
    asl_studio::asl::document::Document::parse(text, format)
        .map(|doc| doc.value().clone())
        .map_err(|e| e.to_string())
}

/// Readability figures of a layout.
#[derive(Debug, Default, Clone, Copy)]
pub struct Metrics {
    pub edges: usize,
    /// Edges drawn as one vertical segment.
    pub straight: usize,
    /// Sum over forward edges of vertical length / total length.
    pub verticality_sum: f64,
    pub forward: usize,
    /// Proper intersections between segments of different edges.
    pub crossings: usize,
}

impl Metrics {
    pub fn add(&mut self, o: &Metrics) {
        self.edges += o.edges;
        self.straight += o.straight;
        self.verticality_sum += o.verticality_sum;
        self.forward += o.forward;
        self.crossings += o.crossings;
    }
}

fn proper_cross(
    a: asl_studio::layout::Point,
    b: asl_studio::layout::Point,
    c: asl_studio::layout::Point,
    d: asl_studio::layout::Point,
) -> bool {
    let orient = |p: asl_studio::layout::Point,
                  q: asl_studio::layout::Point,
                  r: asl_studio::layout::Point| {
        let v = (q.x - p.x) as f64 * (r.y - p.y) as f64 - (q.y - p.y) as f64 * (r.x - p.x) as f64;
        if v > 1e-6 {
            1
        } else if v < -1e-6 {
            -1
        } else {
            0
        }
    };
    let (o1, o2, o3, o4) = (
        orient(a, b, c),
        orient(a, b, d),
        orient(c, d, a),
        orient(c, d, b),
    );
    o1 * o2 < 0 && o3 * o4 < 0
}

pub fn metrics(l: &asl_studio::layout::Layout) -> Metrics {
    let mut m = Metrics {
        edges: l.edges.len(),
        ..Metrics::default()
    };
    for e in &l.edges {
        if e.points.len() == 2 && e.points[0].x == e.points[1].x {
            m.straight += 1;
        }
        if !e.back {
            let (mut v, mut t) = (0.0f64, 0.0f64);
            for w in e.points.windows(2) {
                let (dx, dy) = ((w[1].x - w[0].x) as f64, (w[1].y - w[0].y) as f64);
                v += dy.abs();
                t += (dx * dx + dy * dy).sqrt();
            }
            if t > 0.0 {
                m.verticality_sum += v / t;
                m.forward += 1;
            }
        }
    }
    for (i, a) in l.edges.iter().enumerate() {
        for b in l.edges.iter().skip(i + 1).filter(|b| b.graph == a.graph) {
            for s in a.points.windows(2) {
                for t in b.points.windows(2) {
                    if proper_cross(s[0], s[1], t[0], t[1]) {
                        m.crossings += 1;
                    }
                }
            }
        }
    }
    m
}
