//! Finds where a key path (e.g. `pools[0].nodes`) is written in a TOML source, for error
//! messages.

use super::error::Location;

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// A key path such as `pools[0].nodes`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<Step>);

impl KeyPath {
    /// The path extended by a key.
    pub fn key(&self, key: &str) -> KeyPath {
        let mut steps = self.0.clone();
        steps.push(Step::Key(key.to_string()));
        KeyPath(steps)
    }

    /// The path extended by an index.
    pub fn index(&self, i: usize) -> KeyPath {
        let mut steps = self.0.clone();
        steps.push(Step::Index(i));
        KeyPath(steps)
    }
}

impl std::fmt::Display for KeyPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Key(k) if i == 0 => write!(f, "{k}")?,
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// The line and column of the value at `path` in `source`, or of the nearest enclosing key
/// that exists.
pub fn locate(source: &str, path: &KeyPath) -> Option<Location> {
    let doc = toml_edit::Document::parse(source).ok()?;
    let mut item = doc.as_item();
    let mut best = None;
    for step in &path.0 {
        let next = match step {
            Step::Key(k) => item.get(k.as_str()),
            Step::Index(i) => item.get(*i),
        };
        match next {
            Some(next) => {
                item = next;
                if let Some(span) = item.span() {
                    best = Some(span.start);
                }
            }
            None => break,
        }
    }
    best.map(|offset| offset_to_location(source, offset))
}

/// 1-based line and column (in characters) of a byte offset.
pub fn offset_to_location(source: &str, offset: usize) -> Location {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Location {
        line,
        column: before[line_start..].chars().count() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys_and_array_entries() {
        let src = "[simulation]\nseed = 1\n\n[[pools]]\nname = \"a\"\n\n[[pools]]\nname = \"b\"\nnodes = -3\n";
        let path = KeyPath::default().key("pools").index(1).key("nodes");
        assert_eq!(path.to_string(), "pools[1].nodes");
        // `-3` sits on line 9 at column 9.
        assert_eq!(locate(src, &path), Some(Location { line: 9, column: 9 }));
        // A missing key falls back to its table's position ([[pools]] entry 1 is on line 7 or 8).
        let missing = KeyPath::default().key("pools").index(1).key("device");
        assert!(locate(src, &missing).is_some_and(|l| l.line >= 7 && l.line <= 8));
    }

    #[test]
    fn inline_tables_are_found() {
        let src = "[[workloads]]\narrival = { process = \"poisson\", rate_per_hour = -1.0 }\n";
        let path = KeyPath::default()
            .key("workloads")
            .index(0)
            .key("arrival")
            .key("rate_per_hour");
        assert_eq!(locate(src, &path).map(|l| l.line), Some(2));
    }
}
