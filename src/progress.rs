//! Per-stage progress bars on a terminal; nothing at all otherwise.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bars: Option<MultiProgress>,
}

impl Progress {
    /// Bars are drawn only when `enabled` and stderr is a terminal, so logs and pipes
    /// never fill with escape codes.
    pub fn new(enabled: bool) -> Self {
        use std::io::IsTerminal;
        let bars = (enabled && std::io::stderr().is_terminal())
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Progress { bars }
    }

    pub fn hidden() -> Self {
        Progress { bars: None }
    }

    /// A bar over `len` items for one stage.
    pub fn stage(&self, stage: &str, len: u64) -> ProgressBar {
        let Some(bars) = &self.bars else {
            return ProgressBar::hidden();
        };
        let bar = bars.add(ProgressBar::new(len));
        let style = ProgressStyle::with_template("{prefix:>10} [{bar:30}] {pos}/{len} {elapsed}")
            .expect("valid template")
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(stage.to_string());
        bar
    }
}
