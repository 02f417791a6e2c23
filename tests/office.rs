//! `make test-office`: the CSV reports open in a real spreadsheet.
//!
//! LibreOffice converts every report of a fixture run, with and without `--excel`, to
//! .xlsx and back to CSV. Each row and header must survive, text cells exactly (a
//! byte-order mark must not leak into the first header, a formula-looking cell must stay
//! text) and four-decimal cells as numbers. Ignored by plain `cargo test`, since it
//! needs LibreOffice and takes seconds; without LibreOffice it passes with a message
//! saying it was skipped.

mod util;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Instant;

use credence::report::REPORT_FILES;
use util::{find_program, run_external, Dir};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/news");

/// LibreOffice's CSV filter options: comma, double quote, UTF-8 (76), from line 1.
const CSV_OPTIONS: &str = "44,34,76,1";
/// Seconds one conversion of all six reports may take, first start included.
const CONVERT_SECONDS: u32 = 180;

/// Cells a spreadsheet must not run: the fixtures have none, so add a feed of them.
const AWKWARD_FEED: &str = r#"{"id": "=1+1", "outlet": "@wire desk", "title": "-Kesterfield budget", "url": "=cmd|' /C calc'!A0", "text": "+The Kesterfield City Council approved the 2026 budget in a 7-2 vote on Tuesday night after a four-hour meeting at City Hall."}
"#;

#[test]
#[ignore = "needs LibreOffice; run with `make test-office`"]
fn reports_survive_a_round_trip_through_libreoffice() {
    let Some(office) = find_program(&["soffice", "libreoffice"]) else {
        eprintln!("test-office: skipped: neither soffice nor libreoffice is on PATH");
        return;
    };
    let started = Instant::now();
    let dir = Dir::new();
    dir.write("extra/feed.jsonl", AWKWARD_FEED);
    // A private profile: no clash with a LibreOffice the user has open, no first-run
    // state left in their home directory.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    for (out, extra) in [("plain", None), ("excel", Some("--excel"))] {
        let mut args = vec!["run", FIXTURES, "extra", "--out", out, "--quiet"];
        args.extend(extra);
        dir.run(args).assert_code(0);

        let csvs: Vec<PathBuf> = REPORT_FILES.iter().map(|n| dir.join(out).join(n)).collect();
        let xlsx_dir = dir.join(format!("{out}-xlsx"));
        convert(
            &office,
            &profile,
            &format!("--infilter=CSV:{CSV_OPTIONS}"),
            "xlsx",
            &xlsx_dir,
            &csvs,
        );
        let xlsx: Vec<PathBuf> = REPORT_FILES
            .iter()
            .map(|name| xlsx_dir.join(Path::new(name).with_extension("xlsx")))
            .collect();
        for file in &xlsx {
            let bytes =
                std::fs::read(file).unwrap_or_else(|e| panic!("{out}: no {}: {e}", file.display()));
            assert!(
                bytes.starts_with(b"PK"),
                "{} is not an xlsx (zip) file",
                file.display()
            );
        }
        let back_dir = dir.join(format!("{out}-back"));
        let to_csv = format!("csv:Text - txt - csv (StarCalc):{CSV_OPTIONS}");
        convert(&office, &profile, "--norestore", &to_csv, &back_dir, &xlsx);
        for name in REPORT_FILES {
            compare(
                &format!("{out}/{name}"),
                &dir.join(out).join(name),
                &back_dir.join(name),
            );
        }
    }
    eprintln!(
        "test-office: {} reports × 2 round-tripped through {} in {:.1} s",
        REPORT_FILES.len(),
        office.display(),
        started.elapsed().as_secs_f64()
    );
}

fn convert(
    office: &Path,
    profile: &str,
    option: &str,
    format: &str,
    outdir: &Path,
    files: &[PathBuf],
) {
    let mut args: Vec<OsString> = [
        profile,
        "--headless",
        option,
        "--convert-to",
        format,
        "--outdir",
    ]
    .iter()
    .map(OsString::from)
    .collect();
    args.push(outdir.into());
    args.extend(files.iter().map(OsString::from));
    run_external(office, &args, CONVERT_SECONDS);
}

fn records(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    reader
        .records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// Our fixed four decimals: what a spreadsheet must read as a number.
fn is_fixed_decimal(cell: &str) -> bool {
    cell.split_once('.').is_some_and(|(whole, fraction)| {
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.len() == 4
            && fraction.bytes().all(|b| b.is_ascii_digit())
    })
}

fn compare(name: &str, original: &Path, back: &Path) {
    let (written, read) = (records(original), records(back));
    assert_eq!(
        written.len(),
        read.len(),
        "{name}: {} rows written, {} after LibreOffice",
        written.len(),
        read.len()
    );
    let header = &written[0];
    assert_eq!(header, &read[0], "{name}: header changed");
    for (row, (a, b)) in written.iter().zip(&read).enumerate().skip(1) {
        assert_eq!(a.len(), b.len(), "{name} row {}: column count", row + 1);
        for ((ours, theirs), column) in a.iter().zip(b).zip(header) {
            let line = row + 1;
            if is_fixed_decimal(ours) {
                // Read as a number, LibreOffice writes it back in its shortest form
                // (0.7080 → 0.708); read as text, it would keep the trailing zero.
                let value: f64 = ours.parse().unwrap();
                assert_eq!(
                    theirs,
                    &value.to_string(),
                    "{name} row {line} column {column}: not read as a number"
                );
            } else {
                assert_eq!(ours, theirs, "{name} row {line} column {column}");
            }
        }
    }
}
