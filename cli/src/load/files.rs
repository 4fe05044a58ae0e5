//! What one input argument names on disk: the file, a layer inside it
//! (`city.gpkg:roads`), and the companion files of a multi-file format (a Shapefile's
//! `.dbf`, `.shx`, `.prj` and `.cpg` beside its `.shp`).

use std::path::{Path, PathBuf};

use anyhow::Result;
use lifecircle::input::InputLimits;
use lifecircle::ReadOptions;

use super::read_file;

/// The companions of a Shapefile, by extension, in the order they are looked for.
const SHAPEFILE_COMPANIONS: [&str; 4] = ["dbf", "shx", "prj", "cpg"];

/// One input argument resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InputFile {
    /// The file to read.
    pub path: PathBuf,
    /// The layer chosen after a `:` (a GeoPackage layer, the Shapefile inside a zip).
    pub layer: Option<String>,
}

impl InputFile {
    /// `arg` as given: a file, or `FILE:LAYER` when `arg` itself is no file but the part
    /// before its last `:` is (so Windows drive letters and names with colons still work).
    pub(crate) fn resolve(arg: &Path) -> InputFile {
        let whole = InputFile {
            path: arg.to_path_buf(),
            layer: None,
        };
        if arg.exists() {
            return whole;
        }
        let text = arg.to_string_lossy();
        match text.rsplit_once(':') {
            Some((file, layer)) if !layer.is_empty() && Path::new(file).is_file() => InputFile {
                path: PathBuf::from(file),
                layer: Some(layer.to_string()),
            },
            _ => whole,
        }
    }

    /// The name errors and summaries give the layer: the argument as typed.
    pub(crate) fn label(&self) -> String {
        match &self.layer {
            Some(layer) => format!("{}:{layer}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }

    /// The companion files beside a `.shp` (any letter case), each `(name, bytes)`; none
    /// for other files. A missing companion is not an error here: the reader says which
    /// one it needs.
    pub(crate) fn companions(&self, limits: &InputLimits) -> Result<Vec<(String, Vec<u8>)>> {
        let is_shp = self
            .path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("shp"));
        if !is_shp {
            return Ok(Vec::new());
        }
        let mut found = Vec::new();
        for extension in SHAPEFILE_COMPANIONS {
            let candidates = [
                self.path.with_extension(extension),
                self.path.with_extension(extension.to_ascii_uppercase()),
            ];
            if let Some(path) = candidates.iter().find(|p| p.is_file()) {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                found.push((name, read_file(path, limits)?));
            }
        }
        Ok(found)
    }

    /// The files read for this input: the file and its companions.
    pub(crate) fn files(&self) -> Vec<PathBuf> {
        let mut files = vec![self.path.clone()];
        if self
            .path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("shp"))
        {
            for extension in SHAPEFILE_COMPANIONS {
                for ext in [extension.to_string(), extension.to_ascii_uppercase()] {
                    let path = self.path.with_extension(ext);
                    if path.is_file() {
                        files.push(path);
                    }
                }
            }
        }
        files
    }
}

/// One input argument read: the bytes of its file, its companions and chosen layer for
/// the reader, and every file read (counted once in the summary's bytes read).
pub(crate) struct ReadInput {
    /// The argument as typed, for errors and summaries.
    pub label: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The files read for it.
    pub files: Vec<PathBuf>,
    layer: Option<String>,
    companions: Vec<(String, Vec<u8>)>,
}

impl ReadInput {
    /// Reads the file `arg` names (and a Shapefile's companions), within `limits`.
    pub(crate) fn read(arg: &Path, limits: &InputLimits) -> Result<ReadInput> {
        let input = InputFile::resolve(arg);
        Ok(ReadInput {
            label: input.label(),
            bytes: super::read_file(&input.path, limits)?,
            files: input.files(),
            companions: input.companions(limits)?,
            layer: input.layer,
        })
    }

    /// `base` reading this input's layer with its companions (moved out: they are read
    /// once).
    pub(crate) fn options(&mut self, base: ReadOptions) -> ReadOptions {
        let options = base.with_companions(std::mem::take(&mut self.companions));
        match &self.layer {
            Some(layer) => options.layer(layer.clone()),
            None => options,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layer_after_the_last_colon_of_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let gpkg = dir.path().join("city.gpkg");
        std::fs::write(&gpkg, b"x").unwrap();
        let arg = PathBuf::from(format!("{}:roads", gpkg.display()));
        let input = InputFile::resolve(&arg);
        assert_eq!(input.path, gpkg);
        assert_eq!(input.layer.as_deref(), Some("roads"));
        assert_eq!(input.label(), arg.display().to_string());
        // A file whose name holds a colon is itself.
        let odd = dir.path().join("a:b.geojson");
        std::fs::write(&odd, b"{}").unwrap();
        assert_eq!(InputFile::resolve(&odd).layer, None);
        // Nothing there: left as typed, for the reader's "cannot read file".
        let missing = dir.path().join("missing.gpkg:roads");
        assert_eq!(InputFile::resolve(&missing).path, missing);
    }

    #[test]
    fn a_shapefile_brings_its_companions_in_any_case() {
        let dir = tempfile::tempdir().unwrap();
        let shp = dir.path().join("roads.shp");
        for (name, bytes) in [
            ("roads.shp", &b"s"[..]),
            ("roads.DBF", b"d"),
            ("roads.prj", b"p"),
        ] {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        let input = InputFile::resolve(&shp);
        let companions = input.companions(&InputLimits::default()).unwrap();
        assert_eq!(
            companions,
            vec![
                ("roads.DBF".to_string(), b"d".to_vec()),
                ("roads.prj".to_string(), b"p".to_vec())
            ]
        );
        assert_eq!(input.files().len(), 3);
        let geojson = dir.path().join("roads.geojson");
        std::fs::write(&geojson, b"{}").unwrap();
        assert!(InputFile::resolve(&geojson)
            .companions(&InputLimits::default())
            .unwrap()
            .is_empty());
    }
}
