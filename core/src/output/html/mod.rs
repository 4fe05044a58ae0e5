//! `report.html`: one self-contained page a planner can hand in — the map of the
//! network coloured by walk time with centers and gaps, the figures, the walk-time
//! chart, the tables per band, profile, tier, service and unit, the largest gaps with
//! the best site to close each, and for a plan the maps before and after.
//!
//! The page is made from an output folder's files only ([`ReadOutputFile`]), so
//! `coverage --report html`, `lifecircle report DIR` and the viewer's export give the
//! same bytes for the same folder. It needs no network and no script: the map and the
//! chart are inline SVG, the styles inline, and it prints to A4.

mod figures;
mod folder;
mod markup;
mod page;
mod sections;
mod strings;
mod svg;

pub use folder::ReadOutputFile;
pub use strings::Lang;

use crate::Result;

/// The report of the output folder `read` reads: a plan report when the folder holds
/// `plan.json`, else a coverage report.
///
/// # Errors
/// [`crate::Error::Empty`] naming a file the report needs that the folder does not
/// hold; [`crate::Error::Parse`] or [`crate::Error::Feature`] naming a file that is not
/// an output of this version.
pub fn html_report(read: &ReadOutputFile<'_>, lang: Lang) -> Result<String> {
    if read("plan.json").is_some() {
        Ok(page::plan_page(lang, &folder::PlanFolder::read(read)?))
    } else {
        Ok(page::coverage_page(
            lang,
            &folder::CoverageFolder::read(read, "")?,
        ))
    }
}
