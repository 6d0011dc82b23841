//! Minimal geometry in logical points (origin top-left, y down). Kept free of any UI crate so
//! the canvas can convert to its own types with a field copy.

/// A position in logical points.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub const fn new(x: f32, y: f32) -> Self {
        Self { x, y }
    }

    pub fn is_finite(self) -> bool {
        self.x.is_finite() && self.y.is_finite()
    }

    pub fn offset(self, dx: f32, dy: f32) -> Self {
        Self::new(self.x + dx, self.y + dy)
    }
}

/// Largest length accepted from the caller; keeps every sum of lengths finite in `f32`.
pub const MAX_LENGTH: f32 = 1.0e6;

/// A length made safe to add up: finite, not negative, at most [`MAX_LENGTH`].
pub fn clean_length(v: f32) -> f32 {
    if v.is_finite() && v > 0.0 {
        v.min(MAX_LENGTH)
    } else {
        0.0
    }
}

/// A width and height in logical points.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Size {
    pub w: f32,
    pub h: f32,
}

impl Size {
    pub const fn new(w: f32, h: f32) -> Self {
        Self { w, h }
    }

    /// Non-finite or negative extents become zero and huge ones are capped, so a bad
    /// measurement cannot poison the layout with infinities.
    pub fn sanitized(self) -> Self {
        Self::new(clean_length(self.w), clean_length(self.h))
    }
}

/// An axis-aligned rectangle; `min` is the top-left corner.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub min: Point,
    pub max: Point,
}

impl Rect {
    pub const fn from_min_max(min: Point, max: Point) -> Self {
        Self { min, max }
    }

    pub fn from_min_size(min: Point, size: Size) -> Self {
        Self::from_min_max(min, Point::new(min.x + size.w, min.y + size.h))
    }

    pub fn from_center_size(center: Point, size: Size) -> Self {
        Self::from_min_size(
            Point::new(center.x - size.w / 2.0, center.y - size.h / 2.0),
            size,
        )
    }

    pub fn width(&self) -> f32 {
        self.max.x - self.min.x
    }

    pub fn height(&self) -> f32 {
        self.max.y - self.min.y
    }

    pub fn size(&self) -> Size {
        Size::new(self.width(), self.height())
    }

    pub fn center(&self) -> Point {
        Point::new(
            (self.min.x + self.max.x) / 2.0,
            (self.min.y + self.max.y) / 2.0,
        )
    }

    pub fn is_finite(&self) -> bool {
        self.min.is_finite() && self.max.is_finite()
    }

    pub fn translate(&self, dx: f32, dy: f32) -> Self {
        Self::from_min_max(self.min.offset(dx, dy), self.max.offset(dx, dy))
    }

    /// Grows (or with a negative amount shrinks) every side by `by`.
    pub fn expand(&self, by: f32) -> Self {
        Self::from_min_max(self.min.offset(-by, -by), self.max.offset(by, by))
    }

    pub fn union(&self, other: &Rect) -> Self {
        Self::from_min_max(
            Point::new(self.min.x.min(other.min.x), self.min.y.min(other.min.y)),
            Point::new(self.max.x.max(other.max.x), self.max.y.max(other.max.y)),
        )
    }

    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.min.x && p.x <= self.max.x && p.y >= self.min.y && p.y <= self.max.y
    }

    /// True when `other` lies inside `self` (edges may touch).
    pub fn contains_rect(&self, other: &Rect) -> bool {
        self.contains(other.min) && self.contains(other.max)
    }

    /// True when the open interiors overlap (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.min.x < other.max.x
            && other.min.x < self.max.x
            && self.min.y < other.max.y
            && other.min.y < self.max.y
    }

    /// True when the segment `a`–`b` passes through the open interior of the rectangle
    /// (Liang–Barsky clipping; a segment running along a side does not count).
    pub fn segment_enters(&self, a: Point, b: Point) -> bool {
        if self.width() <= 0.0 || self.height() <= 0.0 {
            return false;
        }
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let mut t0 = 0.0f32;
        let mut t1 = 1.0f32;
        let checks = [
            (-dx, a.x - self.min.x),
            (dx, self.max.x - a.x),
            (-dy, a.y - self.min.y),
            (dy, self.max.y - a.y),
        ];
        for (p, q) in checks {
            if p == 0.0 {
                // Parallel to this side: inside only if strictly within the slab.
                if q <= 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        if t0 >= t1 {
            return false;
        }
        // The clipped part must reach the open interior, not merely graze a corner or side.
        let mid_t = (t0 + t1) / 2.0;
        let mid = Point::new(a.x + dx * mid_t, a.y + dy * mid_t);
        mid.x > self.min.x && mid.x < self.max.x && mid.y > self.min.y && mid.y < self.max.y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit() -> Rect {
        Rect::from_min_size(Point::new(0.0, 0.0), Size::new(10.0, 10.0))
    }

    #[test]
    fn overlap_ignores_touching_sides() {
        let a = unit();
        let b = a.translate(10.0, 0.0);
        assert!(!a.overlaps(&b));
        assert!(a.overlaps(&a.translate(9.0, 9.0)));
    }

    #[test]
    fn segment_through_interior_is_detected() {
        let r = unit();
        assert!(r.segment_enters(Point::new(-5.0, 5.0), Point::new(15.0, 5.0)));
        assert!(r.segment_enters(Point::new(5.0, 5.0), Point::new(5.0, 50.0)));
        assert!(r.segment_enters(Point::new(-1.0, -1.0), Point::new(11.0, 11.0)));
    }

    #[test]
    fn segment_along_side_or_outside_is_not_detected() {
        let r = unit();
        assert!(!r.segment_enters(Point::new(0.0, -5.0), Point::new(0.0, 15.0)));
        assert!(!r.segment_enters(Point::new(-5.0, 10.0), Point::new(15.0, 10.0)));
        assert!(!r.segment_enters(Point::new(5.0, 10.0), Point::new(5.0, 30.0)));
        assert!(!r.segment_enters(Point::new(11.0, -5.0), Point::new(20.0, 20.0)));
        // Touching a corner only.
        assert!(!r.segment_enters(Point::new(10.0, 0.0), Point::new(20.0, -10.0)));
    }

    #[test]
    fn sanitized_size_drops_bad_values() {
        assert_eq!(Size::new(f32::NAN, -3.0).sanitized(), Size::new(0.0, 0.0));
        assert_eq!(
            Size::new(f32::INFINITY, 4.0).sanitized(),
            Size::new(0.0, 4.0)
        );
        assert_eq!(Size::new(1e30, 1.0).sanitized(), Size::new(MAX_LENGTH, 1.0));
    }
}
