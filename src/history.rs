//! `<out>/history/outlets.csv`, the outlet scores of every run: one row per outlet per
//! run, for a spreadsheet to chart, for the trend charts of the HTML report, and for
//! `credence history OUTLET`.
//!
//! `credence run` appends to it (`appended`; `report::write_reports` publishes the
//! result with the reports, so a run adds its rows exactly when its reports appear).
//! People edit such files, and later versions may add columns, so only the header
//! matters: `run_date`, `outlet` and `score`, in any order, among any others; rows are
//! appended in the file's own column order. A missing file is normal (a first run); a
//! file without those columns is reported, not fatal, and so is a row whose score is
//! not a number from 0 to 1. A later row for the same outlet and date (a re-run)
//! replaces the earlier one in the charts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::report::uncell;

/// The columns `credence run` writes, in order, for a new file.
pub const COLUMNS: [&str; 10] = [
    "run_date",
    "outlet",
    "score",
    "score_low",
    "score_high",
    "articles",
    "claims",
    "checkable",
    "corroborated",
    "contradicted",
];

/// One outlet's row for one run, as text in `COLUMNS` order (already made safe for a
/// spreadsheet).
pub type Row = [String; COLUMNS.len()];

/// The history file with `rows` appended: `existing` (the file's bytes, `None` when
/// there is none) unchanged, then the rows in its column order, columns it has that
/// credence does not write left empty. A new file gets a header, after a byte-order mark
/// when `bom`. Fails, saying why, when the existing header lacks a needed column.
pub fn appended(existing: Option<&[u8]>, rows: &[Row], bom: bool) -> Result<Vec<u8>, String> {
    let existing = existing.filter(|bytes| !bytes.iter().all(u8::is_ascii_whitespace));
    let (mut out, order): (Vec<u8>, Vec<Option<usize>>) = match existing {
        None => {
            let mut out = if bom { UTF8_BOM.to_vec() } else { Vec::new() };
            out.extend_from_slice(COLUMNS.join(",").as_bytes());
            out.push(b'\n');
            (out, (0..COLUMNS.len()).map(Some).collect())
        }
        Some(bytes) => {
            let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
            let headers = reader
                .headers()
                .map_err(|err| format!("unreadable header: {err}"))?;
            let order: Vec<Option<usize>> = headers
                .iter()
                .map(|h| COLUMNS.iter().position(|c| *c == h.trim()))
                .collect();
            let missing: Vec<&str> = COLUMNS[..3]
                .iter()
                .enumerate()
                .filter(|(i, _)| !order.contains(&Some(*i)))
                .map(|(_, c)| *c)
                .collect();
            if !missing.is_empty() {
                return Err(format!(
                    "its header lacks the column{} {}",
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", ")
                ));
            }
            let mut out = bytes.to_vec();
            if !out.ends_with(b"\n") {
                out.push(b'\n');
            }
            (out, order)
        }
    };
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for row in rows {
        let record = order
            .iter()
            .map(|column| column.map_or("", |c| row[c].as_str()));
        writer.write_record(record).map_err(|err| err.to_string())?;
    }
    out.extend(writer.into_inner().map_err(|err| err.to_string())?);
    Ok(out)
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The rows of `outlet` (any case) in the history file at `path`, as CSV under the
/// file's header, in the file's order: what `credence history OUTLET` prints.
pub fn outlet_rows(path: &Path, outlet: &str) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).map_err(|err| {
        if err.kind() == std::io::ErrorKind::NotFound {
            anyhow::anyhow!(
                "no history at {} yet: `credence run` writes it",
                path.display()
            )
        } else {
            anyhow::anyhow!("cannot read {}: {err}", path.display())
        }
    })?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|err| anyhow::anyhow!("{}: unreadable header: {err}", path.display()))?
        .clone();
    let Some(outlet_at) = headers.iter().position(|h| h.trim() == "outlet") else {
        anyhow::bail!("{}: the header has no outlet column", path.display());
    };
    let wanted = outlet.to_lowercase();
    let mut names = BTreeSet::new();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&headers)?;
    let mut found = 0;
    for record in reader.records() {
        let record = record.map_err(|err| anyhow::anyhow!("{}: {err}", path.display()))?;
        let name = uncell(record.get(outlet_at).unwrap_or_default().trim());
        if name.to_lowercase() == wanted {
            writer.write_record(&record)?;
            found += 1;
        } else {
            names.insert(name.to_string());
        }
    }
    if found == 0 {
        let close = crate::explain::closest(outlet, names.iter().map(String::as_str));
        let hint = if close.is_empty() {
            String::new()
        } else {
            let close: Vec<String> = close.iter().map(|n| format!("`{n}`")).collect();
            format!("; did you mean {}?", close.join(" or "))
        };
        anyhow::bail!("no outlet `{outlet}` in {}{hint}", path.display());
    }
    Ok(String::from_utf8(writer.into_inner()?).expect("CSV of UTF-8 text"))
}

#[derive(Debug, Clone, PartialEq)]
pub enum History {
    /// No history file.
    Absent,
    /// There is a file, but it cannot be charted; says why.
    Unreadable(String),
    Series(Series),
}

/// Scores by outlet and run.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Every run date, ascending (ISO dates sort as text).
    pub dates: Vec<String>,
    /// Per outlet, by name: its score on each of `dates`, if that run rated it.
    pub outlets: BTreeMap<String, Vec<Option<f64>>>,
    /// Rows left out: no date or outlet, or a score that is not a number from 0 to 1.
    pub skipped_rows: usize,
}

/// The history file's bytes, `None` when no run has written it yet, or why it cannot
/// be read.
pub fn read(path: &Path) -> Result<Option<Vec<u8>>, String> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(format!("cannot read {}: {err}", path.display())),
    }
}

/// The history as `read` found it.
pub fn load(read: &Result<Option<Vec<u8>>, String>) -> History {
    match read {
        Ok(Some(bytes)) => parse(bytes),
        Ok(None) => History::Absent,
        Err(reason) => History::Unreadable(reason.clone()),
    }
}

pub fn parse(bytes: &[u8]) -> History {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(err) => return History::Unreadable(format!("unreadable header: {err}")),
    };
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(date_at), Some(outlet_at), Some(score_at)) =
        (column("run_date"), column("outlet"), column("score"))
    else {
        return History::Unreadable(
            "the header needs the columns run_date, outlet and score".to_string(),
        );
    };
    // A later row for the same outlet and date replaces an earlier one: a re-run.
    let mut scores: BTreeMap<(String, String), f64> = BTreeMap::new();
    let mut skipped_rows = 0;
    for record in reader.records() {
        let parsed = record.ok().and_then(|record| {
            let date = record.get(date_at)?.trim();
            let outlet = uncell(record.get(outlet_at)?.trim());
            let score: f64 = record.get(score_at)?.trim().parse().ok()?;
            let valid = !date.is_empty() && !outlet.is_empty() && (0.0..=1.0).contains(&score);
            valid.then(|| ((outlet.to_string(), date.to_string()), score))
        });
        match parsed {
            Some((key, score)) => {
                scores.insert(key, score);
            }
            None => skipped_rows += 1,
        }
    }
    let dates: Vec<String> = scores
        .keys()
        .map(|(_, date)| date.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut outlets: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
    for ((outlet, date), score) in scores {
        let at = dates.binary_search(&date).expect("date collected above");
        outlets
            .entry(outlet)
            .or_insert_with(|| vec![None; dates.len()])[at] = Some(score);
    }
    History::Series(Series {
        dates,
        outlets,
        skipped_rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(text: &str) -> Series {
        match parse(text.as_bytes()) {
            History::Series(series) => series,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn columns_are_found_by_name_and_extra_ones_ignored() {
        let s = series(
            "outlet,claims,score,run_date,note\n\
             b,3,0.5,2026-03-02,x\n\
             a,1,0.9,2026-03-03\n\
             b,2,0.6,2026-03-03,y,z\n",
        );
        assert_eq!(s.dates, ["2026-03-02", "2026-03-03"]);
        assert_eq!(s.outlets["a"], [None, Some(0.9)]);
        assert_eq!(s.outlets["b"], [Some(0.5), Some(0.6)]);
        assert_eq!(s.skipped_rows, 0);
    }

    #[test]
    fn bad_rows_are_skipped_and_counted() {
        let s = series(
            "run_date,outlet,score\n\
             2026-03-02,a,0.5\n\
             2026-03-03,a,high\n\
             2026-03-04,a,1.5\n\
             ,a,0.5\n\
             2026-03-05\n",
        );
        assert_eq!(s.dates, ["2026-03-02"]);
        assert_eq!(s.skipped_rows, 4);
    }

    #[test]
    fn a_rerun_replaces_the_earlier_row_and_bom_and_quote_prefix_are_read() {
        let s =
            series("\u{feff}run_date,outlet,score\n2026-03-02,'@desk,0.5\n2026-03-02,'@desk,0.7\n");
        assert_eq!(s.outlets["@desk"], [Some(0.7)]);
    }

    fn row(date: &str, outlet: &str, score: &str) -> Row {
        let mut row: Row = Default::default();
        row[0] = date.into();
        row[1] = outlet.into();
        row[2] = score.into();
        row[5] = "3".into();
        row
    }

    #[test]
    fn a_new_file_gets_a_header_and_an_old_one_keeps_its_bytes_and_column_order() {
        let rows = [row("2026-03-12", "Smith, \"Jones\"\nEvening", "0.5000")];
        let new = appended(None, &rows, true).unwrap();
        let text = String::from_utf8(new).unwrap();
        assert!(text.starts_with("\u{feff}run_date,outlet,score,score_low"));
        assert!(text.ends_with("2026-03-12,\"Smith, \"\"Jones\"\"\nEvening\",0.5000,,,3,,,,\n"));

        let old = b"note,score,outlet,run_date\nhand-made,0.7,a,2026-03-11";
        let grown = appended(Some(old), &[row("2026-03-12", "a", "0.6000")], false).unwrap();
        assert_eq!(
            String::from_utf8(grown.clone()).unwrap(),
            "note,score,outlet,run_date\nhand-made,0.7,a,2026-03-11\n,0.6000,a,2026-03-12\n"
        );
        let History::Series(series) = parse(&grown) else {
            panic!("unreadable")
        };
        assert_eq!(series.outlets["a"], [Some(0.7), Some(0.6)]);
    }

    #[test]
    fn a_header_without_the_needed_columns_is_not_appended_to() {
        let err = appended(Some(b"when,who,trust\n"), &[row("d", "a", "0.5")], false).unwrap_err();
        assert_eq!(err, "its header lacks the columns run_date, outlet, score");
    }

    #[test]
    fn outlet_rows_match_any_case_and_suggest_close_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outlets.csv");
        std::fs::write(
            &path,
            "run_date,outlet,score\n2026-03-10,Harbor Times,0.6\n2026-03-10,'@desk,0.5\n\
             2026-03-11,Harbor Times,0.7\n",
        )
        .unwrap();
        assert_eq!(
            outlet_rows(&path, "harbor times").unwrap(),
            "run_date,outlet,score\n2026-03-10,Harbor Times,0.6\n2026-03-11,Harbor Times,0.7\n"
        );
        assert!(outlet_rows(&path, "@desk").unwrap().contains("'@desk,0.5"));
        let err = outlet_rows(&path, "harbour times").unwrap_err().to_string();
        assert!(err.contains("did you mean `Harbor Times`"), "{err}");
        let err = outlet_rows(&dir.path().join("none.csv"), "x")
            .unwrap_err()
            .to_string();
        assert!(err.contains("no history"), "{err}");
    }

    #[test]
    fn missing_columns_and_missing_file_are_told_apart() {
        assert!(matches!(
            parse(b"date,outlet,trust\n2026-03-02,a,0.5\n"),
            History::Unreadable(reason) if reason.contains("run_date")
        ));
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            load(&read(&dir.path().join("outlets.csv"))),
            History::Absent
        );
    }
}
