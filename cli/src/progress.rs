//! Stage timing and progress display.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

/// Times named stages and shows a spinner for each while it runs (on a terminal only).
pub(crate) struct Stages {
    quiet: bool,
    timings: Vec<(String, Duration)>,
    /// The stage [`Stages::lap`] opened and not yet closed.
    open: Option<(String, Instant, ProgressBar)>,
}

/// `timings.json`: seconds per stage, in order, and the total.
#[derive(Serialize)]
pub(crate) struct Timings {
    stages_s: serde_json::Map<String, serde_json::Value>,
    total_s: f64,
}

impl Stages {
    pub(crate) fn new(quiet: bool) -> Self {
        Self {
            quiet,
            timings: Vec::new(),
            open: None,
        }
    }

    fn spinner(&self, name: &str) -> ProgressBar {
        let bar = if self.quiet {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        };
        bar.set_message(name.to_string());
        bar
    }

    /// Runs `work` as stage `name`.
    pub(crate) fn run<T>(&mut self, name: &str, work: impl FnOnce() -> T) -> T {
        self.run_with_progress(name, |_| work())
    }

    /// Runs `work` as stage `name`; `work` may report how far it got with the
    /// callback it receives (shown after the stage name).
    pub(crate) fn run_with_progress<T>(
        &mut self,
        name: &str,
        work: impl FnOnce(&dyn Fn(&str)) -> T,
    ) -> T {
        self.end_lap();
        let bar = self.spinner(name);
        let start = Instant::now();
        let report = |detail: &str| bar.set_message(format!("{name}: {detail}"));
        let out = work(&report);
        let elapsed = start.elapsed();
        bar.finish_and_clear();
        self.timings.push((name.to_string(), elapsed));
        out
    }

    /// Ends the open stage, if any, and opens stage `name` (for work that reports the
    /// stages it enters, such as building a study).
    pub(crate) fn lap(&mut self, name: &str) {
        self.end_lap();
        let bar = self.spinner(name);
        self.open = Some((name.to_string(), Instant::now(), bar));
    }

    /// Ends the stage [`Self::lap`] opened.
    pub(crate) fn end_lap(&mut self) {
        if let Some((name, start, bar)) = self.open.take() {
            bar.finish_and_clear();
            self.timings.push((name, start.elapsed()));
        }
    }

    /// `timings.json` content.
    pub(crate) fn timings(&self) -> Timings {
        let mut stages_s = serde_json::Map::new();
        for (name, d) in &self.timings {
            stages_s.insert(name.clone(), serde_json::Value::from(d.as_secs_f64()));
        }
        Timings {
            stages_s,
            total_s: self.timings.iter().map(|t| t.1.as_secs_f64()).sum(),
        }
    }

    pub(crate) fn total(&self) -> Duration {
        self.timings.iter().map(|t| t.1).sum()
    }
}
