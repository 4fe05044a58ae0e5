use super::*;
use crate::input::{is_walkable, InputLimits};

/// A minimal OSM PBF writer for hand-made fixtures (uncompressed blobs, plain nodes).
mod pbf {
    fn varint(out: &mut Vec<u8>, mut value: u64) {
        while value >= 0x80 {
            out.push((value as u8) | 0x80);
            value >>= 7;
        }
        out.push(value as u8);
    }

    fn zigzag(value: i64) -> u64 {
        ((value << 1) ^ (value >> 63)) as u64
    }

    fn key(out: &mut Vec<u8>, field: u32, wire_type: u8) {
        varint(out, (u64::from(field) << 3) | u64::from(wire_type));
    }

    fn int_field(out: &mut Vec<u8>, field: u32, value: u64) {
        key(out, field, 0);
        varint(out, value);
    }

    fn bytes_field(out: &mut Vec<u8>, field: u32, bytes: &[u8]) {
        key(out, field, 2);
        varint(out, bytes.len() as u64);
        out.extend_from_slice(bytes);
    }

    fn packed(out: &mut Vec<u8>, field: u32, values: impl IntoIterator<Item = u64>) {
        let mut body = Vec::new();
        for value in values {
            varint(&mut body, value);
        }
        bytes_field(out, field, &body);
    }

    fn deltas(values: &[i64]) -> Vec<u64> {
        let mut previous = 0;
        values
            .iter()
            .map(|&v| {
                let d = zigzag(v - previous);
                previous = v;
                d
            })
            .collect()
    }

    /// Builds a PBF file: strings are interned into one string table per data block.
    #[derive(Default)]
    pub(super) struct Writer {
        strings: Vec<String>,
        nodes: Vec<Vec<u8>>,
        ways: Vec<Vec<u8>>,
        relations: Vec<Vec<u8>>,
    }

    impl Writer {
        fn sid(&mut self, s: &str) -> u64 {
            if self.strings.is_empty() {
                self.strings.push(String::new()); // index 0 is reserved
            }
            match self.strings.iter().position(|x| x == s) {
                Some(i) => i as u64,
                None => {
                    self.strings.push(s.to_string());
                    (self.strings.len() - 1) as u64
                }
            }
        }

        fn tags(&mut self, out: &mut Vec<u8>, tags: &[(&str, &str)]) {
            let keys: Vec<u64> = tags.iter().map(|(k, _)| self.sid(k)).collect();
            let vals: Vec<u64> = tags.iter().map(|(_, v)| self.sid(v)).collect();
            if !tags.is_empty() {
                packed(out, 2, keys);
                packed(out, 3, vals);
            }
        }

        pub(super) fn node(
            &mut self,
            id: i64,
            lon: f64,
            lat: f64,
            tags: &[(&str, &str)],
        ) -> &mut Self {
            let mut n = Vec::new();
            int_field(&mut n, 1, zigzag(id));
            self.tags(&mut n, tags);
            int_field(&mut n, 8, zigzag((lat * 1e7).round() as i64));
            int_field(&mut n, 9, zigzag((lon * 1e7).round() as i64));
            self.nodes.push(n);
            self
        }

        pub(super) fn way(&mut self, id: i64, refs: &[i64], tags: &[(&str, &str)]) -> &mut Self {
            let mut w = Vec::new();
            int_field(&mut w, 1, id as u64);
            self.tags(&mut w, tags);
            packed(&mut w, 8, deltas(refs));
            self.ways.push(w);
            self
        }

        /// Members are `(way id, role)`.
        pub(super) fn relation(
            &mut self,
            id: i64,
            members: &[(i64, &str)],
            tags: &[(&str, &str)],
        ) -> &mut Self {
            let mut r = Vec::new();
            int_field(&mut r, 1, id as u64);
            self.tags(&mut r, tags);
            let roles: Vec<u64> = members.iter().map(|(_, role)| self.sid(role)).collect();
            let ids: Vec<i64> = members.iter().map(|(id, _)| *id).collect();
            packed(&mut r, 8, roles);
            packed(&mut r, 9, deltas(&ids));
            packed(&mut r, 10, members.iter().map(|_| 1)); // all members are ways
            self.relations.push(r);
            self
        }

        fn blob(out: &mut Vec<u8>, kind: &str, data: &[u8]) {
            let mut blob = Vec::new();
            bytes_field(&mut blob, 1, data);
            let mut header = Vec::new();
            bytes_field(&mut header, 1, kind.as_bytes());
            int_field(&mut header, 3, blob.len() as u64);
            out.extend_from_slice(&(header.len() as u32).to_be_bytes());
            out.extend_from_slice(&header);
            out.extend_from_slice(&blob);
        }

        pub(super) fn finish(&mut self) -> Vec<u8> {
            self.sid("");
            let mut out = Vec::new();
            let mut header_block = Vec::new();
            bytes_field(&mut header_block, 4, b"OsmSchema-V0.6");
            Self::blob(&mut out, "OSMHeader", &header_block);
            let mut table = Vec::new();
            for s in &self.strings {
                bytes_field(&mut table, 1, s.as_bytes());
            }
            let mut block = Vec::new();
            bytes_field(&mut block, 1, &table);
            // One group per element kind, as writers do.
            for (field, items) in [(1, &self.nodes), (3, &self.ways), (4, &self.relations)] {
                if items.is_empty() {
                    continue;
                }
                let mut group = Vec::new();
                for item in items {
                    bytes_field(&mut group, field, item);
                }
                bytes_field(&mut block, 2, &group);
            }
            Self::blob(&mut out, "OSMData", &block);
            out
        }
    }
}

use pbf::Writer;

const MONACO: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../data/monaco.osm.pbf"
));
const HELSINKI: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../data/helsinki_center.osm.pbf"
));
const ISLE_OF_MAN: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../data/isle_of_man.osm.pbf"
));

fn grid_nodes(w: &mut Writer) -> &mut Writer {
    // Nodes 1..=9 on a 3x3 grid, 0.001° apart.
    for i in 0..9 {
        w.node(
            i + 1,
            7.0 + 0.001 * (i % 3) as f64,
            43.0 + 0.001 * (i / 3) as f64,
            &[],
        );
    }
    w
}

// ---- roads ----

#[test]
fn roads_from_hand_made_pbf() {
    let bytes = grid_nodes(&mut Writer::default())
        .way(10, &[1, 2, 2, 3], &[("highway", "footway"), ("name", "A")])
        .way(11, &[4, 5], &[("highway", "motorway")])
        .way(12, &[5, 6], &[("building", "yes")])
        .way(
            13,
            &[7, 8],
            &[("highway", "service"), ("access", "private")],
        )
        .way(14, &[7, 7], &[("highway", "path")])
        .finish();
    let roads = read_roads_osm_pbf("t.osm.pbf", &bytes).unwrap();
    assert_eq!(roads.lines.len(), 1);
    let line = &roads.lines[0];
    assert_eq!(line.osm_node_ids, Some(vec![1, 2, 3]));
    assert_eq!(line.coords.len(), 3);
    assert!((line.coords[2][0] - 7.002).abs() < 1e-9 && (line.coords[2][1] - 43.0).abs() < 1e-9);
    assert_eq!(line.tags["name"], "A");
    assert_eq!(line.source_index, 0);
    let expected: BTreeMap<String, usize> = [
        ("not walkable (highway=motorway)", 1),
        ("not walkable (access=private)", 1),
        ("way with fewer than 2 distinct nodes", 1),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(
        roads.skipped.0, expected,
        "the building way is not a road at all"
    );
}

#[test]
fn ways_with_missing_nodes_are_split_into_located_runs() {
    // Nodes 100 and 101 are not in the file.
    let bytes = grid_nodes(&mut Writer::default())
        .way(
            20,
            &[1, 2, 100, 3, 4, 5, 101, 6, 102],
            &[("highway", "path")],
        )
        .way(21, &[100, 7, 101], &[("highway", "path")])
        .finish();
    let roads = read_roads_osm_pbf("t", &bytes).unwrap();
    let ids: Vec<_> = roads
        .lines
        .iter()
        .map(|l| l.osm_node_ids.clone().unwrap())
        .collect();
    assert_eq!(ids, [vec![1, 2], vec![3, 4, 5]]);
    assert!(roads.lines.iter().all(|l| l.source_index == 0));
    assert_eq!(
        roads.skipped.0["way with missing node locations (split)"],
        1
    );
    // Node 6 of way 20 and node 7 of way 21 are single-node pieces.
    assert_eq!(
        roads.skipped.0["way piece with fewer than 2 node locations (dropped)"],
        2
    );
    assert_eq!(
        roads.skipped.0["way without 2 consecutive node locations"],
        1
    );
}

#[test]
fn out_of_range_node_is_a_feature_error() {
    let bytes = Writer::default()
        .node(1, 7.0, 43.0, &[])
        .node(2, 7.0, 95.0, &[])
        .way(5, &[1], &[("building", "yes")])
        .way(6, &[1, 2], &[("highway", "path")])
        .finish();
    let err = read_roads_osm_pbf("t.pbf", &bytes).unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.pbf: feature 1: node 2 has latitude 95 outside [-90, 90] (lon/lat swapped?)"
    );
}

#[test]
fn corrupt_input_is_a_parse_error_not_a_panic() {
    let good = grid_nodes(&mut Writer::default())
        .way(10, &[1, 2], &[("highway", "path")])
        .finish();
    let mut inputs: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"{\"type\":\"FeatureCollection\"}".to_vec(),
        MONACO[..1000].to_vec(),
        ISLE_OF_MAN[..ISLE_OF_MAN.len() / 2].to_vec(),
        good[..good.len() - 5].to_vec(),
    ];
    // Deterministic garbage, plus bytes flipped inside a valid file.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for len in [3, 4, 16, 100, 5000] {
        inputs.push((0..len).map(|_| next() as u8).collect());
    }
    for _ in 0..200 {
        let mut flipped = good.clone();
        let at = (next() % flipped.len() as u64) as usize;
        flipped[at] ^= 1 << (next() % 8);
        inputs.push(flipped);
    }
    let filter = TagFilter::parse("highway").unwrap();
    for (i, bytes) in inputs.iter().enumerate() {
        // Flipped bits may still decode; what matters is no panic and a typed error otherwise.
        for result in [
            read_roads_osm_pbf("bad.pbf", bytes).map(|_| ()),
            read_points_osm_pbf("bad.pbf", bytes, &filter, &PopulationEstimate::One).map(|_| ()),
        ] {
            if let Err(err) = result {
                assert!(
                    matches!(err, Error::Parse { .. } | Error::Feature { .. }),
                    "input {i}: {err}"
                );
            } else {
                assert!(i >= 10, "input {i} should not decode");
            }
        }
    }
    let err = read_roads_osm_pbf("monaco.osm.pbf", &MONACO[..1000]).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("monaco.osm.pbf: cannot read input: invalid OSM PBF"),
        "{err}"
    );
}

// ---- tag filter ----

#[test]
fn tag_filter_parsing() {
    let filter =
        TagFilter::parse(" amenity = community_centre | library ; building=*,shop ").unwrap();
    assert_eq!(filter.conditions.len(), 3);
    assert_eq!(
        filter.conditions[0].values,
        Some(vec!["community_centre".to_string(), "library".to_string()])
    );
    assert_eq!(filter.conditions[1].values, None);
    assert_eq!(
        filter.to_string(),
        "amenity = community_centre | library ; building=*,shop"
    );
    let pairs = |p: &[(&'static str, &'static str)]| p.to_vec();
    assert!(filter.matches_pairs(pairs(&[("name", "x"), ("shop", "bakery")])));
    assert!(!filter.matches_pairs(pairs(&[("shop", "no")])));
    assert!(!filter.matches_pairs(pairs(&[("building", "no")])));
    assert!(!filter.matches_pairs(pairs(&[("amenity", "school"), ("library", "yes")])));
    assert!(TagFilter::parse("access=no")
        .unwrap()
        .matches_pairs(pairs(&[("access", "no")])));
    for bad in ["", " , ;", "=x", "amenity=", "amenity=a||b"] {
        let err = TagFilter::parse(bad).unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameter { ref name, .. } if name == "tag filter"),
            "{bad}"
        );
    }
}

// ---- points ----

#[test]
fn points_from_nodes_ways_and_relations() {
    let building = [("building", "yes")];
    let bytes = grid_nodes(&mut Writer::default())
        .node(50, 7.5, 43.5, &[("amenity", "library"), ("name", "L")])
        // A closed way (square 1-2-5-4) and an open way.
        .way(
            60,
            &[1, 2, 5, 4, 1],
            &[("building", "yes"), ("building:levels", "3")],
        )
        .way(61, &[7, 8, 9], &[("amenity", "library")])
        // Multipolygon from two halves of the outer ring 1-3-9-7 (members not tagged).
        .way(70, &[1, 2, 3, 6, 9], &[])
        .way(71, &[9, 8, 7, 4, 1], &[])
        .relation(
            80,
            &[(70, "outer"), (71, "")],
            &[("type", "multipolygon"), ("building", "yes")],
        )
        // Broken multipolygon: member 72 is not in the file.
        .relation(
            81,
            &[(72, "outer"), (70, "outer")],
            &[("type", "multipolygon"), ("building", "yes")],
        )
        .relation(
            82,
            &[(73, "outer")],
            &[("type", "multipolygon"), ("building", "yes")],
        )
        .relation(
            83,
            &[(70, "outer")],
            &[("type", "site"), ("building", "yes")],
        )
        .way(62, &[1, 2, 100, 1], &building)
        .finish();
    let filter = TagFilter::parse("amenity=library;building").unwrap();
    let layer = read_points_osm_pbf("t.pbf", &bytes, &filter, &PopulationEstimate::One).unwrap();
    let ids: Vec<_> = layer.points.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        ["node/50", "way/60", "way/61", "relation/80", "relation/81"]
    );
    let node = &layer.points[0];
    assert!((node.lon - 7.5).abs() < 1e-9 && (node.lat - 43.5).abs() < 1e-9);
    assert_eq!(node.population, 1.0);
    assert_eq!(node.properties["name"], "L");
    assert_eq!(node.properties["osm_type"], "node");
    assert_eq!(node.source_index, 9);
    // The square's interior point lies strictly inside it.
    let way = &layer.points[1];
    assert!(way.lon > 7.0 && way.lon < 7.001 && way.lat > 43.0 && way.lat < 43.001);
    // The open way's point is its middle vertex.
    assert!(
        (layer.points[2].lon - 7.001).abs() < 1e-9 && (layer.points[2].lat - 43.002).abs() < 1e-9
    );
    let rel = &layer.points[3];
    assert!(rel.lon > 7.0 && rel.lon < 7.002 && rel.lat > 43.0 && rel.lat < 43.002);
    assert_eq!(rel.properties["osm_type"], "relation");
    // The broken one falls back to the first vertex of its first complete outer way (70).
    assert_eq!((layer.points[4].lon, layer.points[4].lat), (7.0, 43.0));
    let expected: BTreeMap<String, usize> = [
        (NOT_ASSEMBLED, 1),
        ("relation without resolvable outer ways", 1),
        ("relation that is not a multipolygon or boundary", 1),
        ("way with missing node locations", 1),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(layer.skipped.0, expected);
}

#[test]
fn multipolygon_holes_and_floor_area_population() {
    // A 3x3-node grid with 0.001° spacing; outer ring 1-3-9-7, and a hole that cannot be
    // assembled from one open way is ignored.
    let bytes = grid_nodes(&mut Writer::default())
        .node(20, 7.0005, 43.0005, &[("building", "yes")])
        .way(70, &[1, 3, 9, 7, 1], &[])
        .relation(
            80,
            &[(70, "outer")],
            &[
                ("type", "multipolygon"),
                ("building", "yes"),
                ("building:levels", "2;3"),
            ],
        )
        .way(
            60,
            &[1, 2, 5, 4, 1],
            &[("building", "yes"), ("building:levels", "3 floors")],
        )
        .way(61, &[1, 2, 3], &[("building", "roof")])
        .finish();
    let filter = TagFilter::parse("building").unwrap();
    let estimate = PopulationEstimate::FloorArea {
        m2_per_person: 30.0,
    };
    let layer = read_points_osm_pbf("t", &bytes, &filter, &estimate).unwrap();
    let by_id: BTreeMap<&str, f64> = layer
        .points
        .iter()
        .map(|p| (p.id.as_str(), p.population))
        .collect();
    // One 0.001° cell at 43° N: 111.2 m × 81.3 m ≈ 9,045 m².
    let square_m2 = |size: f64| {
        geo::Polygon::new(
            geo::LineString::from(vec![
                (7.0, 43.0),
                (7.0 + size, 43.0),
                (7.0 + size, 43.0 + size),
                (7.0, 43.0 + size),
            ]),
            vec![],
        )
        .geodesic_area_unsigned()
    };
    let cell_m2 = square_m2(0.001);
    assert!((cell_m2 - 9045.0).abs() < 20.0, "{cell_m2}");
    let round2 = |x: f64| (x * 100.0).round() / 100.0;
    assert_eq!(by_id["way/60"], round2(cell_m2 * 3.0 / 30.0));
    assert_eq!(by_id["relation/80"], round2(square_m2(0.002) * 2.0 / 30.0));
    assert_eq!(by_id["node/20"], 1.0);
    assert_eq!(by_id["way/61"], 1.0);
    assert_eq!(layer.skipped.0[NO_FOOTPRINT], 2);

    let bad = PopulationEstimate::FloorArea { m2_per_person: 0.0 };
    assert!(matches!(
        read_points_osm_pbf("t", &bytes, &filter, &bad),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn ring_assembly() {
    assert_eq!(
        assemble_rings(vec![vec![1, 2, 3], vec![1, 4, 3]]),
        Some(vec![vec![1, 2, 3, 4, 1]])
    );
    assert_eq!(
        assemble_rings(vec![vec![1, 2, 3, 1], vec![5, 6], vec![5, 7, 6]]),
        Some(vec![vec![1, 2, 3, 1], vec![5, 6, 7, 5]])
    );
    assert_eq!(assemble_rings(vec![vec![1, 2, 3]]), None);
    assert_eq!(assemble_rings(vec![vec![1, 2, 1]]), None);
}

#[test]
fn population_from_tag() {
    let bytes = Writer::default()
        .node(1, 7.0, 43.0, &[("place", "house"), ("population", "12")])
        .node(2, 7.0, 43.0, &[("place", "house"), ("population", "many")])
        .node(3, 7.0, 43.0, &[("place", "house")])
        .finish();
    let filter = TagFilter::parse("place").unwrap();
    let estimate = PopulationEstimate::FromTag {
        key: "population".into(),
    };
    let layer = read_points_osm_pbf("t", &bytes, &filter, &estimate).unwrap();
    let pops: Vec<f64> = layer.points.iter().map(|p| p.population).collect();
    assert_eq!(pops, [12.0, 1.0, 1.0]);
    assert_eq!(
        layer.skipped.0["defaulted: `population` tag missing or not a number (counted 1)"],
        2
    );
}

#[test]
fn leading_numbers() {
    assert_eq!(leading_number("3"), Some(3.0));
    assert_eq!(leading_number(" 2.5 "), Some(2.5));
    assert_eq!(leading_number("4;5"), Some(4.0));
    assert_eq!(leading_number("many"), None);
}

// ---- real extracts (see data/README.md) ----

/// Walkable-way counts here follow the coverage contract (`docs/coverage-contract.md`), which differs from the data README's
/// definition: the README also drops `area=yes` and the highway values rest_area, services,
/// escape, razed and disused, which §3 keeps.
fn distinct_ways(roads: &RoadLayer) -> usize {
    let mut ways: Vec<usize> = roads.lines.iter().map(|l| l.source_index).collect();
    ways.dedup();
    ways.len()
}

fn readme_walkable(tags: &BTreeMap<String, String>) -> bool {
    let extra = ["rest_area", "services", "escape", "razed", "disused"];
    is_walkable(tags).is_ok()
        && !extra.contains(&tags["highway"].as_str())
        && tags.get("area").map(String::as_str) != Some("yes")
}

#[test]
fn monaco_roads() {
    let roads = read_roads_osm_pbf("monaco.osm.pbf", MONACO).unwrap();
    // Ways are complete, so every walkable way is one line.
    assert_eq!(roads.lines.len(), distinct_ways(&roads));
    let not_walkable: usize = roads
        .skipped
        .0
        .iter()
        .filter(|(k, _)| k.starts_with("not walkable"))
        .map(|(_, v)| v)
        .sum();
    assert_eq!(
        roads.lines.len() + not_walkable,
        2852,
        "README: 2,852 highway ways"
    );
    let readme = roads
        .lines
        .iter()
        .filter(|l| readme_walkable(&l.tags))
        .count();
    assert_eq!(readme, 2696, "README: 2,696 walkable");
    assert_eq!(roads.lines.len(), 2852 - not_walkable);
    assert!(roads
        .lines
        .iter()
        .all(|l| l.coords.len() >= 2
            && l.osm_node_ids.as_ref().map(Vec::len) == Some(l.coords.len())));
}

#[test]
fn helsinki_roads_cope_with_missing_nodes() {
    let roads = read_roads_osm_pbf("helsinki_center.osm.pbf", HELSINKI).unwrap();
    let readme = roads.lines.iter().filter(|l| readme_walkable(&l.tags));
    let mut readme_ways: Vec<usize> = readme.map(|l| l.source_index).collect();
    readme_ways.dedup();
    let split = roads.skipped.0["way with missing node locations (split)"];
    let lost = roads
        .skipped
        .0
        .get("way without 2 consecutive node locations")
        .copied()
        .unwrap_or(0);
    // README: 2,650 highway ways, 2,529 walkable by its rule, 191 with missing nodes.
    let not_walkable: usize = roads
        .skipped
        .0
        .iter()
        .filter(|(k, _)| k.starts_with("not walkable"))
        .map(|(_, v)| v)
        .sum();
    assert_eq!(distinct_ways(&roads) + lost + not_walkable, 2650);
    // 2,582 highway ways pass our rule (README: 2,529 by its stricter one). Of the README's
    // 191 highway ways with missing nodes, 184 are walkable here: 113 keep located runs and
    // 71 keep none.
    assert_eq!((distinct_ways(&roads), roads.lines.len()), (2511, 2518));
    assert_eq!((split, lost), (113, 71));
    assert_eq!(
        roads.skipped.0["way piece with fewer than 2 node locations (dropped)"],
        72
    );
    assert_eq!(readme_ways.len(), 2460);
    assert!(roads.lines.iter().all(|l| l.coords.len() >= 2));
}

#[test]
fn isle_of_man_roads_and_pois() {
    let roads = read_roads_osm_pbf("isle_of_man.osm.pbf", ISLE_OF_MAN).unwrap();
    assert_eq!(
        roads.lines.len(),
        distinct_ways(&roads),
        "ways are complete"
    );
    let not_walkable: usize = roads
        .skipped
        .0
        .iter()
        .filter(|(k, _)| k.starts_with("not walkable"))
        .map(|(_, v)| v)
        .sum();
    assert_eq!(
        roads.lines.len() + not_walkable,
        9219,
        "README: 9,219 highway ways"
    );
    let readme = roads
        .lines
        .iter()
        .filter(|l| readme_walkable(&l.tags))
        .count();
    assert_eq!(readme, 8978, "README: 8,978 walkable");

    let community = TagFilter::parse("amenity=community_centre").unwrap();
    let centres =
        read_points_osm_pbf("iom", ISLE_OF_MAN, &community, &PopulationEstimate::One).unwrap();
    assert_eq!(centres.points.len(), 12, "README: 12 community_centre");
    assert_eq!(centres.skipped.total(), 0);

    let buildings = TagFilter::parse("building").unwrap();
    let estimate = PopulationEstimate::FloorArea {
        m2_per_person: 40.0,
    };
    let layer = read_points_osm_pbf("iom", ISLE_OF_MAN, &buildings, &estimate).unwrap();
    let count = |osm_type: &str| {
        layer
            .points
            .iter()
            .filter(|p| p.properties["osm_type"] == osm_type)
            .count()
    };
    let skipped_areas: usize = layer
        .skipped
        .0
        .iter()
        .filter(|(k, _)| !k.starts_with("defaulted:") && k.as_str() != NOT_ASSEMBLED)
        .map(|(_, v)| v)
        .sum();
    assert_eq!(
        count("way") + count("relation") + skipped_areas,
        12_169,
        "README: 12,169"
    );
    assert_eq!(count("node"), 34, "README: 34 building nodes");
    // Ring winding must not matter: the largest building is a plausible size.
    let largest = layer
        .points
        .iter()
        .map(|p| p.population)
        .fold(0.0, f64::max);
    assert!(largest > 10.0 && largest < 5_000.0, "{largest}");
}

/// Fuzzing regression (`fuzz/`, target `osm_pbf`): a corrupt dense-node block whose
/// coordinates overflow `i64` inside the decoder, which multiplies without checking. With
/// overflow checks on (debug builds, fuzzing) the decoder panics and the reader must turn
/// that into a parse error; without them the values wrap and are range-checked like any
/// other coordinate. Either way: no panic reaches the caller.
#[test]
fn fuzz_regression_dense_node_coordinate_overflow_is_not_a_panic() {
    let bytes = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/fuzz_dense_node_overflow.osm.pbf"
    ));
    let filter = TagFilter::parse("building, amenity=townhall|library").unwrap();
    let roads = read_roads_osm_pbf("crash.osm.pbf", bytes).map(|_| ());
    let points =
        read_points_osm_pbf("crash.osm.pbf", bytes, &filter, &PopulationEstimate::One).map(|_| ());
    for result in [&roads, &points] {
        if let Err(e) = result {
            assert!(
                matches!(e, Error::Parse { .. } | Error::Feature { .. }),
                "{e}"
            );
        }
    }
    if cfg!(debug_assertions) {
        let err = roads.unwrap_err().to_string();
        assert!(
            err.starts_with("crash.osm.pbf: cannot read input: invalid OSM PBF"),
            "{err}"
        );
    }
}

// ---- one pass for several layers ----

/// Reads roads and two point layers in one pass and checks each against its own reader.
fn assert_one_pass_equals_separate_readers(label: &str, bytes: &[u8]) {
    let queries = [
        OsmPointQuery {
            layer: label.to_string(),
            filter: TagFilter::parse("amenity=community_centre|library|townhall|school").unwrap(),
            population: PopulationEstimate::One,
        },
        OsmPointQuery {
            layer: label.to_string(),
            filter: TagFilter::parse("building").unwrap(),
            population: PopulationEstimate::FloorArea {
                m2_per_person: 40.0,
            },
        },
    ];
    let limits = InputLimits::default();
    let layers = read_osm_pbf_layers(bytes, Some(label), &queries, &limits).unwrap();
    let roads = read_roads_osm_pbf(label, bytes).unwrap();
    let one_pass_roads = layers.roads.unwrap();
    assert!(!roads.lines.is_empty(), "{label}");
    assert_eq!(one_pass_roads.lines, roads.lines, "{label}");
    assert_eq!(one_pass_roads.skipped, roads.skipped, "{label}");
    assert_eq!(layers.points.len(), 2);
    for (query, points) in queries.iter().zip(&layers.points) {
        let alone = read_points_osm_pbf(label, bytes, &query.filter, &query.population).unwrap();
        assert_eq!(points.points, alone.points, "{label} [{}]", query.filter);
        assert_eq!(points.skipped, alone.skipped, "{label} [{}]", query.filter);
    }
    // Points only: the same layers without the roads.
    let points_only = read_osm_pbf_layers(bytes, None, &queries, &limits).unwrap();
    assert!(points_only.roads.is_none());
    for (a, b) in points_only.points.iter().zip(&layers.points) {
        assert_eq!(a.points, b.points);
        assert_eq!(a.skipped, b.skipped);
    }
}

#[test]
fn one_pass_equals_separate_readers_on_bundled_extracts() {
    assert_one_pass_equals_separate_readers("monaco.osm.pbf", MONACO);
    assert_one_pass_equals_separate_readers("helsinki_center.osm.pbf", HELSINKI);
    assert_one_pass_equals_separate_readers("isle_of_man.osm.pbf", ISLE_OF_MAN);
}

#[test]
fn one_pass_with_no_layers_reads_nothing() {
    let layers = read_osm_pbf_layers(b"not a pbf", None, &[], &InputLimits::default()).unwrap();
    assert!(layers.roads.is_none() && layers.points.is_empty());
}

#[test]
fn unsorted_and_repeated_nodes_resolve_as_in_file_order() {
    // Node 2 appears twice (the later location wins) and ids are out of order.
    let bytes = Writer::default()
        .node(3, 7.002, 43.0, &[])
        .node(2, 9.0, 9.0, &[])
        .node(1, 7.0, 43.0, &[])
        .node(2, 7.001, 43.0, &[])
        .way(10, &[1, 2, 3], &[("highway", "path")])
        .finish();
    let roads = read_roads_osm_pbf("t", &bytes).unwrap();
    assert_eq!(roads.lines.len(), 1);
    assert!((roads.lines[0].coords[1][0] - 7.001).abs() < 1e-12);
}

fn node_errors_pbf() -> Vec<u8> {
    // Node 2 is out of range; the footway uses nodes 1, 3 and the building uses node 2.
    Writer::default()
        .node(1, 7.0, 43.0, &[])
        .node(2, 7.0, 95.0, &[])
        .node(3, 7.001, 43.0, &[])
        .node(4, 7.001, 43.001, &[])
        .way(5, &[1, 3], &[("highway", "footway")])
        .way(6, &[1, 2, 4, 1], &[("building", "yes")])
        .way(7, &[3, 2], &[("highway", "path")])
        .finish()
}

#[test]
fn an_error_in_one_layer_names_that_layer_and_feature() {
    let bytes = node_errors_pbf();
    let limits = InputLimits::default();
    let query = |layer: &str, filter: &str| OsmPointQuery {
        layer: layer.to_string(),
        filter: TagFilter::parse(filter).unwrap(),
        population: PopulationEstimate::One,
    };
    // The building (element 5: four nodes, then ways 5 and 6) fails; the roads would too,
    // but a point layer alone names itself.
    let err = read_osm_pbf_layers(&bytes, None, &[query("p.pbf", "building")], &limits)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "p.pbf: feature 5: node 2 has latitude 95 outside [-90, 90] (lon/lat swapped?)"
    );
    // Roads come first: their error (way 7 is the file's third way, index 2) wins, as it
    // would when the roads reader runs before the points reader.
    let err = read_osm_pbf_layers(
        &bytes,
        Some("r.pbf"),
        &[query("p.pbf", "building")],
        &limits,
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "r.pbf: feature 2: node 2 has latitude 95 outside [-90, 90] (lon/lat swapped?)"
    );
    assert_eq!(
        err,
        read_roads_osm_pbf("r.pbf", &bytes).unwrap_err().to_string()
    );
    // A layer that does not touch the bad node reads fine next to one that fails.
    let fine = query("c.pbf", "highway=footway");
    let err = read_osm_pbf_layers(
        &bytes,
        None,
        &[fine.clone(), query("p.pbf", "building")],
        &limits,
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("p.pbf: feature 5: node 2"), "{err}");
    let layers = read_osm_pbf_layers(&bytes, None, &[fine], &limits).unwrap();
    assert_eq!(layers.points[0].points.len(), 1);
    // A non-positive area per person names the parameter before any decoding.
    let mut bad = query("p.pbf", "building");
    bad.population = PopulationEstimate::FloorArea { m2_per_person: 0.0 };
    let err = read_osm_pbf_layers(b"", Some("r.pbf"), &[bad], &limits).unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { .. }), "{err}");
}

#[test]
fn an_undecodable_file_is_named_by_the_first_layer() {
    let query = OsmPointQuery {
        layer: "p.pbf".to_string(),
        filter: TagFilter::parse("building").unwrap(),
        population: PopulationEstimate::One,
    };
    let limits = InputLimits::default();
    let bad = &MONACO[..1000];
    let err = read_osm_pbf_layers(bad, Some("r.pbf"), std::slice::from_ref(&query), &limits)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("r.pbf: cannot read input: invalid OSM PBF"),
        "{err}"
    );
    let err = read_osm_pbf_layers(bad, None, &[query], &limits)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("p.pbf: cannot read input: invalid OSM PBF"),
        "{err}"
    );
}

#[test]
fn feature_limits_apply_per_layer() {
    let bytes = node_errors_pbf();
    let limits = InputLimits {
        max_features: 1,
        ..InputLimits::default()
    };
    let query = OsmPointQuery {
        layer: "p.pbf".to_string(),
        filter: TagFilter::parse("highway").unwrap(),
        population: PopulationEstimate::One,
    };
    let err = read_osm_pbf_layers(&bytes, None, &[query], &limits).unwrap_err();
    assert!(
        matches!(&err, Error::TooLarge { layer, .. } if layer == "p.pbf"),
        "{err}"
    );
}
