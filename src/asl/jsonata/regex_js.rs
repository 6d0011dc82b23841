//! JavaScript regular expressions on top of `fancy-regex`.
//!
//! jsonata regex literals are ECMAScript regexes (`/.../im`, always global).  We translate
//! the ECMAScript spellings that the Rust engines read differently (ASCII `\d`/`\w`, `.`
//! excluding all line terminators, literal `{`, `[^]`, ...) and let `fancy-regex` provide
//! look-around and back-references.  Offsets exposed to JSONata are UTF-16 indices, as in
//! JavaScript.

use fancy_regex::Regex;

#[derive(Debug)]
pub(crate) struct JsRegex {
    pub source: String,
    regex: Regex,
}

/// One successful match: byte offsets into the searched string plus capture groups.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RegexMatch {
    pub start: usize,
    pub end: usize,
    pub groups: Vec<Option<(usize, usize)>>,
}

impl JsRegex {
    pub fn new(source: &str, flags: &str) -> Result<JsRegex, String> {
        let mut pattern = String::new();
        if flags.contains('i') || flags.contains('m') {
            pattern.push_str("(?");
            if flags.contains('i') {
                pattern.push('i');
            }
            if flags.contains('m') {
                pattern.push('m');
            }
            pattern.push(')');
        }
        pattern.push_str(&translate(source));
        let regex = fancy_regex::RegexBuilder::new(&pattern)
            .backtrack_limit(1_000_000)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(JsRegex {
            source: source.to_string(),
            regex,
        })
    }

    /// `RegExp.prototype.exec` from byte offset `from`.  A backtracking blow-up is reported
    /// as "no match" rather than an error: jsonata has no error code for it.
    pub fn exec(&self, text: &str, from: usize) -> Option<RegexMatch> {
        if from > text.len() || !text.is_char_boundary(from) {
            return None;
        }
        let caps = self.regex.captures_from_pos(text, from).ok()??;
        let whole = caps.get(0)?;
        let groups = (1..caps.len())
            .map(|i| caps.get(i).map(|m| (m.start(), m.end())))
            .collect();
        Some(RegexMatch {
            start: whole.start(),
            end: whole.end(),
            groups,
        })
    }
}

/// Rewrite ECMAScript regex syntax into the dialect `fancy-regex` understands.
fn translate(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let Some(&next) = chars.get(i + 1) else {
                out.push_str("\\\\");
                i += 1;
                continue;
            };
            i += 2;
            translate_escape(&chars, &mut i, next, in_class, &mut out);
            continue;
        }
        if in_class {
            match c {
                ']' => {
                    in_class = false;
                    out.push(']');
                }
                '[' => out.push_str("\\["),
                '&' => out.push_str("\\&"),
                '~' => out.push_str("\\~"),
                '-' if chars.get(i + 1) == Some(&'-') => out.push_str("\\-"),
                _ => out.push(c),
            }
            i += 1;
            continue;
        }
        match c {
            '[' => {
                if chars.get(i + 1) == Some(&']') {
                    // `[]` never matches
                    out.push_str("[^\\s\\S]");
                    i += 2;
                    continue;
                }
                if chars.get(i + 1) == Some(&'^') && chars.get(i + 2) == Some(&']') {
                    // `[^]` matches anything
                    out.push_str("[\\s\\S]");
                    i += 3;
                    continue;
                }
                in_class = true;
                out.push('[');
            }
            '.' => out.push_str("[^\\n\\r\\x{2028}\\x{2029}]"),
            '{' => match quantifier_len(&chars[i..]) {
                Some(len) => {
                    out.extend(&chars[i..i + len]);
                    i += len;
                    continue;
                }
                None => out.push_str("\\{"),
            },
            '}' => out.push_str("\\}"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Translate the escape `\\next` (already consumed); `i` points after it.
fn translate_escape(chars: &[char], i: &mut usize, next: char, in_class: bool, out: &mut String) {
    match next {
        'd' => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
        'w' => out.push_str(if in_class {
            "A-Za-z0-9_"
        } else {
            "[A-Za-z0-9_]"
        }),
        'D' if !in_class => out.push_str("[^0-9]"),
        'W' if !in_class => out.push_str("[^A-Za-z0-9_]"),
        'D' | 'W' | 's' | 'S' | 'n' | 'r' | 't' | 'v' | 'f' | 'k' | '1'..='9' => {
            out.push('\\');
            out.push(next);
        }
        'b' if in_class => out.push_str("\\x{8}"),
        'b' | 'B' if !in_class => {
            out.push('\\');
            out.push(next);
        }
        'u' => {
            let hex: String = chars[*i..].iter().take(4).collect();
            if hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()) {
                out.push_str(&format!("\\x{{{hex}}}"));
                *i += 4;
            } else {
                out.push('u');
            }
        }
        'x' => {
            let two: String = chars[*i..].iter().take(2).collect();
            if two.len() == 2 && two.chars().all(|h| h.is_ascii_hexdigit()) {
                out.push_str(&format!("\\x{{{two}}}"));
                *i += 2;
            } else {
                out.push('x');
            }
        }
        'c' => match chars.get(*i) {
            Some(l) if l.is_ascii_alphabetic() => {
                out.push_str(&format!("\\x{{{:X}}}", (*l as u32) % 32));
                *i += 1;
            }
            _ => out.push_str("\\\\c"),
        },
        '0' => out.push_str("\\x{0}"),
        // ECMAScript identity escapes: a letter or non-ASCII char stands for itself
        c if c.is_ascii_alphanumeric() || !c.is_ascii() || c == '<' || c == '>' => out.push(c),
        c => {
            out.push('\\');
            out.push(c);
        }
    }
}

/// Length of a `{n}`, `{n,}` or `{n,m}` quantifier at the start of `s`.
fn quantifier_len(s: &[char]) -> Option<usize> {
    if s.first() != Some(&'{') {
        return None;
    }
    let mut i = 1;
    let digits_start = i;
    while s.get(i).is_some_and(|c| c.is_ascii_digit()) {
        i += 1;
    }
    if i == digits_start {
        return None;
    }
    if s.get(i) == Some(&',') {
        i += 1;
        while s.get(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
    }
    (s.get(i) == Some(&'}')).then_some(i + 1)
}

/// UTF-16 length of `s` (JavaScript `length`).  ASCII text, the usual case, is checked
/// by the standard library's optimised scan, so regex functions over long inputs stay
/// fast in debug builds too.
pub(crate) fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    s.chars().map(char::len_utf16).sum()
}

/// UTF-16 length of `s[..byte]` (JavaScript string index of a byte offset).
pub(crate) fn utf16_index(s: &str, byte: usize) -> usize {
    let byte = byte.min(s.len());
    let mut b = byte;
    while b > 0 && !s.is_char_boundary(b) {
        b -= 1;
    }
    utf16_len(&s[..b])
}

/// Byte offset of UTF-16 index `idx` (clamped to the string).
pub(crate) fn byte_index(s: &str, idx: usize) -> usize {
    Utf16Cursor::new(s).byte_at(idx)
}

/// Converts UTF-16 indices of one string into byte offsets, walking on from the previous
/// answer: ascending indices (a scan through the matches of a regex) cost linear time
/// in total instead of a walk from the start each.
pub(crate) struct Utf16Cursor<'a> {
    text: &'a str,
    ascii: bool,
    byte: usize,
    unit: usize,
}

impl<'a> Utf16Cursor<'a> {
    pub fn new(text: &'a str) -> Utf16Cursor<'a> {
        Utf16Cursor {
            text,
            ascii: text.is_ascii(),
            byte: 0,
            unit: 0,
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Byte offset of the first character at or after UTF-16 index `unit` (the end of
    /// the text when beyond it).
    pub fn byte_at(&mut self, unit: usize) -> usize {
        if self.ascii {
            return unit.min(self.text.len());
        }
        if unit < self.unit {
            self.byte = 0;
            self.unit = 0;
        }
        for ch in self.text[self.byte..].chars() {
            if self.unit >= unit {
                break;
            }
            self.unit += ch.len_utf16();
            self.byte += ch.len_utf8();
        }
        self.byte
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find_all(re: &str, flags: &str, text: &str) -> Vec<String> {
        let Ok(r) = JsRegex::new(re, flags) else {
            panic!("regex {re} failed to compile")
        };
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some(m) = r.exec(text, pos) {
            out.push(text[m.start..m.end].to_string());
            if m.end == m.start {
                break;
            }
            pos = m.end;
        }
        out
    }

    #[test]
    fn javascript_classes_and_flags() {
        assert_eq!(find_all("\\d+", "", "a12b٣4"), ["12", "4"]);
        assert_eq!(find_all("ab", "i", "xAbyab"), ["Ab", "ab"]);
        assert_eq!(find_all("^b", "m", "a\nb"), ["b"]);
        assert_eq!(find_all("a.c", "", "a\nc abc"), ["abc"]);
        assert_eq!(find_all("[^]", "", "x"), ["x"]);
        assert_eq!(find_all("a{", "", "a{"), ["a{"]);
        assert_eq!(find_all("a{2}", "", "aaa"), ["aa"]);
    }

    #[test]
    fn lookaround_and_backreferences() {
        assert_eq!(find_all("(?<=\\$)\\d+", "", "$12 34"), ["12"]);
        assert_eq!(find_all("(a)\\1", "", "aab"), ["aa"]);
    }

    #[test]
    fn utf16_offsets() {
        let s = "😀ab";
        assert_eq!(utf16_index(s, 4), 2);
        assert_eq!(byte_index(s, 2), 4);
        assert_eq!(byte_index(s, 1), 4);
        assert_eq!(byte_index(s, 99), s.len());
        assert_eq!(utf16_len(s), 4);
        let mut cursor = Utf16Cursor::new("aé😀b");
        assert_eq!(cursor.byte_at(2), 3);
        assert_eq!(cursor.byte_at(4), 7);
        assert_eq!(cursor.byte_at(1), 1);
        assert_eq!(cursor.byte_at(9), 8);
    }
}
