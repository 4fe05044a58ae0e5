//! Helpers for running the `lifecircle` binary in tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A bundled data file.
pub fn data(name: &str) -> PathBuf {
    repo_root().join("data").join(name)
}

/// Runs `lifecircle` with arguments.
pub fn lifecircle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lifecircle"))
        .args(args)
        .output()
        .expect("the lifecircle binary runs")
}

/// Stdout and stderr as text.
pub fn texts(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh temporary folder.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary folder")
}

/// Writes `content` to `dir/name` and returns the path as a string.
pub fn write(dir: &Path, name: &str, content: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write fixture");
    path.display().to_string()
}
