//! Reading articles: `.txt` files, `.jsonl` files, stdin (`-`) and directories. One bad
//! record is reported with its file and line and never stops the others.

use dyad_core::{normalise_date, Article, CoderOptions};
use serde_json::Value;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// A record that could not be read, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// `file` or `file:line`.
    pub place: String,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

impl std::error::Error for InputError {}

/// Options that apply while reading.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Date for articles whose input has none (already normalised).
    pub default_date: Option<String>,
}

/// An input left out of the run, and why (printed on stderr by the commands).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: &'static str,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "skipped {} ({})", self.path.display(), self.reason)
    }
}

/// Expands the command line's inputs into files: directories recursively (sorted, `.txt`
/// and `.jsonl` regular files only), `-` as stdin. Inside a directory, each directory and
/// file is visited once however many symbolic links lead to it, so a link cycle cannot
/// repeat or blow up the walk; FIFOs, sockets and devices there are skipped, since reading
/// one could block forever. Inputs named on the command line are kept as given (a FIFO,
/// `/dev/stdin` or `<(...)` there is what the user asked to read). Returns the files and
/// the skipped paths with their reasons.
pub fn expand(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<Skipped>) {
    let mut walk = Walk::default();
    for p in inputs {
        if p.is_dir() {
            walk.dir(p);
        } else {
            walk.files.push(p.clone());
        }
    }
    (walk.files, walk.skipped)
}

#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    skipped: Vec<Skipped>,
    /// Canonical paths of the directories and files already taken.
    seen: std::collections::HashSet<PathBuf>,
}

impl Walk {
    fn skip(&mut self, path: PathBuf, reason: &'static str) {
        self.skipped.push(Skipped { path, reason });
    }

    /// Whether `path` is reached for the first time (by its canonical path).
    fn first_visit(&mut self, path: &Path) -> bool {
        match std::fs::canonicalize(path) {
            Ok(c) => self.seen.insert(c),
            // Unresolvable (a dangling link): reported when it is opened.
            Err(_) => true,
        }
    }

    fn dir(&mut self, dir: &Path) {
        if !self.first_visit(dir) {
            return self.skip(dir.to_path_buf(), "already read through another path");
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            // An unreadable directory is reported when it is opened as a file.
            self.files.push(dir.to_path_buf());
            return;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            self.entry(p);
        }
    }

    fn entry(&mut self, p: PathBuf) {
        let meta = std::fs::metadata(&p);
        if meta.as_ref().is_ok_and(|m| m.is_dir()) {
            return self.dir(&p);
        }
        if !matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("txt" | "jsonl")
        ) {
            return self.skip(p, "not .txt or .jsonl");
        }
        match meta {
            Ok(m) if !m.is_file() => self.skip(p, "not a regular file"),
            Ok(_) if !self.first_visit(&p) => self.skip(p, "already read through another path"),
            // A dangling link is reported as unopenable, like any unreadable file.
            _ => self.files.push(p),
        }
    }
}

/// Whether a command-line input is a stream to read as JSONL, like `-`: `/dev/stdin`,
/// a process substitution (`/dev/fd/63`) or a FIFO, none of which has an extension.
fn is_stream(path: &Path) -> bool {
    let s = path.to_string_lossy();
    if s == "/dev/stdin" || s.starts_with("/dev/fd/") || s.starts_with("/proc/self/fd/") {
        return true;
    }
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Reads one input file (or `-` for stdin), calling `each` for every article or bad record.
pub fn read_path(
    path: &Path,
    opts: &ReadOptions,
    each: &mut dyn FnMut(Result<Article, InputError>),
) {
    let _ = read_path_until(path, opts, &mut |r| {
        each(r);
        Flow::Continue(())
    });
}

/// Whether a reader goes on: `each` breaks when there is no use reading more (the output
/// pipe has closed), so that a command ends promptly instead of reading the rest.
pub type Flow = std::ops::ControlFlow<()>;

/// [`read_path`], stopping as soon as `each` breaks.
pub fn read_path_until(
    path: &Path,
    opts: &ReadOptions,
    each: &mut dyn FnMut(Result<Article, InputError>) -> Flow,
) -> Flow {
    let name = path.display().to_string();
    if name == "-" {
        let stdin = std::io::stdin();
        return read_jsonl_until("<stdin>", "stdin", stdin.lock(), opts, each);
    }
    let fail = |message: String| InputError {
        place: name.clone(),
        message,
    };
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return each(Err(fail(format!("cannot open: {e}")))),
    };
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("article")
        .to_string();
    match path.extension().and_then(|e| e.to_str()) {
        Some("jsonl") => read_jsonl_until(&name, &stem, BufReader::new(file), opts, each),
        _ if is_stream(path) => read_jsonl_until(&name, &stem, BufReader::new(file), opts, each),
        Some("txt") => each(read_text(file, stem, opts).map_err(fail)),
        _ => each(Err(fail(
            "unsupported input: expected a .txt or .jsonl file, a directory, a stream (/dev/stdin, <(...)) or -".into(),
        ))),
    }
}

/// A `.txt` file as one article.
fn read_text(file: File, stem: String, opts: &ReadOptions) -> Result<Article, String> {
    let mut bytes = Vec::new();
    if let Err(e) = BufReader::new(file).read_to_end(&mut bytes) {
        return Err(format!("cannot read: {e}"));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Article {
            id: stem,
            date: opts.default_date.clone(),
            text,
            ..Default::default()
        }),
        Err(e) => Err(format!(
            "invalid UTF-8 at byte {}",
            e.utf8_error().valid_up_to()
        )),
    }
}

/// Reads JSONL articles line by line.
pub fn read_jsonl(
    name: &str,
    stem: &str,
    reader: impl BufRead,
    opts: &ReadOptions,
    each: &mut dyn FnMut(Result<Article, InputError>),
) {
    let _ = read_jsonl_until(name, stem, reader, opts, &mut |r| {
        each(r);
        Flow::Continue(())
    });
}

/// [`read_jsonl`], stopping as soon as `each` breaks.
pub fn read_jsonl_until(
    name: &str,
    stem: &str,
    mut reader: impl BufRead,
    opts: &ReadOptions,
    each: &mut dyn FnMut(Result<Article, InputError>) -> Flow,
) -> Flow {
    let mut buf = Vec::new();
    let mut line = 0;
    loop {
        buf.clear();
        line += 1;
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => return Flow::Continue(()),
            Ok(_) => {}
            Err(e) => {
                return each(Err(InputError {
                    place: format!("{name}:{line}"),
                    message: format!("cannot read: {e}"),
                }))
            }
        }
        let place = || format!("{name}:{line}");
        let record = match std::str::from_utf8(&buf) {
            // A byte-order mark (files saved by Windows editors, concatenated ones) is
            // not part of the record.
            Ok(t) => match t.trim().trim_start_matches('\u{FEFF}') {
                "" => continue,
                text => parse_record(text, stem, line, opts),
            },
            Err(e) => Err(format!("invalid UTF-8 at byte {}", e.valid_up_to())),
        };
        each(record.map_err(|message| InputError {
            place: place(),
            message,
        }))?;
    }
}

/// One JSONL record: `id`, `text`, optional `date` (or `published`; a timestamp gives its
/// date), `title`, `url`, `source`, `config`.
pub fn parse_record(
    line: &str,
    stem: &str,
    number: usize,
    opts: &ReadOptions,
) -> Result<Article, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?;
    let obj = v
        .as_object()
        .ok_or("malformed record: expected a JSON object")?;
    let text = match obj.get("text") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err("field `text` is not a string".into()),
        None => return Err("missing field `text`".into()),
    };
    let string = |k: &str| -> Result<Option<String>, String> {
        match obj.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) if k == "id" => Ok(Some(raw_id(line).unwrap_or(n.to_string()))),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(format!("field `{k}` is not a string")),
        }
    };
    let id = string("id")?.unwrap_or_else(|| format!("{stem}-{number}"));
    // `published` is the field name of many news exports (VOA's among them).
    let date = match string("date")?
        .or(string("published")?)
        .filter(|d| !d.trim().is_empty())
    {
        Some(d) => Some(normalise_date(&d).map_err(|e| e.to_string())?),
        None => opts.default_date.clone(),
    };
    let options = match obj.get("config") {
        None | Some(Value::Null) => CoderOptions::default(),
        Some(c @ Value::Object(_)) => CoderOptions::from_json(c),
        Some(_) => return Err("field `config` is not an object".into()),
    };
    Ok(Article {
        id,
        date,
        title: string("title")?,
        url: string("url")?,
        source: string("source")?,
        text,
        options,
    })
}

/// A numeric `id` exactly as written: through an `f64` a 30-digit id would become
/// `1.2345678901234568e+29` and collide with its neighbours.
fn raw_id(line: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Raw<'a> {
        #[serde(borrow)]
        id: Option<&'a serde_json::value::RawValue>,
    }
    let raw: Raw = serde_json::from_str(line).ok()?;
    Some(raw.id?.get().to_string())
}

/// Article ids seen so far, to keep record ids unique: a repeated id gets a suffix
/// (`a#2`) and a warning. Only 64-bit hashes are kept, so that memory stays small over
/// millions of articles.
#[derive(Default)]
pub struct Ids {
    seen: std::collections::HashMap<u64, usize>,
}

impl Ids {
    /// Renames `article` when its id was seen before; returns the warning to print.
    pub fn admit(&mut self, article: &mut Article) -> Option<String> {
        use std::hash::{Hash, Hasher};
        // A fixed-key hasher: the same ids get the same suffixes on every run.
        let hash = |id: &str| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            id.hash(&mut h);
            h.finish()
        };
        let n = self.seen.entry(hash(&article.id)).or_insert(0);
        *n += 1;
        if *n == 1 {
            return None;
        }
        let original = std::mem::take(&mut article.id);
        let mut k = *n;
        // "a#2" may itself be an id of the input: take the next free suffix.
        while self.seen.contains_key(&hash(&format!("{original}#{k}"))) {
            k += 1;
        }
        article.id = format!("{original}#{k}");
        self.seen.insert(hash(&article.id), 1);
        Some(format!(
            "article id {original:?} repeated: this one is coded as {:?}",
            article.id
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(data: &[u8]) -> Vec<Result<Article, InputError>> {
        let mut out = Vec::new();
        read_jsonl("in.jsonl", "in", data, &ReadOptions::default(), &mut |r| {
            out.push(r)
        });
        out
    }

    #[test]
    fn records_with_all_fields() {
        let out = read(
            br#"{"id":"a","text":"Peru met Chile.","date":"20261118","title":"T","url":"u","source":"s","config":{"require_dyad":"True"}}"#,
        );
        let a = out[0].as_ref().unwrap();
        assert_eq!(a.id, "a");
        assert_eq!(a.date.as_deref(), Some("2026-11-18"));
        assert_eq!(a.title.as_deref(), Some("T"));
        assert_eq!(a.options.require_dyad, Some(true));
    }

    #[test]
    fn each_bad_line_is_named_and_the_rest_is_read() {
        let data = b"{\"id\":\"a\",\"text\":\"ok\"}\n{\"id\":\"b\"\n\n{\"id\":\"c\"}\n\xff\xfe\n{\"id\":\"d\",\"text\":\"x\",\"date\":\"2026-13-01\"}\n{\"id\":\"e\",\"text\":\"fine\"}\n";
        let out = read(data);
        let errors: Vec<String> = out
            .iter()
            .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
            .collect();
        assert_eq!(errors.len(), 4);
        assert!(
            errors[0].starts_with("in.jsonl:2: malformed JSON:"),
            "{}",
            errors[0]
        );
        assert_eq!(errors[1], "in.jsonl:4: missing field `text`");
        assert_eq!(errors[2], "in.jsonl:5: invalid UTF-8 at byte 0");
        assert_eq!(errors[3], "in.jsonl:6: date \"2026-13-01\" does not exist");
        let ids: Vec<&str> = out
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(ids, ["a", "e"]);
    }

    #[test]
    fn default_date_fills_only_missing_dates() {
        let opts = ReadOptions {
            default_date: Some("2026-01-02".into()),
        };
        let a = parse_record(r#"{"text":"x"}"#, "f", 3, &opts).unwrap();
        assert_eq!(
            (a.id.as_str(), a.date.as_deref()),
            ("f-3", Some("2026-01-02"))
        );
        let b = parse_record(r#"{"text":"x","date":"2025-05-05"}"#, "f", 4, &opts).unwrap();
        assert_eq!(b.date.as_deref(), Some("2025-05-05"));
    }

    #[test]
    fn a_byte_order_mark_at_a_line_start_is_not_part_of_the_record() {
        let out = read(b"\xef\xbb\xbf{\"id\":\"a\",\"text\":\"x\"}\n");
        assert_eq!(out[0].as_ref().unwrap().id, "a");
    }

    #[test]
    fn numeric_ids_are_kept_as_written() {
        let opts = ReadOptions::default();
        let a = parse_record(
            r#"{"id":123456789012345678901234567890,"text":"x"}"#,
            "f",
            1,
            &opts,
        );
        assert_eq!(a.unwrap().id, "123456789012345678901234567890");
        let b = parse_record(r#"{"text":"x","id":7}"#, "f", 1, &opts);
        assert_eq!(b.unwrap().id, "7");
    }

    #[test]
    fn repeated_ids_get_a_free_suffix_and_a_warning() {
        let mut ids = Ids::default();
        let mut names = Vec::new();
        for id in ["a", "a#2", "a", "b", "a"] {
            let mut article = Article::new(id, "x");
            let warned = ids.admit(&mut article).is_some();
            names.push((article.id, warned));
        }
        let expected = [
            ("a", false),
            ("a#2", false),
            ("a#3", true),
            ("b", false),
            ("a#4", true),
        ];
        let expected: Vec<(String, bool)> =
            expected.iter().map(|&(n, w)| (n.to_string(), w)).collect();
        assert_eq!(names, expected);
    }

    #[cfg(unix)]
    mod walk {
        use super::super::*;
        use std::os::unix::fs::symlink;

        fn tree() -> tempfile::TempDir {
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir(dir.path().join("sub")).unwrap();
            std::fs::write(dir.path().join("a.txt"), "Peru met Chile.").unwrap();
            std::fs::write(dir.path().join("sub/b.txt"), "Chile met Peru.").unwrap();
            dir
        }

        fn names(files: &[PathBuf], root: &Path) -> Vec<String> {
            files
                .iter()
                .map(|f| f.strip_prefix(root).unwrap().display().to_string())
                .collect()
        }

        #[test]
        fn a_link_back_to_the_parent_is_walked_once() {
            let dir = tree();
            symlink("..", dir.path().join("sub/loop")).unwrap();
            let (files, skipped) = expand(&[dir.path().to_path_buf()]);
            assert_eq!(names(&files, dir.path()), ["a.txt", "sub/b.txt"]);
            assert_eq!(skipped.len(), 1);
            assert!(skipped[0]
                .to_string()
                .ends_with("sub/loop (already read through another path)"));
        }

        #[test]
        fn two_links_to_the_same_directory_do_not_grow_the_walk() {
            let dir = tree();
            symlink(".", dir.path().join("x")).unwrap();
            symlink(".", dir.path().join("y")).unwrap();
            symlink("a.txt", dir.path().join("z.txt")).unwrap();
            let (files, skipped) = expand(&[dir.path().to_path_buf()]);
            assert_eq!(names(&files, dir.path()), ["a.txt", "sub/b.txt"]);
            assert_eq!(skipped.len(), 3, "{skipped:?}");
        }

        #[test]
        fn a_fifo_in_a_directory_is_skipped_not_opened() {
            let dir = tree();
            let fifo = dir.path().join("x.txt");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if !made.is_ok_and(|s| s.success()) {
                return; // no mkfifo on this system
            }
            let (files, skipped) = expand(&[dir.path().to_path_buf()]);
            assert_eq!(names(&files, dir.path()), ["a.txt", "sub/b.txt"]);
            assert_eq!(
                skipped,
                [Skipped {
                    path: fifo,
                    reason: "not a regular file"
                }]
            );
        }

        #[test]
        fn streams_named_on_the_command_line_are_read_as_jsonl() {
            assert!(is_stream(Path::new("/dev/stdin")));
            assert!(is_stream(Path::new("/dev/fd/63")));
            assert!(!is_stream(Path::new("Cargo.toml")));
            let (files, skipped) = expand(&[PathBuf::from("/dev/stdin")]);
            assert_eq!((files.len(), skipped.len()), (1, 0));
        }
    }
}
