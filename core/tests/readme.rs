//! The README's library example, as written there (it must keep compiling and running).

use lifecircle::input::{PopulationEstimate, TagFilter};
use lifecircle::{read_points, read_roads, Layer, Layers, ReadOptions, Study, StudyParams};

#[test]
fn the_readme_example_runs() -> Result<(), Box<dyn std::error::Error>> {
    let pbf = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/monaco.osm.pbf"
    ))?;
    let tags = |filter: &str| -> lifecircle::Result<ReadOptions> {
        Ok(ReadOptions::default().osm(TagFilter::parse(filter)?, PopulationEstimate::One))
    };
    let layers = Layers {
        roads: Layer::new(
            read_roads("monaco.osm.pbf", &pbf, &ReadOptions::default())?,
            "monaco",
        ),
        centers: Layer::new(
            read_points("monaco.osm.pbf", &pbf, &tags("amenity=library")?)?,
            "libraries",
        ),
        demand: Layer::new(
            read_points("monaco.osm.pbf", &pbf, &tags("building")?)?,
            "buildings",
        ),
        units: None,
    };
    let study = Study::new(layers, StudyParams::default())?;
    let ratio = study.summary().coverage_ratio;
    assert!(ratio > 0.0 && ratio < 1.0, "{ratio}");
    let change = study.what_if_add(&mut study.scratch(), [7.4200, 43.7310])?;
    assert!(change.covered_population_after >= change.covered_population_before);
    Ok(())
}
