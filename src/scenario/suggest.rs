//! "Did you mean …?" hints for unknown keys, variants and ids.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| {
            let c = c.to_ascii_lowercase();
            *d <= (c.len().max(word.len()) / 3).max(2)
                || (c.len() >= 3 && (lower.starts_with(&c) || c.starts_with(&lower)))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Adds a "did you mean" line to a serde message such as
/// "unknown field `pue_`, expected `pue`" or "unknown variant `posson`, expected `poisson`".
pub fn enrich_serde_message(message: &str) -> String {
    let message = &plain_types(message);
    for kind in ["unknown field `", "unknown variant `"] {
        let Some(start) = message.find(kind) else {
            continue;
        };
        let rest = &message[start + kind.len()..];
        let Some(end) = rest.find('`') else {
            continue;
        };
        let word = &rest[..end];
        let expected: Vec<&str> = rest[end + 1..].split('`').skip(1).step_by(2).collect();
        if let Some(best) = nearest(word, expected.iter().copied()) {
            return format!("{}\n  hint: did you mean `{best}`?", message.trim_end());
        }
        return format!(
            "{}\n  hint: remove or rename the key; see the scenario reference in README.md",
            message.trim_end()
        );
    }
    message.trim_end().to_string()
}

/// Replaces Rust type names in serde messages with words.
fn plain_types(message: &str) -> String {
    message
        .replace("expected i64", "expected a whole number")
        .replace("expected u64", "expected a whole number of at least 0")
        .replace("expected f64", "expected a number such as 1.5")
        .replace("expected a string", "expected a quoted string")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        assert_eq!(nearest("pue_", ["pue"]), Some("pue"));
        assert_eq!(
            nearest("rate_per_hr", ["rate_per_hour", "process"]),
            Some("rate_per_hour")
        );
        assert_eq!(nearest("zzzzzzzz", ["pue"]), None);
        assert_eq!(
            nearest("h100-sxm5-80gb", ["H100-SXM5-80GB", "H100-PCIe-80GB"]),
            Some("H100-SXM5-80GB")
        );
    }

    #[test]
    fn enriches_unknown_field_messages() {
        let m = enrich_serde_message("unknown field `pue_`, expected `pue`");
        assert!(m.ends_with("did you mean `pue`?"), "{m}");
        let m = enrich_serde_message(
            "unknown field `nodez`, expected one of `name`, `device`, `nodes`, `devices_per_node`",
        );
        assert!(m.ends_with("did you mean `nodes`?"), "{m}");
        assert_eq!(enrich_serde_message("invalid type"), "invalid type");
        assert_eq!(
            enrich_serde_message("invalid type: string \"two\", expected i64"),
            "invalid type: string \"two\", expected a whole number"
        );
    }
}
