//! `report.html`: of an output folder the package wrote, or of a study in memory.

use std::path::Path;

use lifecircle::output::{html_report, Lang};
use pyo3::prelude::*;

use crate::errors::Failure;

/// Writes `folder/report.html` of the output files already in `folder` (the page
/// `lifecircle report` makes of the same folder).
#[pyfunction]
pub(crate) fn write_html_report(folder: String, lang: &str) -> PyResult<()> {
    let lang = Lang::parse(lang).map_err(Failure::from)?;
    let root = Path::new(&folder);
    let html =
        html_report(&|name| std::fs::read(root.join(name)).ok(), lang).map_err(Failure::from)?;
    let path = root.join("report.html");
    let shown = path.display().to_string();
    let cannot = |e: std::io::Error| Failure::file(&shown, format!("cannot write file: {e}"));
    let mut file = std::fs::File::create_new(&path).map_err(cannot)?;
    std::io::Write::write_all(&mut file, html.as_bytes()).map_err(cannot)?;
    file.sync_all().map_err(cannot)?;
    Ok(())
}
