//! Comment handling shared by the readers of PETRARCH/TABARI dictionary files (actors,
//! agents and discards in dyad-actors, verbs in dyad-events).

/// The lines of a PETRARCH/TABARI dictionary file without comments: `<!-- ... -->` blocks
/// (which may span lines), one-line `<...>` comment lines and `#` to the end of the line
/// (a `#` inside `[...]` is part of a code such as `[###]`). Returns 1-based line
/// numbers with the kept text; blank lines are dropped.
pub fn content_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_block = false;
    for (i, raw) in text.lines().enumerate() {
        let mut kept = String::new();
        let mut rest = raw;
        loop {
            if in_block {
                match rest.find("-->") {
                    Some(k) => {
                        rest = &rest[k + 3..];
                        in_block = false;
                    }
                    None => {
                        rest = "";
                        break;
                    }
                }
            } else if let Some(k) = rest.find("<!--") {
                kept.push_str(&rest[..k]);
                rest = &rest[k + 4..];
                in_block = true;
            } else {
                break;
            }
        }
        kept.push_str(rest);
        if kept.trim_start().starts_with('<') {
            continue;
        }
        let mut depth = 0usize;
        let mut cut = kept.len();
        for (k, c) in kept.char_indices() {
            match c {
                '[' => depth += 1,
                ']' => depth = depth.saturating_sub(1),
                '#' if depth == 0 => {
                    cut = k;
                    break;
                }
                _ => {}
            }
        }
        let kept = &kept[..cut];
        if kept.trim().is_empty() {
            continue;
        }
        out.push((i + 1, kept.trim_end().to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_of_every_kind_are_removed() {
        let text = "A [X] # note\n<!-- block\nstill -->B [###]\n<! one line -->\n\n  # only\nC";
        assert_eq!(
            content_lines(text),
            [
                (1, "A [X]".to_string()),
                (3, "B [###]".to_string()),
                (7, "C".to_string())
            ]
        );
    }
}
