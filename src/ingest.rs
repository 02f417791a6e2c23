//! Stage 0: find articles on disk and account for every input.
//!
//! Paths are walked recursively in sorted order. `.txt` files are one article each;
//! `.jsonl` files hold one article per line. Every file, and every JSONL line that is
//! not an article, gets an `InputRecord`: a nightly batch over messy crawls must be
//! able to say what happened to each input, never drop one silently.
//!
//! Outlet precedence for `.txt` files: a `manifest.csv` in the same directory naming
//! the file; else the parent directory when the file sits in a subdirectory of the
//! input root (`root/outlet/article.txt`); else the file stem.
//!
//! A `Window` (`--since`, `--until`) keeps only articles published inside it. An
//! article outside it is `excluded`, which is no fault of the input; one without a
//! readable date cannot be placed, so it is `skipped` with the reason, like any input
//! the run could not use.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Deserialize;
use walkdir::WalkDir;

use crate::config::InputConfig;

/// One article ready for tokenizing.
#[derive(Debug, Clone)]
pub struct Article {
    /// The `article` column: the JSONL id, or the path relative to the input root
    /// (plus `:LINE` for JSONL lines without an id).
    pub key: String,
    pub outlet: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub text: String,
    /// Index of the `InputRecord` this article came from.
    pub input: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputStatus {
    Processed,
    /// Every article in it was published outside the `--since`/`--until` window.
    Excluded,
    Skipped,
}

impl InputStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InputStatus::Processed => "processed",
            InputStatus::Excluded => "excluded",
            InputStatus::Skipped => "skipped",
        }
    }
}

/// One row of `inputs.csv`.
#[derive(Debug, Clone)]
pub struct InputRecord {
    /// Path as given on the command line joined with the walked path; `:LINE` for a
    /// JSONL line.
    pub path: String,
    pub status: InputStatus,
    /// Why it was skipped, or a note on how it was read (a decoded encoding, a
    /// manifest's size); empty when there is nothing to say.
    pub reason: String,
    pub articles: usize,
}

#[derive(Debug, Default)]
pub struct Ingested {
    pub inputs: Vec<InputRecord>,
    /// Articles left out because they were published outside the window.
    pub excluded_articles: usize,
}

impl Ingested {
    fn record(&mut self, path: String, status: InputStatus, reason: impl Into<String>) -> usize {
        self.inputs.push(InputRecord {
            path,
            status,
            reason: reason.into(),
            articles: 0,
        });
        self.inputs.len() - 1
    }

    fn skip(&mut self, path: String, reason: impl Into<String>) {
        self.record(path, InputStatus::Skipped, reason);
    }
}

/// The publication dates a run scores (`--since`, `--until`), both ends inclusive; no
/// bound on either side when absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

/// Why an otherwise good article is left out.
enum Refusal {
    Skip(String),
    Exclude(String),
}

impl Window {
    pub fn is_unbounded(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    fn check(&self, published: Option<&str>) -> Result<(), Refusal> {
        if self.is_unbounded() {
            return Ok(());
        }
        let published = published.map(str::trim).unwrap_or_default();
        if published.is_empty() {
            return Err(Refusal::Skip(format!(
                "no published date, so it cannot be placed in {self}"
            )));
        }
        let Some(date) = published_date(published) else {
            return Err(Refusal::Skip(format!(
                "published date {published:?} is not a date (expected YYYY-MM-DD, \
                 RFC 3339 or RFC 2822), so it cannot be placed in {self}"
            )));
        };
        let early = self.since.is_some_and(|since| date < since);
        let late = self.until.is_some_and(|until| date > until);
        if early || late {
            return Err(Refusal::Exclude(format!(
                "published {date}, outside {self}"
            )));
        }
        Ok(())
    }
}

impl std::fmt::Display for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.since, self.until) {
            (Some(since), Some(until)) => write!(f, "--since {since} --until {until}"),
            (Some(since), None) => write!(f, "--since {since}"),
            (None, Some(until)) => write!(f, "--until {until}"),
            (None, None) => f.write_str("no window"),
        }
    }
}

/// The calendar date of a `published` value as written (in its own time zone):
/// `2026-03-03`, `2026-03-03T08:15:00+02:00`, `2026-03-03 08:15`, or RFC 2822
/// (`Tue, 3 Mar 2026 08:15:00 +0200`).
pub fn published_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let (head, rest) = text.split_at(text.len().min(10));
    if rest.is_empty() || rest.starts_with(['T', 't', ' ']) {
        if let Ok(date) = NaiveDate::parse_from_str(head, "%Y-%m-%d") {
            return Some(date);
        }
    }
    chrono::DateTime::parse_from_rfc2822(text)
        .ok()
        .map(|d| d.date_naive())
}

/// Reads every article under `paths` published inside `window`, handing each one to
/// `sink` in walk order rather than keeping it, so a run never holds every article's
/// text at once. Only a path that does not exist at all is an error; anything wrong
/// with a file inside becomes a skipped `InputRecord`.
pub fn ingest(
    paths: &[PathBuf],
    config: &InputConfig,
    window: &Window,
    sink: &mut dyn FnMut(Article),
) -> anyhow::Result<Ingested> {
    let mut reader = Reader {
        config,
        window,
        ingested: Ingested::default(),
        seen_keys: HashMap::new(),
        sink,
    };
    check_roots(paths)?;
    for root in paths {
        let base = if root.is_dir() {
            root.clone()
        } else {
            root.parent().unwrap_or(Path::new("")).to_path_buf()
        };
        reader.walk(root, &base);
    }
    Ok(reader.ingested)
}

/// Fails, naming it, on the first path that does not exist or cannot be reached: a
/// mistyped path is an error, not an empty input.
pub fn check_roots(paths: &[PathBuf]) -> anyhow::Result<()> {
    for root in paths {
        fs::metadata(root)
            .map_err(|e| anyhow::anyhow!("cannot read input {}: {e}", root.display()))?;
    }
    Ok(())
}

/// A walk in progress: what it has read, the article keys it has seen where, and
/// where admitted articles go.
struct Reader<'a> {
    config: &'a InputConfig,
    window: &'a Window,
    ingested: Ingested,
    seen_keys: HashMap<String, String>,
    sink: &'a mut dyn FnMut(Article),
}

impl Reader<'_> {
    fn walk(&mut self, root: &Path, base: &Path) {
        let mut manifests: BTreeMap<PathBuf, Result<Manifest, String>> = BTreeMap::new();
        let entries: Vec<walkdir::Result<walkdir::DirEntry>> = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .collect();
        let limit = self.config.max_article_bytes;
        for stretch in entries.chunks(READ_AHEAD) {
            // The stretch's article files are read and decoded in parallel, then taken
            // in walk order below: one file after another, reading was a serial stretch
            // of every run, and a long one on a cold disk.
            let texts: Vec<Option<Decoded>> = stretch
                .par_iter()
                .map(|entry| {
                    let entry = entry.as_ref().ok()?;
                    let is_text = entry.file_type().is_file()
                        && entry
                            .path()
                            .extension()
                            .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
                    is_text.then(|| {
                        read_bounded(entry.path(), limit, "input.max_article_bytes")
                            .and_then(decode)
                    })
                })
                .collect();
            for (entry, text) in stretch.iter().zip(texts) {
                self.take(entry, text, root, base, &mut manifests);
            }
        }
    }

    /// One entry of the walk, in order; `text` is its contents exactly when it is a
    /// `.txt` article file (`walk` decides that, and reads it ahead).
    fn take(
        &mut self,
        entry: &walkdir::Result<walkdir::DirEntry>,
        text: Option<Decoded>,
        root: &Path,
        base: &Path,
        manifests: &mut BTreeMap<PathBuf, Result<Manifest, String>>,
    ) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map_or_else(|| root.display().to_string(), |p| p.display().to_string());
                let reason = match (err.loop_ancestor(), err.io_error()) {
                    (Some(ancestor), _) => {
                        format!("symbolic link loop (leads back to {})", ancestor.display())
                    }
                    (None, Some(io)) => format!("cannot read: {io}"),
                    (None, None) => err.to_string(),
                };
                self.ingested.skip(path, reason);
                return;
            }
        };
        let kind = entry.file_type();
        if kind.is_dir() {
            return;
        }
        let path = entry.path();
        let shown = path.display().to_string();
        if !kind.is_file() {
            // Reading a named pipe would wait forever, and a device is no article.
            self.ingested.skip(shown, "not a regular file");
            return;
        }
        let relative = relative_key(path, base);
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let manifest = manifests
            .entry(dir.clone())
            .or_insert_with(|| Manifest::read(&dir));
        if file_name == "manifest.csv" {
            match manifest {
                Ok(m) => {
                    let note = format!("manifest for {} files", m.rows.len());
                    self.ingested.record(shown, InputStatus::Processed, note);
                }
                Err(reason) => self
                    .ingested
                    .skip(shown, format!("unreadable manifest: {reason}")),
            }
            return;
        }
        match (text, extension.as_deref()) {
            (Some(text), _) => {
                self.read_text_article(path, text, &relative, base, manifest.as_ref().ok())
            }
            (None, Some("jsonl")) => self.read_jsonl(path, &relative),
            _ => self
                .ingested
                .skip(shown, "unsupported file type (expected .txt or .jsonl)"),
        }
    }

    fn read_text_article(
        &mut self,
        path: &Path,
        read: Decoded,
        relative: &str,
        base: &Path,
        manifest: Option<&Manifest>,
    ) {
        let shown = path.display().to_string();
        let (text, note) = match read {
            Ok(decoded) => decoded,
            Err(reason) => return self.ingested.skip(shown, reason),
        };
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let manifest_row = manifest.and_then(|m| m.rows.get(file_name));
        let outlet = match manifest_row {
            Some(row) => row.outlet.trim().to_string(),
            None => {
                let parent = path.parent().unwrap_or(Path::new(""));
                let nested = parent != base && parent.starts_with(base);
                if nested {
                    parent
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                } else {
                    path.file_stem()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                }
            }
        };
        let (headline, body) = split_headline(&text);
        let title = manifest_row.and_then(|r| r.title.clone()).or(headline);
        let article = Article {
            key: relative.to_string(),
            outlet,
            title,
            url: manifest_row.and_then(|r| r.url.clone()),
            published: manifest_row.and_then(|r| r.published.clone()),
            text: body.to_string(),
            input: 0,
        };
        match self.admit(&article, &shown) {
            Ok(()) => {
                let index =
                    self.ingested
                        .record(shown, InputStatus::Processed, note.unwrap_or_default());
                self.accept(article, index);
            }
            Err(Refusal::Skip(reason)) => self.ingested.skip(shown, reason),
            Err(Refusal::Exclude(reason)) => {
                self.ingested.excluded_articles += 1;
                self.ingested.record(shown, InputStatus::Excluded, reason);
            }
        }
    }

    /// The checks every source shares: empty text, no outlet, a duplicate key, the
    /// window. An article that passes is remembered under its key, at `shown`.
    fn admit(&mut self, article: &Article, shown: &str) -> Result<(), Refusal> {
        let chars = article.text.trim().chars().count();
        if chars == 0 {
            return Err(Refusal::Skip("empty (no text)".into()));
        }
        if chars < self.config.min_article_chars {
            return Err(Refusal::Skip(format!(
                "only {chars} characters of text, under input.min_article_chars = {}",
                self.config.min_article_chars
            )));
        }
        if article.text.len() as u64 > self.config.max_article_bytes {
            return Err(Refusal::Skip(format!(
                "text is {} bytes, over input.max_article_bytes = {}",
                article.text.len(),
                self.config.max_article_bytes
            )));
        }
        if article.outlet.trim().is_empty() {
            return Err(Refusal::Skip("no outlet".into()));
        }
        if let Some(first) = self.seen_keys.get(&article.key) {
            return Err(Refusal::Skip(format!(
                "duplicate article id {:?} (first seen in {first})",
                article.key
            )));
        }
        // Checked after the key is taken, so whether a later copy of an article is a
        // duplicate does not depend on the window.
        self.seen_keys
            .insert(article.key.clone(), shown.to_string());
        self.window.check(article.published.as_deref())
    }

    fn accept(&mut self, mut article: Article, input: usize) {
        article.input = input;
        self.ingested.inputs[input].articles += 1;
        (self.sink)(article);
    }

    fn read_jsonl(&mut self, path: &Path, relative: &str) {
        let shown = path.display().to_string();
        let read = read_bounded(path, self.config.max_file_bytes, "input.max_file_bytes");
        let (text, note) = match read.and_then(decode) {
            Ok(decoded) => decoded,
            Err(reason) => return self.ingested.skip(shown, reason),
        };
        let file_record = self.ingested.record(
            shown.clone(),
            InputStatus::Processed,
            note.unwrap_or_default(),
        );
        let mut lines_skipped = 0;
        let mut lines_excluded = 0;
        for (index, line) in text.lines().enumerate() {
            let line_no = index + 1;
            let line_path = format!("{shown}:{line_no}");
            if line.trim().is_empty() {
                continue;
            }
            let article = match parse_jsonl_line(line, relative, line_no) {
                Ok(article) => article,
                Err(reason) => {
                    lines_skipped += 1;
                    self.ingested.skip(line_path, reason);
                    continue;
                }
            };
            // A good line needs no row of its own: it is counted in the file's.
            match self.admit(&article, &line_path) {
                Ok(()) => self.accept(article, file_record),
                Err(Refusal::Skip(reason)) => {
                    lines_skipped += 1;
                    self.ingested.skip(line_path, reason);
                }
                Err(Refusal::Exclude(_)) => lines_excluded += 1,
            }
        }
        self.ingested.excluded_articles += lines_excluded;
        let mut notes = Vec::new();
        if lines_excluded > 0 {
            notes.push(format!(
                "{lines_excluded} articles published outside {}",
                self.window
            ));
        }
        if lines_skipped > 0 {
            notes.push(format!("{lines_skipped} lines skipped (see rows below)"));
        }
        let record = &mut self.ingested.inputs[file_record];
        if record.articles == 0 {
            record.status = if lines_skipped == 0 && lines_excluded > 0 {
                InputStatus::Excluded
            } else {
                notes.insert(0, "no usable JSONL lines".into());
                InputStatus::Skipped
            };
            record.reason.clear();
        }
        if !notes.is_empty() {
            let notes = notes.join("; ");
            record.reason = if record.reason.is_empty() {
                notes
            } else {
                format!("{}; {notes}", record.reason)
            };
        }
    }
}

/// `dir/manifest.csv`: `file,outlet` plus optional `url,published,title`.
#[derive(Debug, Clone)]
struct Manifest {
    rows: HashMap<String, ManifestRow>,
}

#[derive(Debug, Clone, Deserialize)]
struct ManifestRow {
    file: String,
    outlet: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    title: Option<String>,
}

impl Manifest {
    fn read(dir: &Path) -> Result<Manifest, String> {
        let path = dir.join("manifest.csv");
        let mut reader = csv::Reader::from_path(&path).map_err(|e| e.to_string())?;
        let mut rows = HashMap::new();
        for (index, row) in reader.deserialize::<ManifestRow>().enumerate() {
            let row = row.map_err(|e| format!("manifest row {}: {e}", index + 2))?;
            rows.insert(row.file.trim().to_string(), row);
        }
        Ok(Manifest { rows })
    }
}

fn relative_key(path: &Path, base: &Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A file's text and a note on its encoding, or why it is not text.
type Decoded = Result<(String, Option<String>), String>;

/// Stretch of walk entries whose article files are read ahead in parallel: enough to
/// keep every core reading, few enough that the texts waiting are a few megabytes.
const READ_AHEAD: usize = 256;

/// Reads a file as text: UTF-8, or UTF-16 with a byte-order mark, or (failing both)
/// Windows-1252, the usual encoding of mislabelled Western news pages. Returns the text
/// and a note when it was not plain UTF-8.
fn decode(bytes: Vec<u8>) -> Decoded {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(&bytes) {
        let (text, had_errors) = encoding.decode_with_bom_removal(&bytes);
        let note = format!("decoded from {} (byte-order mark)", encoding.name());
        return if had_errors {
            Err(format!("invalid {} text", encoding.name()))
        } else {
            Ok((
                text.into_owned(),
                (encoding != encoding_rs::UTF_8).then_some(note),
            ))
        };
    }
    let sniff = &bytes[..bytes.len().min(8192)];
    if sniff.contains(&0) {
        return Err("binary file (contains NUL bytes)".into());
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, None)),
        Err(err) => {
            let (bytes, err) = (err.as_bytes(), err.utf8_error());
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            let controls = text
                .chars()
                .filter(|c| c.is_control() && !c.is_whitespace())
                .count();
            if controls * 20 > text.chars().count().max(1) {
                return Err("binary file (mostly control characters)".into());
            }
            Ok((
                text.into_owned(),
                Some(format!(
                    "not valid UTF-8 (first bad byte at offset {}); decoded as windows-1252",
                    err.valid_up_to()
                )),
            ))
        }
    }
}

/// The file's bytes, unless it is over `limit`, the value of the config key `key`
/// (checked before reading, so an oversized file costs nothing).
fn read_bounded(path: &Path, limit: u64, key: &str) -> Result<Vec<u8>, String> {
    let cannot = |e: std::io::Error| format!("cannot read: {e}");
    let size = fs::metadata(path).map_err(cannot)?.len();
    if size > limit {
        return Err(format!("file is {size} bytes, over {key} = {limit}"));
    }
    fs::read(path).map_err(cannot)
}

/// A first line without final punctuation, followed by a blank line, is a headline.
fn split_headline(text: &str) -> (Option<String>, &str) {
    let trimmed = text.trim_start();
    if let Some((first, rest)) = trimmed.split_once('\n') {
        let first = first.trim();
        let blank_follows = rest.trim_start_matches([' ', '\t', '\r']).starts_with('\n');
        let ends_like_prose = first.ends_with(['.', '!', '?', '"', '”', ':']);
        if blank_follows && !ends_like_prose && first.split_whitespace().count() <= 25 {
            return (Some(first.to_string()), rest);
        }
    }
    (None, text)
}

/// One JSONL line. `text`/`body` and `outlet`/`source` are aliases, as crawlers differ.
#[derive(Debug, Deserialize)]
struct JsonArticle {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default, alias = "body")]
    text: Option<String>,
    #[serde(default, alias = "source")]
    outlet: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    published: Option<String>,
}

/// The article on one JSONL line, or why there is none.
fn parse_jsonl_line(line: &str, relative: &str, line_no: usize) -> Result<Article, String> {
    let parsed: JsonArticle =
        serde_json::from_str(line).map_err(|err| format!("malformed JSON: {err}"))?;
    let text = parsed.text.ok_or("no `text` or `body` field")?;
    let outlet = parsed.outlet.ok_or("no `outlet` or `source` field")?;
    let key = match parsed.id {
        Some(serde_json::Value::String(id)) if !id.trim().is_empty() => id,
        Some(serde_json::Value::Number(id)) => id.to_string(),
        _ => format!("{relative}:{line_no}"),
    };
    Ok(Article {
        key,
        outlet: outlet.trim().to_string(),
        title: parsed.title,
        url: parsed.url,
        published: parsed.published,
        text,
        input: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a walk read, with the articles it handed over.
    #[derive(Debug)]
    struct Read {
        articles: Vec<Article>,
        inputs: Vec<InputRecord>,
    }

    fn ingest(paths: &[PathBuf], config: &InputConfig, window: &Window) -> anyhow::Result<Read> {
        let mut articles = Vec::new();
        let ingested = super::ingest(paths, config, window, &mut |a| articles.push(a))?;
        Ok(Read {
            articles,
            inputs: ingested.inputs,
        })
    }

    fn config() -> InputConfig {
        crate::config::Config::builtin().input
    }

    fn write(dir: &Path, name: &str, contents: &[u8]) {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    const BODY: &str =
        "The Alder River Bridge in Marston was closed on Monday after inspectors found cracks.";

    #[test]
    fn outlet_precedence_manifest_then_directory_then_stem() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ledger/a.txt", BODY.as_bytes());
        write(
            dir.path(),
            "ledger/manifest.csv",
            b"file,outlet,url\na.txt,\"Ledger, The\",https://x\n",
        );
        write(dir.path(), "post/b.txt", BODY.as_bytes());
        write(dir.path(), "loose.txt", BODY.as_bytes());
        let got = ingest(&[dir.path().to_path_buf()], &config(), &Window::default()).unwrap();
        let outlets: Vec<(&str, &str)> = got
            .articles
            .iter()
            .map(|a| (a.key.as_str(), a.outlet.as_str()))
            .collect();
        assert_eq!(
            outlets,
            vec![
                ("ledger/a.txt", "Ledger, The"),
                ("loose.txt", "loose"),
                ("post/b.txt", "post")
            ]
        );
        assert_eq!(got.articles[0].url.as_deref(), Some("https://x"));
        assert_eq!(got.inputs.len(), 4, "the manifest is accounted for too");
    }

    #[test]
    fn bad_files_are_skipped_with_reasons() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "o/binary.txt", b"\x00\x01\x02\x03garbage");
        write(dir.path(), "o/empty.txt", b"   \n\n");
        write(dir.path(), "o/image.png", b"png");
        write(dir.path(), "o/good.txt", BODY.as_bytes());
        let got = ingest(&[dir.path().to_path_buf()], &config(), &Window::default()).unwrap();
        let reasons: Vec<(String, InputStatus, String)> = got
            .inputs
            .iter()
            .map(|r| {
                (
                    relative_key(Path::new(&r.path), dir.path()),
                    r.status,
                    r.reason.clone(),
                )
            })
            .collect();
        assert_eq!(
            reasons[0],
            (
                "o/binary.txt".into(),
                InputStatus::Skipped,
                "binary file (contains NUL bytes)".into()
            )
        );
        assert_eq!(
            reasons[1],
            (
                "o/empty.txt".into(),
                InputStatus::Skipped,
                "empty (no text)".into()
            )
        );
        assert_eq!(
            reasons[2],
            ("o/good.txt".into(), InputStatus::Processed, String::new())
        );
        assert_eq!(reasons[3].1, InputStatus::Skipped);
        assert_eq!(got.articles.len(), 1);
    }

    #[test]
    fn latin1_is_decoded_and_flagged() {
        let dir = tempfile::tempdir().unwrap();
        let mut latin1 =
            b"Jos\xe9 N\xfa\xf1ez voted against the Kesterfield budget on Tuesday night.".to_vec();
        latin1.push(b'\n');
        write(dir.path(), "o/latin.txt", &latin1);
        let got = ingest(&[dir.path().to_path_buf()], &config(), &Window::default()).unwrap();
        assert!(got.articles[0].text.starts_with("José Núñez"));
        assert!(
            got.inputs[0].reason.contains("windows-1252"),
            "{}",
            got.inputs[0].reason
        );
        assert_eq!(got.inputs[0].status, InputStatus::Processed);
    }

    #[test]
    fn jsonl_lines_are_accounted_for() {
        let dir = tempfile::tempdir().unwrap();
        let good = serde_json::json!({"id": "a1", "outlet": "Wire", "text": BODY}).to_string();
        let no_id = serde_json::json!({"source": "Radio", "body": BODY}).to_string();
        let no_text = serde_json::json!({"outlet": "Radio"}).to_string();
        let duplicate =
            serde_json::json!({"id": "a1", "outlet": "Other", "text": BODY}).to_string();
        let feed = format!("{good}\n{{not json\n{no_id}\n{no_text}\n{duplicate}\n");
        write(dir.path(), "feed.jsonl", feed.as_bytes());
        let got = ingest(&[dir.path().to_path_buf()], &config(), &Window::default()).unwrap();
        let keys: Vec<&str> = got.articles.iter().map(|a| a.key.as_str()).collect();
        assert_eq!(keys, vec!["a1", "feed.jsonl:3"]);
        let rows: Vec<(String, &str)> = got
            .inputs
            .iter()
            .map(|r| {
                (
                    r.path.rsplit('/').next().unwrap().to_string(),
                    r.status.as_str(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                ("feed.jsonl".into(), "processed"),
                ("feed.jsonl:2".into(), "skipped"),
                ("feed.jsonl:4".into(), "skipped"),
                ("feed.jsonl:5".into(), "skipped"),
            ]
        );
        assert!(got.inputs[1].reason.starts_with("malformed JSON"));
        assert!(got.inputs[3].reason.contains("duplicate article id"));
        assert_eq!(got.inputs[0].articles, 2);
    }

    #[test]
    fn headline_is_split_from_body() {
        let (title, body) =
            split_headline("Bridge closed after cracks found\n\nThe bridge closed.");
        assert_eq!(title.as_deref(), Some("Bridge closed after cracks found"));
        assert_eq!(body.trim(), "The bridge closed.");
        let (title, _) = split_headline("The bridge closed on Monday.\n\nMore text.");
        assert_eq!(title, None);
    }

    #[test]
    fn missing_input_path_is_an_error() {
        let err = ingest(
            &[PathBuf::from("/no/such/dir")],
            &config(),
            &Window::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("/no/such/dir"));
    }
}
