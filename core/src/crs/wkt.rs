//! A small reader of the WKT tree, for what `proj4wkt` does not expose: the outermost
//! CRS's name and authority code, its datum's name and whether it gives `TOWGS84`.
//!
//! `proj4wkt` does the real work (projection methods and parameters, OGC and ESRI names,
//! WKT1 and WKT2: checked on the `.prj` texts GDAL writes, in `projection.rs`'s tests);
//! its node model keeps the authority only in places and not the datum's name, so
//! these few facts are read here from a generic keyword/bracket tree.

/// One `KEYWORD[...]` node.
#[derive(Debug)]
pub(super) struct Node {
    pub keyword: String,
    pub values: Vec<Value>,
}

#[derive(Debug)]
pub(super) enum Value {
    /// A quoted string (with `""` unescaped).
    Text(String),
    /// A number or bare label (`EAST`), as written.
    Word(String),
    Node(Node),
}

/// Deepest nesting read: real CRS texts stay under 10.
const MAX_DEPTH: usize = 64;

impl Node {
    /// Parses a whole WKT text; `None` when it is not one well-formed node.
    pub(super) fn parse(text: &str) -> Option<Node> {
        let mut reader = Reader {
            bytes: text.trim().as_bytes(),
            at: 0,
        };
        let node = reader.node(0)?;
        reader.skip_space();
        (reader.at == reader.bytes.len()).then_some(node)
    }

    /// The first quoted value: the object's name.
    pub(super) fn name(&self) -> Option<&str> {
        self.values.iter().find_map(|v| match v {
            Value::Text(s) => Some(s.as_str()),
            _ => None,
        })
    }

    fn children(&self) -> impl Iterator<Item = &Node> {
        self.values.iter().filter_map(|v| match v {
            Value::Node(n) => Some(n),
            _ => None,
        })
    }

    fn child(&self, keywords: &[&str]) -> Option<&Node> {
        self.children()
            .find(|n| keywords.iter().any(|k| n.keyword.eq_ignore_ascii_case(k)))
    }

    /// The node's own `AUTHORITY["EPSG","4547"]` (WKT1) or `ID["EPSG",4547]` (WKT2):
    /// `(authority, code)`.
    pub(super) fn authority(&self) -> Option<(&str, &str)> {
        let id = self.child(&["AUTHORITY", "ID"])?;
        let mut words = id.values.iter().filter_map(|v| match v {
            Value::Text(s) | Value::Word(s) => Some(s.as_str()),
            Value::Node(_) => None,
        });
        Some((words.next()?, words.next()?))
    }

    /// The first node, this one or below, whose keyword is one of `keywords`.
    pub(super) fn find(&self, keywords: &[&str]) -> Option<&Node> {
        if keywords
            .iter()
            .any(|k| self.keyword.eq_ignore_ascii_case(k))
        {
            return Some(self);
        }
        self.children().find_map(|n| n.find(keywords))
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn skip_space(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.bytes.get(self.at).copied()
    }

    /// A run of characters that are not syntax.
    fn word(&mut self) -> Option<String> {
        self.skip_space();
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(|b| {
            !matches!(b, b'[' | b']' | b'(' | b')' | b',' | b'"') && !b.is_ascii_whitespace()
        }) {
            self.at += 1;
        }
        (self.at > start).then(|| String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned())
    }

    fn quoted(&mut self) -> Option<String> {
        self.at += 1; // the opening quote
        let mut out = Vec::new();
        loop {
            match *self.bytes.get(self.at)? {
                b'"' if self.bytes.get(self.at + 1) == Some(&b'"') => {
                    out.push(b'"');
                    self.at += 2;
                }
                b'"' => {
                    self.at += 1;
                    return Some(String::from_utf8_lossy(&out).into_owned());
                }
                b => {
                    out.push(b);
                    self.at += 1;
                }
            }
        }
    }

    /// `KEYWORD[value, ...]` (WKT1 also allows parentheses).
    fn node(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let keyword = self.word()?;
        let close = match self.peek()? {
            b'[' => b']',
            b'(' => b')',
            _ => return None,
        };
        self.at += 1;
        let mut values = Vec::new();
        if self.peek()? == close {
            self.at += 1;
            return Some(Node { keyword, values });
        }
        loop {
            let value = match self.peek()? {
                b'"' => Value::Text(self.quoted()?),
                _ => {
                    let start = self.at;
                    let word = self.word()?;
                    if matches!(self.peek(), Some(b'[' | b'(')) {
                        self.at = start;
                        Value::Node(self.node(depth + 1)?)
                    } else {
                        Value::Word(word)
                    }
                }
            };
            values.push(value);
            match self.peek()? {
                b',' => self.at += 1,
                b if b == close => {
                    self.at += 1;
                    return Some(Node { keyword, values });
                }
                _ => return None,
            }
        }
    }
}

/// What the projection code needs from a WKT text.
#[derive(Debug)]
pub(super) struct WktFacts {
    /// The outermost CRS's name.
    pub name: Option<String>,
    /// The outermost CRS's EPSG code, when it gives one.
    pub epsg: Option<u32>,
    /// The datum's name (`D_OSGB_1936`, `China_2000`), when one is given.
    pub datum: Option<String>,
}

/// Reads the facts, or `None` when the text is not well-formed WKT.
pub(super) fn facts(text: &str) -> Option<WktFacts> {
    let root = Node::parse(text)?;
    let epsg = root
        .authority()
        .filter(|(authority, _)| authority.eq_ignore_ascii_case("EPSG"))
        .and_then(|(_, code)| code.trim().parse().ok());
    let datum = root
        .find(&["DATUM", "GEODETICDATUM", "TRF", "ENSEMBLE"])
        .and_then(Node::name)
        .map(str::to_string);
    Some(WktFacts {
        name: root.name().map(str::to_string),
        epsg,
        datum,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_outermost_authority_not_an_inner_one() {
        let wkt = r#"PROJCS["WGS 84 / UTM zone 50N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],AUTHORITY["EPSG","4326"]],PROJECTION["Transverse_Mercator"],AXIS["Easting",EAST],AUTHORITY["EPSG","32650"]]"#;
        let f = facts(wkt).unwrap();
        assert_eq!(f.epsg, Some(32650));
        assert_eq!(f.name.as_deref(), Some("WGS 84 / UTM zone 50N"));
        assert_eq!(f.datum.as_deref(), Some("WGS_1984"));
        // WKT2's numeric ID.
        let f = facts(r#"GEOGCRS["x",DATUM["d",ELLIPSOID["e",1,2]],ID["EPSG",4490]]"#).unwrap();
        assert_eq!(f.epsg, Some(4490));
    }

    #[test]
    fn no_authority_and_bad_text() {
        let f = facts(r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]]"#).unwrap();
        assert_eq!(f.epsg, None);
        assert_eq!(f.datum.as_deref(), Some("D_WGS_1984"));
        assert_eq!(
            facts(r#"PROJCS["a""b"]"#).unwrap().name.as_deref(),
            Some("a\"b")
        );
        for bad in [
            "PROJCS[",
            "PROJCS[\"x\"",
            "PROJCS[\"x\"] trailing",
            "",
            "[]",
            "A[B[1]",
        ] {
            assert!(facts(bad).is_none(), "{bad}");
        }
        let deep = format!("{}{}", "A[".repeat(100), "]".repeat(100));
        assert!(facts(&deep).is_none());
    }
}
