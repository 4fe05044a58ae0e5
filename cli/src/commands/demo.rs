//! `lifecircle demo`: the whole pipeline on the bundled Isle of Man extract.

use anyhow::Result;
use lifecircle::input::{InputLimits, PopulationEstimate};

use super::pipeline::{self, Inputs, Layer, RunParams};
use crate::args::DemoArgs;
use crate::load;
use crate::progress::Stages;

/// The Isle of Man OSM extract (2020-03-13), © OpenStreetMap contributors, ODbL 1.0.
pub const ISLE_OF_MAN_PBF: &[u8] = include_bytes!("../../../data/isle_of_man.osm.pbf");
pub const SOURCE: &str = "isle_of_man.osm.pbf (bundled)";

/// Civic amenities that host community services: community and social centres, libraries,
/// town halls and social facilities.
pub const DEMO_CENTER_FILTER: &str =
    "amenity=community_centre|social_centre|library|townhall|social_facility";
/// One resident point per building.
pub const DEMO_DEMAND_FILTER: &str = "building";

/// Roads, centers and residents of the bundled extract, read in one pass over the PBF.
pub fn read_sample() -> Result<Inputs> {
    let one = PopulationEstimate::One;
    let layers = load::osm_layers_with_limits(
        SOURCE,
        ISLE_OF_MAN_PBF,
        true,
        &[(DEMO_CENTER_FILTER, one.clone()), (DEMO_DEMAND_FILTER, one)],
        &InputLimits::default(),
    )?;
    let mut points = layers.points.into_iter();
    let (Some(roads), Some(centers), Some(demand)) = (layers.roads, points.next(), points.next())
    else {
        unreachable!("roads and two point layers were asked for");
    };
    Ok(Inputs {
        roads: Layer::new(roads, SOURCE.into()),
        centers: Layer::new(centers, format!("{SOURCE} [{DEMO_CENTER_FILTER}]")),
        demand: Layer::new(demand, format!("{SOURCE} [{DEMO_DEMAND_FILTER}]")),
        units: None,
    })
}

pub fn run(args: DemoArgs) -> Result<()> {
    let mut stages = Stages::new(args.quiet);
    let inputs = stages.run("reading the Isle of Man extract", read_sample)?;
    let mut params = RunParams {
        coverage: Default::default(),
        network: Default::default(),
        model: Default::default(),
    };
    params.coverage.threshold_min = args.minutes;
    if !args.quiet {
        println!("Isle of Man: community centres, libraries, town halls and social facilities as centers; one resident per building.");
        println!("Map data © OpenStreetMap contributors, ODbL 1.0.");
    }
    pipeline::run(
        inputs,
        &params,
        &args.out,
        "Isle of Man: walking coverage of community services",
        &mut stages,
        args.quiet,
    )
}
