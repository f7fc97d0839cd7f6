//! Progress on stderr for long runs, only when stderr is a terminal.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// A progress bar that exists only when stderr is a terminal; otherwise every call is a no-op,
/// so piped output and CI logs carry nothing extra.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar with a message; hidden unless stderr is a terminal.
    pub fn new(message: &'static str) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = ProgressBar::new(0);
            if let Ok(style) =
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
            {
                b.set_style(style.progress_chars("=> "));
            }
            b.set_message(message);
            // Ticks while a step runs long (an LP solve), so the elapsed time stays live.
            b.enable_steady_tick(std::time::Duration::from_millis(250));
            b
        });
        Progress { bar }
    }

    /// Reports `done` of `total` steps.
    pub fn update(&mut self, done: usize, total: usize) {
        if let Some(b) = &self.bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    }

    /// Removes the bar.
    pub fn finish(self) {
        if let Some(b) = self.bar {
            b.finish_and_clear();
        }
    }
}
