//! The one reader for dyad's TSV data files: `#` comment lines, a header line, then rows of
//! a fixed number of tab-separated columns. Errors name the file and line.

/// A problem in a data file, with its place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct DataError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl DataError {
    pub fn new(file: &str, line: usize, message: impl Into<String>) -> Self {
        DataError {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}

/// Rows after the header, with 1-based line numbers; each must have `columns` fields.
pub fn rows<'a>(
    file: &'a str,
    text: &'a str,
    columns: usize,
) -> impl Iterator<Item = Result<(usize, Vec<&'a str>), DataError>> + 'a {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(move |(i, l)| {
            let cols: Vec<&str> = l.split('\t').map(str::trim).collect();
            if cols.len() != columns {
                return Err(DataError::new(
                    file,
                    i + 1,
                    format!(
                        "expected {columns} tab-separated columns, found {}",
                        cols.len()
                    ),
                ));
            }
            Ok((i + 1, cols))
        })
}

/// The items of a `|`-separated field, trimmed, empty ones dropped.
pub fn list(field: &str) -> impl Iterator<Item = &str> {
    field.split('|').map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_skip_comments_and_header_and_check_columns() {
        let text = "# comment\na\tb\n\nx\ty\n# inner\nonly\n";
        let got: Vec<_> = rows("f.tsv", text, 2).collect();
        assert_eq!(got[0], Ok((4, vec!["x", "y"])));
        assert_eq!(
            got[1].as_ref().unwrap_err().to_string(),
            "f.tsv:6: expected 2 tab-separated columns, found 1"
        );
        assert_eq!(list(" a | |b").collect::<Vec<_>>(), ["a", "b"]);
    }
}
