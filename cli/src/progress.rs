//! Stage timing and progress display.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Times named stages and shows a spinner for each while it runs (on a terminal only).
pub struct Stages {
    quiet: bool,
    timings: Vec<(String, Duration)>,
}

impl Stages {
    pub fn new(quiet: bool) -> Self {
        Self {
            quiet,
            timings: Vec::new(),
        }
    }

    /// Runs `work` as stage `name`.
    pub fn run<T>(&mut self, name: &str, work: impl FnOnce() -> T) -> T {
        self.run_with_progress(name, |_| work())
    }

    /// Runs `work` as stage `name`; `work` may report how far it got with the
    /// callback it receives (shown after the stage name).
    pub fn run_with_progress<T>(&mut self, name: &str, work: impl FnOnce(&dyn Fn(&str)) -> T) -> T {
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
        let start = Instant::now();
        let report = |detail: &str| bar.set_message(format!("{name}: {detail}"));
        let out = work(&report);
        let elapsed = start.elapsed();
        bar.finish_and_clear();
        self.timings.push((name.to_string(), elapsed));
        out
    }

    /// `timings.json` content: seconds per stage, plus the total.
    pub fn to_json(&self) -> serde_json::Value {
        let mut stages = serde_json::Map::new();
        for (name, d) in &self.timings {
            stages.insert(name.clone(), serde_json::json!(d.as_secs_f64()));
        }
        let total: f64 = self.timings.iter().map(|t| t.1.as_secs_f64()).sum();
        serde_json::json!({ "stages_s": stages, "total_s": total })
    }

    pub fn total(&self) -> Duration {
        self.timings.iter().map(|t| t.1).sum()
    }
}
