//! Vertical placement and edge routing of one level.
//!
//! States are top-aligned in their rank's band; dummies reserve a lane in every band an edge
//! crosses. A route therefore runs vertically through bands (inside its own state's column or
//! its own lane) and crosses the empty gaps between bands in straight segments, so it can never
//! pass through a state. Loops back leave and enter states on their right side, through lanes
//! kept right beside them, and run up the side.

use super::geometry::{Point, Rect, Size};
use super::graph::{LevelGraph, VertexKind};
use super::layering::Direction;
use super::types::LayoutOptions;

/// Geometry of one level in its own coordinates (top-left of its bounds at the origin).
pub(super) struct LevelGeometry {
    /// Per vertex: the box of a state or marker, the label box of a label lane, else a
    /// zero-size rect at the lane.
    pub boxes: Vec<Rect>,
    /// Per graph edge: its polyline (source to target) and label box.
    pub routes: Vec<(Vec<Point>, Option<Rect>)>,
    pub size: Size,
}

/// Ports of one edge: x on the bottom of its upper end and top of its lower end (downward
/// edges), y on the right side of its source and target (loops back).
#[derive(Clone, Copy, Default)]
struct Ports {
    bottom_x: f32,
    top_x: f32,
    source_y: f32,
    target_y: f32,
    /// Self loops: where in the gap below the state the loop turns (0..1).
    turn: f32,
}

/// Vertical bands of the ranks.
struct Bands {
    top: Vec<f32>,
    height: Vec<f32>,
}

impl Bands {
    fn top(&self, r: usize) -> f32 {
        self.top.get(r).copied().unwrap_or(0.0)
    }

    fn bottom(&self, r: usize) -> f32 {
        self.top(r) + self.height.get(r).copied().unwrap_or(0.0)
    }
}

pub(super) fn route(graph: &LevelGraph, xs: &[f64], opts: &LayoutOptions) -> LevelGeometry {
    let verts = &graph.vertices;
    let x_of = |v: usize| xs.get(v).copied().unwrap_or(0.0) as f32;

    // Band heights and tops; half a layer gap between consecutive bands.
    let mut height = vec![0.0f32; graph.rank_count];
    for v in verts {
        if let Some(h) = height.get_mut(v.rank) {
            *h = h.max(v.height + v.tail);
        }
    }
    let gap = opts.layer_gap.max(0.0) / 2.0;
    let mut top = vec![0.0f32; graph.rank_count];
    for r in 1..graph.rank_count {
        top[r] = top[r - 1] + height[r - 1] + gap;
    }
    let bands = Bands { top, height };

    let boxes: Vec<Rect> = verts
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = x_of(i);
            let size = Size::new(v.width, v.height);
            let left = x - v.width / 2.0;
            if let Some(owner) = v.attached_to {
                let owner_h = verts.get(owner).map_or(0.0, |o| o.height);
                let y = bands.top(v.rank) + owner_h + gap;
                return Rect::from_min_size(Point::new(left, y), size);
            }
            let y = match v.kind {
                VertexKind::Dummy(_) => {
                    bands.top(v.rank) + (bands.bottom(v.rank) - bands.top(v.rank) - v.height) / 2.0
                }
                _ => bands.top(v.rank),
            };
            Rect::from_min_size(Point::new(left, y), size)
        })
        .collect();

    let ports = assign_ports(graph, xs, &boxes, opts);

    let mut routes = Vec::with_capacity(graph.edges.len());
    for (ei, edge) in graph.edges.iter().enumerate() {
        let p = ports.get(ei).copied().unwrap_or_default();
        let bx = |v: usize| boxes.get(v).copied().unwrap_or_default();
        let rank = |v: usize| verts.get(v).map_or(0, |vx| vx.rank);
        let label = edge.label_vertex.filter(|_| edge.label.is_some()).map(bx);
        let mut pts: Vec<Point> = Vec::with_capacity(edge.chain.len() * 2 + 4);
        match edge.direction {
            Direction::Attached => {
                let (s, m) = (bx(edge.from), bx(edge.to));
                pts.extend([
                    Point::new(s.center().x, s.max.y),
                    Point::new(m.center().x, m.min.y),
                ]);
            }
            Direction::SelfLoop => {
                let (Some(&lane), s) = (edge.chain.first(), bx(edge.from)) else {
                    routes.push((Vec::new(), None));
                    continue;
                };
                let x = x_of(lane);
                // Nested loops turn at different depths of the gap (inner loops higher).
                let turn = bands.bottom(rank(edge.from)) + gap * p.turn;
                pts.extend([
                    Point::new(p.bottom_x, s.max.y),
                    Point::new(p.bottom_x, turn),
                    Point::new(x, turn),
                    Point::new(x, p.target_y),
                    Point::new(s.max.x, p.target_y),
                ]);
            }
            Direction::Down => {
                let (Some(&upper), Some(&lower)) = (edge.chain.first(), edge.chain.last()) else {
                    routes.push((Vec::new(), None));
                    continue;
                };
                pts.push(Point::new(p.bottom_x, bx(upper).max.y));
                pts.push(Point::new(p.bottom_x, bands.bottom(rank(upper))));
                for &d in inner(&edge.chain) {
                    pts.push(Point::new(x_of(d), bands.top(rank(d))));
                    pts.push(Point::new(x_of(d), bands.bottom(rank(d))));
                }
                pts.push(Point::new(p.top_x, bx(lower).min.y));
            }
            Direction::Up => {
                let (Some(&upper_lane), Some(&lower_lane)) =
                    (edge.chain.first(), edge.chain.last())
                else {
                    routes.push((Vec::new(), None));
                    continue;
                };
                let (target, source) = (bx(edge.to), bx(edge.from));
                // Built top-down (target first), then reversed.
                let xu = x_of(upper_lane);
                pts.push(Point::new(target.max.x, p.target_y));
                pts.push(Point::new(xu, p.target_y));
                pts.push(Point::new(xu, bands.bottom(rank(upper_lane))));
                for &d in inner(&edge.chain) {
                    pts.push(Point::new(x_of(d), bands.top(rank(d))));
                    pts.push(Point::new(x_of(d), bands.bottom(rank(d))));
                }
                let xl = x_of(lower_lane);
                pts.push(Point::new(xl, bands.top(rank(lower_lane))));
                pts.push(Point::new(xl, p.source_y));
                pts.push(Point::new(source.max.x, p.source_y));
                pts.reverse();
            }
        }
        routes.push((simplify(pts), label));
    }

    normalize(
        verts.iter().map(|v| !v.is_dummy() || v.height > 0.0),
        boxes,
        routes,
    )
}

/// The chain without its two ends.
fn inner(chain: &[usize]) -> &[usize] {
    match chain {
        [_, middle @ .., _] => middle,
        _ => &[],
    }
}

/// Moves everything so the level's bounds start at the origin.
fn normalize(
    visible: impl Iterator<Item = bool>,
    mut boxes: Vec<Rect>,
    mut routes: Vec<(Vec<Point>, Option<Rect>)>,
) -> LevelGeometry {
    let mut bounds: Option<Rect> = None;
    let mut grow = |r: Rect| bounds = Some(bounds.map_or(r, |b| b.union(&r)));
    for (show, b) in visible.zip(&boxes) {
        if show {
            grow(*b);
        }
    }
    for (pts, label) in &routes {
        for p in pts {
            grow(Rect::from_min_max(*p, *p));
        }
        if let Some(l) = label {
            grow(*l);
        }
    }
    let bounds = bounds.unwrap_or_default();
    let (dx, dy) = (-bounds.min.x, -bounds.min.y);
    for b in &mut boxes {
        *b = b.translate(dx, dy);
    }
    for (pts, label) in &mut routes {
        for p in pts.iter_mut() {
            *p = p.offset(dx, dy);
        }
        if let Some(l) = label {
            *l = l.translate(dx, dy);
        }
    }
    LevelGeometry {
        boxes,
        routes,
        size: bounds.size(),
    }
}

/// Places ports (sorted by wanted x) on a bottom or top side, `spacing` apart within the
/// middle 80% of the side: a lane under the state gets a port right above it (a straight
/// drop); lanes beyond the state fan out from a compact group around the centre.
fn place_ports(centre: f32, len: f32, wanted: &[f32], spacing: f32) -> Vec<f32> {
    let k = wanted.len();
    if k == 0 {
        return Vec::new();
    }
    let span = (len * 0.4).max(0.0);
    let compact = span.min(spacing * k as f32 / 2.0);
    let step = if k > 1 {
        spacing.min(2.0 * span / (k - 1) as f32).max(0.0)
    } else {
        0.0
    };
    let (lo, hi) = (centre - span, centre + span);
    let mut out: Vec<f32> = wanted
        .iter()
        .map(|&w| {
            if !w.is_finite() {
                centre
            } else if (w - centre).abs() <= span {
                w
            } else {
                w.clamp(centre - compact, centre + compact)
            }
        })
        .collect();
    for i in 0..k {
        let floor = if i == 0 {
            lo
        } else {
            (out[i - 1] + step).max(lo + i as f32 * step)
        };
        out[i] = out[i].max(floor);
    }
    for i in (0..k).rev() {
        let ceil = hi - (k - 1 - i) as f32 * step;
        let ceil = if i + 1 < k {
            ceil.min(out[i + 1] - step)
        } else {
            ceil
        };
        out[i] = out[i].min(ceil);
    }
    out
}

/// Spreads `k` ports around `centre` along a side of length `len`.
fn spread(centre: f32, len: f32, k: usize, spacing: f32, i: usize) -> f32 {
    if k < 2 {
        return centre;
    }
    let step = spacing.min(len * 0.8 / (k - 1) as f32).max(0.0);
    centre + (i as f32 - (k as f32 - 1.0) / 2.0) * step
}

/// Gives every edge end a port.
///
/// Top and bottom ends are ordered by where the edge heads, so edges leaving one state do not
/// cross each other; arrows arriving at a top side share its centre, as in Workflow Studio.
/// Right-side ends (loops back) go top to bottom: lanes leaving upwards (nearest first), then
/// lanes arriving from below, self loops included (farthest first); no two of them cross.
fn assign_ports(
    graph: &LevelGraph,
    xs: &[f64],
    boxes: &[Rect],
    opts: &LayoutOptions,
) -> Vec<Ports> {
    let n = graph.vertices.len();
    let x_of = |v: usize| xs.get(v).copied().unwrap_or(0.0);
    // (edge, sort key); bottoms also need the key, tops all share the centre.
    let mut tops: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let mut bottoms: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    // (edge, group, distance, is the edge's source end)
    let mut rights: Vec<Vec<(usize, u8, f64, bool)>> = vec![Vec::new(); n];
    // Self loops per state: (edge, distance of the lane).
    let mut loops: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for (ei, e) in graph.edges.iter().enumerate() {
        let c = &e.chain;
        match e.direction {
            Direction::Down if c.len() >= 2 => {
                let (upper, lower) = (c[0], c[c.len() - 1]);
                if let Some(b) = bottoms.get_mut(upper) {
                    b.push((ei, x_of(c[1])));
                }
                if let Some(t) = tops.get_mut(lower) {
                    t.push((ei, x_of(c[c.len() - 2])));
                }
            }
            Direction::Up if c.len() >= 2 => {
                let (upper_lane, lower_lane) = (c[0], c[c.len() - 1]);
                if let Some(r) = rights.get_mut(e.from) {
                    let d = x_of(lower_lane) - x_of(e.from);
                    r.push((ei, 0, d, true));
                }
                if let Some(r) = rights.get_mut(e.to) {
                    let d = x_of(upper_lane) - x_of(e.to);
                    r.push((ei, 3, -d, false));
                }
            }
            Direction::SelfLoop => {
                if let (Some(&lane), Some(r)) = (c.first(), rights.get_mut(e.from)) {
                    let d = x_of(lane) - x_of(e.from);
                    r.push((ei, 3, -d, false));
                    // Rightmost bottom ports, inner loops right of outer ones: nested loops
                    // stay apart.
                    if let Some(b) = bottoms.get_mut(e.from) {
                        b.push((ei, x_of(e.from) + 1.0e6 - d));
                    }
                    loops[e.from].push((ei, d));
                }
            }
            _ => {}
        }
    }

    let mut ports = vec![Ports::default(); graph.edges.len()];
    for list in &mut loops {
        list.sort_by(|a, b| a.1.total_cmp(&b.1));
        let k = list.len() as f32;
        for (i, &(ei, _)) in list.iter().enumerate() {
            if let Some(p) = ports.get_mut(ei) {
                p.turn = (i as f32 + 1.0) / (k + 1.0);
            }
        }
    }
    for v in 0..n {
        let b = boxes.get(v).copied().unwrap_or_default();
        let centre = b.center();
        // One arrow in comes straight down when its lane is over the state; several share
        // the centre.
        let single_in = tops[v].len() == 1;
        for &(ei, toward) in &tops[v] {
            if let Some(p) = ports.get_mut(ei) {
                p.top_x = if single_in {
                    place_ports(centre.x, b.width(), &[toward as f32], opts.port_spacing)[0]
                } else {
                    centre.x
                };
            }
        }
        let side = &mut bottoms[v];
        side.sort_by(|a, c| a.1.total_cmp(&c.1).then(a.0.cmp(&c.0)));
        let wanted: Vec<f32> = side.iter().map(|a| a.1 as f32).collect();
        for (&(ei, _), x) in
            side.iter()
                .zip(place_ports(centre.x, b.width(), &wanted, opts.port_spacing))
        {
            if let Some(p) = ports.get_mut(ei) {
                p.bottom_x = x;
            }
        }
        let side = &mut rights[v];
        side.sort_by(|a, c| a.1.cmp(&c.1).then(a.2.total_cmp(&c.2)).then(a.0.cmp(&c.0)));
        for (i, &(ei, _, _, is_source)) in side.iter().enumerate() {
            let y = spread(centre.y, b.height(), side.len(), opts.port_spacing, i);
            if let Some(p) = ports.get_mut(ei) {
                if is_source {
                    p.source_y = y;
                } else {
                    p.target_y = y;
                }
            }
        }
    }
    ports
}

/// Drops repeated points and the middle of three points on one vertical line.
fn simplify(pts: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(pts.len());
    for p in pts {
        if out.last() == Some(&p) {
            continue;
        }
        if let [.., a, b] = out.as_slice()
            && ((a.x == b.x && b.x == p.x) || (a.y == b.y && b.y == p.y))
        {
            out.pop();
        }
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplify_merges_straight_runs() {
        let pts = vec![
            Point::new(0.0, 0.0),
            Point::new(0.0, 5.0),
            Point::new(0.0, 5.0),
            Point::new(0.0, 10.0),
            Point::new(3.0, 20.0),
            Point::new(5.0, 20.0),
            Point::new(9.0, 20.0),
        ];
        assert_eq!(
            simplify(pts),
            vec![
                Point::new(0.0, 0.0),
                Point::new(0.0, 10.0),
                Point::new(3.0, 20.0),
                Point::new(9.0, 20.0)
            ]
        );
    }

    #[test]
    fn ports_follow_their_lanes_within_the_side() {
        // One lane under the state: straight down.
        assert_eq!(place_ports(50.0, 100.0, &[62.0], 14.0), vec![62.0]);
        // Lane far away: leaves near the centre.
        assert_eq!(place_ports(50.0, 100.0, &[500.0], 14.0), vec![57.0]);
        // Next lane under the centre, Catch lane far right: Next stays straight.
        assert_eq!(
            place_ports(50.0, 100.0, &[50.0, 300.0], 14.0),
            vec![50.0, 64.0]
        );
        // Three lanes fanning out from the centre keep the spacing.
        assert_eq!(
            place_ports(50.0, 100.0, &[-100.0, 50.0, 200.0], 14.0),
            vec![29.0, 50.0, 71.0]
        );
        // Lanes under a wide state get straight drops.
        assert_eq!(
            place_ports(500.0, 1000.0, &[300.0, 320.0, 700.0], 14.0),
            vec![300.0, 320.0, 700.0]
        );
        // Crowded lanes are pushed apart, staying within the side.
        let p = place_ports(50.0, 100.0, &[89.0, 89.0, 89.0], 14.0);
        assert_eq!(p, vec![62.0, 76.0, 90.0]);
    }

    #[test]
    fn ports_spread_within_the_side() {
        assert_eq!(spread(50.0, 100.0, 1, 14.0, 0), 50.0);
        assert_eq!(spread(50.0, 100.0, 3, 14.0, 0), 36.0);
        assert_eq!(spread(50.0, 100.0, 3, 14.0, 2), 64.0);
        // A short side squeezes the spacing to fit 80% of it.
        assert_eq!(spread(10.0, 20.0, 3, 14.0, 2), 18.0);
    }
}
