//! The benchmark baseline: how fast `unicode_words()` alone segments a corpus on one
//! thread. `credence run` on two cores should be at least twice this fast.
//!
//!     cargo run --release --example words_baseline -- DIR
//!
//! Reads every `.txt` file under DIR (sorted), times only the segmentation (not the
//! reading), and prints `bytes words seconds mb_per_s` (MB = 10^6 bytes).

use std::time::{Duration, Instant};

use unicode_segmentation::UnicodeSegmentation;

fn main() -> anyhow::Result<()> {
    let Some(dir) = std::env::args_os().nth(1) else {
        anyhow::bail!("usage: words_baseline DIR");
    };
    let (mut bytes, mut words, mut elapsed) = (0u64, 0usize, Duration::ZERO);
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry?;
        if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path())?;
        let started = Instant::now();
        words += std::hint::black_box(text.as_str()).unicode_words().count();
        elapsed += started.elapsed();
        bytes += text.len() as u64;
    }
    let seconds = elapsed.as_secs_f64();
    println!(
        "{bytes} {words} {seconds:.3} {:.2}",
        bytes as f64 / 1e6 / seconds.max(1e-9)
    );
    Ok(())
}
