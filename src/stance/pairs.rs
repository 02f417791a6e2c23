//! The CSV behind `credence stance`: (claim, article) rows in, the same rows out with
//! columns appended.
//!
//! Only `claim` and `text` are read; every other column is passed through untouched, in
//! order. A row that cannot be read (a field count that does not match the header,
//! invalid UTF-8, an empty claim or text) is skipped and named by line.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::facts::SkippedRow;

/// A pairs file as read.
#[derive(Debug, Clone, Default)]
pub struct PairsInput {
    pub path: PathBuf,
    pub header: Vec<String>,
    pub rows: Vec<PairRow>,
    pub skipped: Vec<SkippedRow>,
}

#[derive(Debug, Clone)]
pub struct PairRow {
    pub line: u64,
    /// Every field of the row, as in the file.
    pub fields: Vec<String>,
    pub claim: String,
    pub text: String,
}

pub fn read_pairs(path: &Path) -> anyhow::Result<PairsInput> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot read pairs file {}", path.display()))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(std::io::BufReader::new(file));
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(row) => row.with_context(|| format!("{}: line 1", path.display()))?,
        None => anyhow::bail!("{}: empty file, expected a header row", path.display()),
    };
    let header: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let text = String::from_utf8_lossy(field);
            let text = if i == 0 {
                text.trim_start_matches('\u{feff}')
            } else {
                &text
            };
            text.to_string()
        })
        .collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let required = |name: &str| {
        column(name).with_context(|| {
            format!(
                "{}: line 1: the header has no `{name}` column (need claim and text)",
                path.display()
            )
        })
    };
    let (claim, text) = (required("claim")?, required("text")?);
    if column("stance").is_some() {
        anyhow::bail!(
            "{}: line 1: the header already has a `stance` column; rename it so the output's is unambiguous",
            path.display()
        );
    }
    let mut input = PairsInput {
        path: path.to_path_buf(),
        header,
        ..PairsInput::default()
    };
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                input.skipped.push(SkippedRow {
                    line: err.position().map_or(0, |p| p.line()),
                    reason: format!("unreadable row: {err}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let row = (|| {
            if record.len() != input.header.len() {
                return Err(format!(
                    "{} fields, the header has {}",
                    record.len(),
                    input.header.len()
                ));
            }
            let fields = record
                .iter()
                .map(|f| String::from_utf8(f.to_vec()))
                .collect::<Result<Vec<String>, _>>()
                .map_err(|_| "not valid UTF-8".to_string())?;
            let (claim, text) = (fields[claim].trim(), fields[text].trim());
            if claim.is_empty() || text.is_empty() {
                return Err("empty claim or text".to_string());
            }
            Ok(PairRow {
                line,
                claim: claim.to_string(),
                text: text.to_string(),
                fields,
            })
        })();
        match row {
            Ok(row) => input.rows.push(row),
            Err(reason) => input.skipped.push(SkippedRow { line, reason }),
        }
    }
    Ok(input)
}

/// Writes the header and rows, each with `extra` columns appended, as CSV.
pub fn write_pairs<W: std::io::Write>(
    out: W,
    input: &PairsInput,
    extra_header: &[&str],
    extra: &[Vec<String>],
) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(
        input
            .header
            .iter()
            .map(String::as_str)
            .chain(extra_header.iter().copied()),
    )?;
    for (row, added) in input.rows.iter().zip(extra) {
        writer.write_record(row.fields.iter().chain(added))?;
    }
    writer.flush()?;
    Ok(())
}
