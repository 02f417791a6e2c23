//! Reads `<out>/history/outlets.csv`, the outlet scores of earlier runs, for the trend
//! charts of the HTML report.
//!
//! Something else writes that file, and may add columns over time, so only the header
//! matters: `run_date`, `outlet` and `score`, in any order, among any others. A missing
//! file is normal (a first run); a file without those columns is reported, not fatal,
//! and so is a row whose score is not a number from 0 to 1.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::report::uncell;

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

pub fn load(path: &Path) -> History {
    match std::fs::read(path) {
        Ok(bytes) => parse(&bytes),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => History::Absent,
        Err(err) => History::Unreadable(format!("cannot read {}: {err}", path.display())),
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

    #[test]
    fn missing_columns_and_missing_file_are_told_apart() {
        assert!(matches!(
            parse(b"date,outlet,trust\n2026-03-02,a,0.5\n"),
            History::Unreadable(reason) if reason.contains("run_date")
        ));
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(&dir.path().join("outlets.csv")), History::Absent);
    }
}
