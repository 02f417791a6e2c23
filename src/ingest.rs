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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

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
    Skipped,
}

impl InputStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InputStatus::Processed => "processed",
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
    pub articles: Vec<Article>,
    pub inputs: Vec<InputRecord>,
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

/// Reads every article under `paths`. Only a path that does not exist at all is an
/// error; anything wrong with a file inside becomes a skipped `InputRecord`.
pub fn ingest(paths: &[PathBuf], config: &InputConfig) -> anyhow::Result<Ingested> {
    let mut ingested = Ingested::default();
    let mut seen_keys: HashMap<String, String> = HashMap::new();
    for root in paths {
        let metadata = fs::metadata(root)
            .map_err(|e| anyhow::anyhow!("cannot read input {}: {e}", root.display()))?;
        let base = if metadata.is_dir() {
            root.clone()
        } else {
            root.parent().unwrap_or(Path::new("")).to_path_buf()
        };
        let mut manifests: BTreeMap<PathBuf, Result<Manifest, String>> = BTreeMap::new();
        let walker = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err
                        .path()
                        .map_or_else(|| root.display().to_string(), |p| p.display().to_string());
                    let reason = if err.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else {
                        err.io_error()
                            .map_or_else(|| err.to_string(), |e| e.to_string())
                    };
                    ingested.skip(path, reason);
                    continue;
                }
            };
            if entry.file_type().is_dir() {
                continue;
            }
            let path = entry.path();
            let shown = path.display().to_string();
            let relative = relative_key(path, &base);
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
                        ingested.record(shown, InputStatus::Processed, note);
                    }
                    Err(reason) => ingested.skip(shown, format!("unreadable manifest: {reason}")),
                }
                continue;
            }
            match extension.as_deref() {
                Some("txt") => {
                    read_text_article(
                        path,
                        &relative,
                        &base,
                        manifest.as_ref().ok(),
                        config,
                        &mut ingested,
                        &mut seen_keys,
                    );
                }
                Some("jsonl") => {
                    read_jsonl(path, &relative, config, &mut ingested, &mut seen_keys);
                }
                _ => ingested.skip(shown, "unsupported file type (expected .txt or .jsonl)"),
            }
        }
    }
    Ok(ingested)
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

/// Reads a file as text: UTF-8, or UTF-16 with a byte-order mark, or (failing both)
/// Windows-1252, the usual encoding of mislabelled Western news pages. Returns the text
/// and a note when it was not plain UTF-8.
fn decode(bytes: &[u8]) -> Result<(String, Option<String>), String> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
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
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_string(), None)),
        Err(err) => {
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

fn read_bounded(path: &Path, config: &InputConfig) -> Result<Vec<u8>, String> {
    let size = fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > config.max_file_bytes {
        return Err(format!(
            "file is {size} bytes, over input.max_file_bytes = {}",
            config.max_file_bytes
        ));
    }
    fs::read(path).map_err(|e| e.to_string())
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

#[allow(clippy::too_many_arguments)]
fn read_text_article(
    path: &Path,
    relative: &str,
    base: &Path,
    manifest: Option<&Manifest>,
    config: &InputConfig,
    ingested: &mut Ingested,
    seen_keys: &mut HashMap<String, String>,
) {
    let shown = path.display().to_string();
    let text = match read_bounded(path, config).and_then(|bytes| decode(&bytes)) {
        Ok(text) => text,
        Err(reason) => return ingested.skip(shown, reason),
    };
    let (text, note) = text;
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
    admit(article, shown, note, config, ingested, seen_keys);
}

/// Adds an article after the checks every source shares: empty text, duplicate keys.
fn admit(
    mut article: Article,
    shown: String,
    note: Option<String>,
    config: &InputConfig,
    ingested: &mut Ingested,
    seen_keys: &mut HashMap<String, String>,
) {
    let chars = article.text.trim().chars().count();
    if chars == 0 {
        return ingested.skip(shown, "empty (no text)");
    }
    if chars < config.min_article_chars {
        return ingested.skip(
            shown,
            format!(
                "only {chars} characters of text, under input.min_article_chars = {}",
                config.min_article_chars
            ),
        );
    }
    if article.outlet.trim().is_empty() {
        return ingested.skip(shown, "no outlet");
    }
    if let Some(first) = seen_keys.get(&article.key) {
        let reason = format!(
            "duplicate article id {:?} (first seen in {first})",
            article.key
        );
        return ingested.skip(shown, reason);
    }
    seen_keys.insert(article.key.clone(), shown.clone());
    let index = ingested.record(shown, InputStatus::Processed, note.unwrap_or_default());
    ingested.inputs[index].articles = 1;
    article.input = index;
    ingested.articles.push(article);
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

fn read_jsonl(
    path: &Path,
    relative: &str,
    config: &InputConfig,
    ingested: &mut Ingested,
    seen_keys: &mut HashMap<String, String>,
) {
    let shown = path.display().to_string();
    let (text, note) = match read_bounded(path, config).and_then(|bytes| decode(&bytes)) {
        Ok(decoded) => decoded,
        Err(reason) => return ingested.skip(shown, reason),
    };
    let file_record = ingested.record(
        shown.clone(),
        InputStatus::Processed,
        note.unwrap_or_default(),
    );
    let mut articles = 0;
    let mut lines_skipped = 0;
    let mut ids_in_file = HashSet::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        let line_path = format!("{shown}:{line_no}");
        if line.trim().is_empty() {
            continue;
        }
        let parsed: JsonArticle = match serde_json::from_str(line) {
            Ok(parsed) => parsed,
            Err(err) => {
                lines_skipped += 1;
                ingested.skip(line_path, format!("malformed JSON: {err}"));
                continue;
            }
        };
        let Some(body) = parsed.text else {
            lines_skipped += 1;
            ingested.skip(line_path, "no `text` or `body` field");
            continue;
        };
        let Some(outlet) = parsed.outlet else {
            lines_skipped += 1;
            ingested.skip(line_path, "no `outlet` or `source` field");
            continue;
        };
        let key = match parsed.id {
            Some(serde_json::Value::String(id)) if !id.trim().is_empty() => id,
            Some(serde_json::Value::Number(id)) => id.to_string(),
            _ => format!("{relative}:{line_no}"),
        };
        ids_in_file.insert(key.clone());
        let before = ingested.articles.len();
        let article = Article {
            key,
            outlet: outlet.trim().to_string(),
            title: parsed.title,
            url: parsed.url,
            published: parsed.published,
            text: body,
            input: file_record,
        };
        admit(article, line_path, None, config, ingested, seen_keys);
        if ingested.articles.len() > before {
            // The line's own record is folded into the file's: a processed line needs
            // no row of its own, only skipped ones do.
            ingested.inputs.pop();
            let last = ingested.articles.len() - 1;
            ingested.articles[last].input = file_record;
            articles += 1;
        } else {
            lines_skipped += 1;
        }
    }
    let record = &mut ingested.inputs[file_record];
    record.articles = articles;
    if articles == 0 {
        record.status = InputStatus::Skipped;
        record.reason = "no usable JSONL lines".into();
    } else if lines_skipped > 0 {
        let note = format!("{lines_skipped} lines skipped (see rows below)");
        record.reason = if record.reason.is_empty() {
            note
        } else {
            format!("{}; {note}", record.reason)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let got = ingest(&[dir.path().to_path_buf()], &config()).unwrap();
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
        let got = ingest(&[dir.path().to_path_buf()], &config()).unwrap();
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
        let got = ingest(&[dir.path().to_path_buf()], &config()).unwrap();
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
        let got = ingest(&[dir.path().to_path_buf()], &config()).unwrap();
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
        let err = ingest(&[PathBuf::from("/no/such/dir")], &config()).unwrap_err();
        assert!(err.to_string().contains("/no/such/dir"));
    }
}
