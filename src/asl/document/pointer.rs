//! JSON pointers (RFC 6901): "/States/My~1State/Next".

/// Escapes one segment (`~` → `~0`, `/` → `~1`).
pub fn escape(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    push_escaped(&mut out, segment);
    out
}

fn push_escaped(out: &mut String, segment: &str) {
    if !segment.contains(['~', '/']) {
        out.push_str(segment);
        return;
    }
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            other => out.push(other),
        }
    }
}

pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Appends one segment to a pointer.
pub fn push(pointer: &mut String, segment: &str) {
    pointer.push('/');
    push_escaped(pointer, segment);
}

/// A new pointer: `base` + `/segment`.
pub fn join(base: &str, segment: &str) -> String {
    let mut pointer = String::with_capacity(base.len() + segment.len() + 1);
    pointer.push_str(base);
    push(&mut pointer, segment);
    pointer
}

/// The unescaped segments; "" (the root) has none.
pub fn segments(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .strip_prefix('/')
        .into_iter()
        .flat_map(|rest| rest.split('/'))
        .map(unescape)
}

/// Splits "/a/b" into ("/a", "b"); None for the root.
pub fn split_last(pointer: &str) -> Option<(String, String)> {
    let cut = pointer.rfind('/')?;
    Some((pointer[..cut].to_string(), unescape(&pointer[cut + 1..])))
}

/// An array index segment: digits without a leading zero.
pub fn array_index(segment: &str) -> Option<usize> {
    if segment.len() > 1 && segment.starts_with('0') {
        return None;
    }
    segment.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_splits() {
        let p = join("/States", "a/b~c");
        assert_eq!(p, "/States/a~1b~0c");
        assert_eq!(segments(&p).collect::<Vec<_>>(), vec!["States", "a/b~c"]);
        assert_eq!(split_last(&p), Some(("/States".into(), "a/b~c".into())));
        assert_eq!(split_last(""), None);
        assert_eq!(segments("").count(), 0);
    }

    #[test]
    fn reads_array_indexes() {
        assert_eq!(array_index("12"), Some(12));
        assert_eq!(array_index("012"), None);
        assert_eq!(array_index("x"), None);
    }
}
