//! A zipped Shapefile: the `.shp` inside a zip archive and its companions beside it.

use std::io::{Cursor, Read};

use ::zip::ZipArchive;

use super::shapefile::read_shapefile;
use super::{file_name, guarded, parse_error, Companion};
use crate::input::gzip::InputLimits;
use crate::input::raw::FeatureTable;
use crate::Result;

/// Companion extensions read from the archive beside the chosen `.shp`.
const COMPANIONS: [&str; 4] = [".dbf", ".shx", ".prj", ".cpg"];

/// Reads the Shapefile inside the zip archive `bytes` named `label`: its only `.shp`, or
/// the one `layer` names (by base name, with or without `.shp`).
///
/// Decompressed entries count against `limits` (all of them together), so a zip bomb
/// fails with [`crate::Error::TooLarge`] instead of exhausting memory.
///
/// # Errors
/// [`crate::Error::Parse`] naming `label` for a corrupt archive, one without a `.shp`,
/// several `.shp` and no (or an unknown) `layer` (listing them), and the Shapefile
/// reader's errors.
pub(crate) fn read_zipped_shapefile(
    label: &str,
    bytes: &[u8],
    layer: Option<&str>,
    limits: &InputLimits,
) -> Result<FeatureTable> {
    guarded(label, "zip archive", || read(label, bytes, layer, limits))
}

fn read(
    label: &str,
    bytes: &[u8],
    layer: Option<&str>,
    limits: &InputLimits,
) -> Result<FeatureTable> {
    let corrupt =
        |e: ::zip::result::ZipError| parse_error(label, format!("invalid zip archive: {e}"));
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let names: Vec<String> = archive
        .file_names()
        .map(|name| name.map(std::borrow::Cow::into_owned))
        .collect::<std::result::Result<_, _>>()
        .map_err(corrupt)?;
    let mut shps: Vec<&String> = names
        .iter()
        .filter(|n| n.to_ascii_lowercase().ends_with(".shp") && !is_hidden(n))
        .collect();
    shps.sort();
    let listed = || {
        shps.iter()
            .map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen = match (layer, shps.as_slice()) {
        (_, []) => {
            return Err(parse_error(
                label,
                "the zip archive holds no Shapefile (.shp)",
            ))
        }
        (None, [only]) => *only,
        (None, _) => {
            return Err(parse_error(
                label,
                format!(
                    "the zip archive holds {} Shapefiles; choose one by name: {}",
                    shps.len(),
                    listed()
                ),
            ))
        }
        (Some(wanted), _) => {
            let wanted = wanted.strip_suffix(".shp").unwrap_or(wanted);
            let matches = |n: &&&String| {
                let base = file_name(n);
                let base = &base[..base.len() - 4];
                base.eq_ignore_ascii_case(wanted) || n[..n.len() - 4].eq_ignore_ascii_case(wanted)
            };
            match shps.iter().find(matches) {
                Some(found) => *found,
                None => {
                    return Err(parse_error(
                        label,
                        format!(
                            "the zip archive has no Shapefile named `{wanted}`; it holds: {}",
                            listed()
                        ),
                    ))
                }
            }
        }
    };
    let stem = &chosen[..chosen.len() - 4];
    let mut total = 0usize;
    let mut extract = |name: &str| -> Result<Vec<u8>> {
        let index = names.iter().position(|n| n == name).unwrap_or(usize::MAX);
        let entry = archive.by_index(index).map_err(corrupt)?;
        let room = limits.max_bytes.saturating_sub(total as u64);
        let mut data =
            Vec::with_capacity(usize::try_from(entry.size().min(room).min(1 << 24)).unwrap_or(0));
        entry
            .take(room.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|e| parse_error(label, format!("invalid zip archive: {name}: {e}")))?;
        total = total.saturating_add(data.len());
        limits.check_bytes(label, total)?;
        Ok(data)
    };
    let shp = extract(chosen)?;
    let mut companions: Vec<Companion> = Vec::new();
    for ext in COMPANIONS {
        let found = names.iter().find(|n| {
            n.len() == stem.len() + ext.len()
                && n.is_char_boundary(stem.len())
                && n[..stem.len()] == *stem
                && n[stem.len()..].eq_ignore_ascii_case(ext)
        });
        if let Some(name) = found {
            companions.push((file_name(name).to_string(), extract(name)?));
        }
    }
    read_shapefile(label, chosen, &shp, &companions)
}

/// macOS archive clutter (`__MACOSX/…`, `._name`) is no layer.
fn is_hidden(name: &str) -> bool {
    name.starts_with("__MACOSX/") || file_name(name).starts_with("._")
}
