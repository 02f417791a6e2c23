//! Helpers for end-to-end tests of the `credence` binary, in the style of ripgrep's
//! `tests/util.rs`: a scratch directory to write inputs into, a `Run` builder for the
//! real binary, and a reader that turns a CSV report into rows keyed by header.

#![allow(dead_code)]

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a successful `credence run` keeps in `--out` besides the reports: its lock
/// file, the default cache directory and the score history.
pub const RUN_STATE: [&str; 3] = [".credence.lock", "cache", "history"];

/// The binary Cargo built for this test run.
pub const BIN: &str = env!("CARGO_BIN_EXE_credence");

/// A temporary directory, removed on drop; commands run inside it by default.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        let tmp = tempfile::Builder::new()
            .prefix("credence-test-")
            .tempdir()
            .expect("create temp dir");
        Dir { tmp }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn join(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.path().join(relative)
    }

    /// Writes `contents` to `relative`, creating parent directories; returns the path.
    pub fn write(&self, relative: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(relative);
        fs::create_dir_all(path.parent().unwrap()).expect("create parent dirs");
        fs::write(&path, contents).expect("write file");
        path
    }

    /// A run of the binary with this directory as the working directory.
    pub fn command(&self) -> Run {
        Run::new().current_dir(self.path())
    }

    /// Shorthand: `credence ARGS...` in this directory.
    pub fn run<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.command().args(args).run()
    }

    /// Reads a CSV report relative to this directory.
    pub fn csv(&self, relative: impl AsRef<Path>) -> Vec<HashMap<String, String>> {
        read_csv(self.join(relative))
    }

    /// Every report file of a run in `out`, with its bytes, in `REPORT_FILES` order.
    pub fn report_bytes(&self, out: &str) -> Vec<(String, Vec<u8>)> {
        credence::report::REPORT_FILES
            .iter()
            .map(|name| {
                let path = self.join(out).join(name);
                let bytes =
                    fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
                (name.to_string(), bytes)
            })
            .collect()
    }
}

/// Builder for one invocation of the binary.
#[derive(Debug, Default)]
pub struct Run {
    args: Vec<OsString>,
    cwd: Option<PathBuf>,
}

impl Run {
    pub fn new() -> Run {
        Run::default()
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Run {
        self.args.push(arg.into());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn current_dir(mut self, dir: impl Into<PathBuf>) -> Run {
        self.cwd = Some(dir.into());
        self
    }

    fn command(&self) -> Command {
        let mut command = Command::new(BIN);
        command.args(&self.args);
        if let Some(cwd) = &self.cwd {
            command.current_dir(cwd);
        }
        command
    }

    /// Starts the binary without waiting for it; its output is discarded.
    pub fn spawn(&self) -> std::process::Child {
        self.command()
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn credence")
    }

    /// Runs the binary under `sh -c SCRIPT`, where the script ends with `exec "$0" "$@"`
    /// (to set limits first, say).
    pub fn run_under_sh(&self, script: &str) -> Output {
        let mut command = Command::new("sh");
        command.arg("-c").arg(script).arg(BIN).args(&self.args);
        if let Some(cwd) = &self.cwd {
            command.current_dir(cwd);
        }
        self.finish(command)
    }

    pub fn run(&self) -> Output {
        self.finish(self.command())
    }

    fn finish(&self, mut command: Command) -> Output {
        let output = command.output().expect("spawn credence");
        Output {
            args: self
                .args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// What a finished run printed and returned.
#[derive(Debug)]
pub struct Output {
    pub args: Vec<String>,
    /// `None` when the process was killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Asserts the exit code, showing the command and its output on failure.
    pub fn assert_code(&self, expected: i32) -> &Output {
        assert_eq!(
            self.code,
            Some(expected),
            "credence {:?} exited {:?}, expected {expected}\n--- stdout\n{}\n--- stderr\n{}",
            self.args,
            self.code,
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts that stderr mentions `needle`, showing stderr on failure.
    pub fn assert_stderr_has(&self, needle: &str) -> &Output {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

/// The names in a directory, sorted.
pub fn dir_names(path: impl AsRef<Path>) -> Vec<String> {
    let path = path.as_ref();
    let mut names: Vec<String> = fs::read_dir(path)
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Reads a CSV file (with a header row) into one map per record.
pub fn read_csv(path: impl AsRef<Path>) -> Vec<HashMap<String, String>> {
    let path = path.as_ref();
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let headers = reader.headers().expect("CSV header").clone();
    reader
        .records()
        .map(|record| {
            let record =
                record.unwrap_or_else(|e| panic!("invalid CSV in {}: {e}", path.display()));
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The row of `rows` whose `column` equals `value`; panics listing the column otherwise.
pub fn row<'a>(
    rows: &'a [HashMap<String, String>],
    column: &str,
    value: &str,
) -> &'a HashMap<String, String> {
    let matching: Vec<_> = rows.iter().filter(|r| r[column] == value).collect();
    assert_eq!(
        matching.len(),
        1,
        "expected exactly one row with {column} = {value:?}; {column} values: {:?}",
        rows.iter().map(|r| &r[column]).collect::<Vec<_>>()
    );
    matching[0]
}

/// The first of `names` found on PATH, for tests that drive an external program and
/// skip without it.
pub fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Runs `program` with `args` under coreutils `timeout`, so a hung office suite or
/// browser fails the test instead of stalling it; panics unless it exits 0.
pub fn run_external(program: &Path, args: &[OsString], seconds: u32) -> std::process::Output {
    let output = Command::new("timeout")
        .arg(seconds.to_string())
        .arg(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("spawn timeout {}: {e}", program.display()));
    assert!(
        output.status.success(),
        "{} {args:?} failed ({:?}; 124 = timed out)\n--- stdout\n{}\n--- stderr\n{}",
        program.display(),
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Copies the directory tree `from` into `to`.
pub fn copy_dir(from: impl AsRef<Path>, to: impl AsRef<Path>) {
    let (from, to) = (from.as_ref(), to.as_ref());
    fs::create_dir_all(to).expect("create copy");
    for entry in fs::read_dir(from).expect("read dir") {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Writes `count` small articles, numbered from `first`, under `dir/OUTLET/NUMBER.txt`
/// for eight outlets: stories that several outlets cover with the same or a competing
/// figure, so every stage has work. Deterministic.
pub fn synthetic_corpus(dir: &Dir, root: &str, first: usize, count: usize) {
    const TOWNS: [&str; 6] = [
        "Marston",
        "Kesterfield",
        "Greenhollow",
        "Fenwick",
        "Lakeside",
        "Drayton",
    ];
    const PEOPLE: [&str; 6] = [
        "Lena Ortiz",
        "Miriam Osei",
        "Harlan Beaumont",
        "José Núñez",
        "Wendell Ames",
        "Naomi Achterberg",
    ];
    for n in first..first + count {
        let story = n % 23;
        let town = TOWNS[story % TOWNS.len()];
        let person = PEOPLE[(story / 2) % PEOPLE.len()];
        let outlet = format!("outlet-{}", n % 8);
        // One outlet in eight inflates every figure.
        let millions = if n % 8 == 7 {
            story * 3 + 40
        } else {
            story * 3 + 12
        };
        let text = format!(
            "{town} council story {story}\n\n\
             The {town} City Council approved a plan costing ${millions} million on Tuesday, \
             Mayor {person} said.\n\n\
             The vote was 7-2 after a debate about the {town} harbor and {} new jobs.\n\n\
             {person} told reporters in {town} that work would start in {}.\n\n\
             Residents of {town} packed the meeting hall for article {n}.\n",
            story * 40 + 100,
            2026 + story % 3,
        );
        dir.write(format!("{root}/{outlet}/{n:05}.txt"), text);
    }
}
