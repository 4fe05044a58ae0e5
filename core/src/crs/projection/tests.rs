//! Checked against PROJ 9.1.1 (`cs2cs`, Debian) and GDAL 3.6.2's WKT texts.

use super::*;

/// `(lon, lat, code, easting, northing)`: PROJ's forward conversion, from
/// `echo "LON LAT" | cs2cs -f %.4f OGC:CRS84 EPSG:CODE` (OGC:CRS84 is lon/lat order; for
/// the Gauss–Krüger codes cs2cs prints northing first, swapped here to easting first).
const PROJ_REFERENCE: [(f64, f64, u32, f64, f64); 16] = [
    // Wuhan: CGCS2000 3° GK CM 114E, zone 38 with prefix, 6° zone 20 with and without
    // prefix, UTM 50N, Web Mercator.
    (114.30, 30.59, 4547, 528773.1917, 3385557.6179),
    (114.30, 30.59, 4526, 38528773.1917, 3385557.6179),
    (114.30, 30.59, 4498, 20240995.2995, 3388626.3131),
    (114.30, 30.59, 4509, 240995.2995, 3388626.3131),
    (114.30, 30.59, 32650, 241098.9014, 3387270.8627),
    (114.30, 30.59, 3857, 12723817.7977, 3579616.5304),
    // Kashgar: the first zones of each CGCS2000 family (CM 75E).
    (75.5, 39.47, 4513, 25543025.2981, 4370802.7097),
    (75.5, 39.47, 4534, 543025.2981, 4370802.7097),
    (75.5, 39.47, 4491, 13543025.2981, 4370802.7097),
    (75.5, 39.47, 4502, 543025.2981, 4370802.7097),
    // Isle of Man: UTM 30N on WGS84 and ETRS89; British National Grid.
    (-4.48, 54.15, 32630, 403339.1411, 6001222.9471),
    (-4.48, 54.15, 25830, 403339.1411, 6001222.9470),
    (-4.48, 54.15, 27700, 238130.8694, 475528.8546),
    // Helsinki: ETRS-TM35FIN, Web Mercator far north; Sydney: UTM 56S.
    (24.94, 60.17, 3067, 385700.4214, 6672126.7430),
    (24.94, 60.17, 3857, 2776308.1004, 8437684.1610),
    (151.21, -33.87, 32756, 334435.7061, 6250816.3978),
];

/// Forward and inverse agreement with PROJ, metres: 1 mm, except British National Grid,
/// whose Helmert shift (`+towgs84`, as in PROJ's EPSG table) lands 3 mm from PROJ's own
/// choice without grid files (EPSG's "OSGB36 to WGS 84 (6)"); the real OSTN15 grid differs
/// from either by up to a few metres.
fn tolerance_m(code: u32) -> f64 {
    if code == 27700 {
        0.05
    } else {
        1e-3
    }
}

/// Metres per degree of latitude, for comparing degrees in metres.
const M_PER_DEG: f64 = 111_320.0;
const ESRI_4547: &str = r#"PROJCS["CGCS2000_3_Degree_GK_CM_114E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
const ESRI_32650: &str = r#"PROJCS["WGS_1984_UTM_Zone_50N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
const ESRI_3857: &str = r#"PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]"#;
const ESRI_27700: &str = r#"PROJCS["British_National_Grid",GEOGCS["GCS_OSGB_1936",DATUM["D_OSGB_1936",SPHEROID["Airy_1830",6377563.396,299.3249646]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",400000.0],PARAMETER["False_Northing",-100000.0],PARAMETER["Central_Meridian",-2.0],PARAMETER["Scale_Factor",0.9996012717],PARAMETER["Latitude_Of_Origin",49.0],UNIT["Meter",1.0]]"#;
const ESRI_4490: &str = r#"GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
const WKT1_32650: &str = r#"PROJCS["WGS 84 / UTM zone 50N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",117],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","32650"]]"#;
const WKT2_3857: &str = r#"PROJCRS["WGS 84 / Pseudo-Mercator",BASEGEOGCRS["WGS 84",ENSEMBLE["World Geodetic System 1984 ensemble",MEMBER["World Geodetic System 1984 (Transit)"],MEMBER["World Geodetic System 1984 (G730)"],MEMBER["World Geodetic System 1984 (G873)"],MEMBER["World Geodetic System 1984 (G1150)"],MEMBER["World Geodetic System 1984 (G1674)"],MEMBER["World Geodetic System 1984 (G1762)"],MEMBER["World Geodetic System 1984 (G2139)"],ELLIPSOID["WGS 84",6378137,298.257223563,LENGTHUNIT["metre",1]],ENSEMBLEACCURACY[2.0]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],ID["EPSG",4326]],CONVERSION["Popular Visualisation Pseudo-Mercator",METHOD["Popular Visualisation Pseudo Mercator",ID["EPSG",1024]],PARAMETER["Latitude of natural origin",0,ANGLEUNIT["degree",0.0174532925199433],ID["EPSG",8801]],PARAMETER["Longitude of natural origin",0,ANGLEUNIT["degree",0.0174532925199433],ID["EPSG",8802]],PARAMETER["False easting",0,LENGTHUNIT["metre",1],ID["EPSG",8806]],PARAMETER["False northing",0,LENGTHUNIT["metre",1],ID["EPSG",8807]]],CS[Cartesian,2],AXIS["easting (X)",east,ORDER[1],LENGTHUNIT["metre",1]],AXIS["northing (Y)",north,ORDER[2],LENGTHUNIT["metre",1]],USAGE[SCOPE["Web mapping and visualisation."],AREA["World between 85.06°S and 85.06°N."],BBOX[-85.06,-180,85.06,180]],ID["EPSG",3857]]"#;
const PROJJSON_4326: &str = r#"{"$schema": "https://proj.org/schemas/v0.5/projjson.schema.json", "type": "GeographicCRS", "name": "WGS 84", "datum_ensemble": {"name": "World Geodetic System 1984 ensemble", "members": [{"name": "World Geodetic System 1984 (Transit)", "id": {"authority": "EPSG", "code": 1166}}, {"name": "World Geodetic System 1984 (G730)", "id": {"authority": "EPSG", "code": 1152}}, {"name": "World Geodetic System 1984 (G873)", "id": {"authority": "EPSG", "code": 1153}}, {"name": "World Geodetic System 1984 (G1150)", "id": {"authority": "EPSG", "code": 1154}}, {"name": "World Geodetic System 1984 (G1674)", "id": {"authority": "EPSG", "code": 1155}}, {"name": "World Geodetic System 1984 (G1762)", "id": {"authority": "EPSG", "code": 1156}}, {"name": "World Geodetic System 1984 (G2139)", "id": {"authority": "EPSG", "code": 1309}}], "ellipsoid": {"name": "WGS 84", "semi_major_axis": 6378137, "inverse_flattening": 298.257223563}, "accuracy": "2.0", "id": {"authority": "EPSG", "code": 6326}}, "coordinate_system": {"subtype": "ellipsoidal", "axis": [{"name": "Geodetic latitude", "abbreviation": "Lat", "direction": "north", "unit": "degree"}, {"name": "Geodetic longitude", "abbreviation": "Lon", "direction": "east", "unit": "degree"}]}, "scope": "Horizontal component of 3D system.", "area": "World.", "bbox": {"south_latitude": -90, "west_longitude": -180, "north_latitude": 90, "east_longitude": 180}, "id": {"authority": "EPSG", "code": 4326}}"#;

#[test]
fn forward_and_inverse_agree_with_proj() {
    for (lon, lat, code, e, n) in PROJ_REFERENCE {
        let p = Projection::from_epsg(code).unwrap();
        assert!(!p.is_wgs84(), "EPSG:{code}");
        let tol = tolerance_m(code);
        let [x, y] = p.from_wgs84([lon, lat]).unwrap();
        assert!(
            (x - e).abs() < tol && (y - n).abs() < tol,
            "EPSG:{code} forward: ({x:.4}, {y:.4}) vs PROJ ({e}, {n})"
        );
        let [lon2, lat2] = p.to_wgs84([e, n]).unwrap();
        let dx_m = (lon2 - lon).abs() * M_PER_DEG * lat.to_radians().cos();
        let dy_m = (lat2 - lat).abs() * M_PER_DEG;
        assert!(
            dx_m < tol && dy_m < tol,
            "EPSG:{code} inverse: ({lon2}, {lat2})"
        );
        // Round trip through our own conversion: 1e-9° without a datum shift; the
        // Helmert shift's iterative geocentric inverse (proj4rs) stops near 1e-8° (1 mm).
        let round_trip_deg = if code == 27700 { 2e-8 } else { 1e-9 };
        let [lon3, lat3] = p.to_wgs84([x, y]).unwrap();
        assert!(
            (lon3 - lon).abs() < round_trip_deg && (lat3 - lat).abs() < round_trip_deg,
            "EPSG:{code} round trip: ({lon3}, {lat3})"
        );
    }
}

#[test]
fn wgs84_equivalents_change_nothing() {
    for text in [
        "EPSG:4326",
        "epsg:4490",
        "OGC:CRS84",
        "CRS84",
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "urn:ogc:def:crs:EPSG::4326",
        "+proj=longlat +datum=WGS84 +no_defs",
        "+proj=longlat +ellps=GRS80 +no_defs",
        "EPSG:4258", // ETRS89 geographic
        ESRI_4490,
        PROJJSON_4326,
    ] {
        let p = Projection::parse(text).unwrap();
        assert!(p.is_wgs84(), "{text}: {p:?}");
        assert_eq!(p.to_wgs84([114.3, 30.59]).unwrap(), [114.3, 30.59]);
    }
    assert_eq!(Projection::parse("CRS84").unwrap().name(), "OGC:CRS84");
    assert_eq!(
        Projection::parse(PROJJSON_4326).unwrap().name(),
        "EPSG:4326"
    );
    // A geographic system on another datum is converted (Beijing 1954: +towgs84).
    let beijing = Projection::from_epsg(4214).unwrap();
    assert!(!beijing.is_wgs84());
    let [lon, lat] = beijing.to_wgs84([114.3, 30.59]).unwrap();
    assert!(
        (lon - 114.3).abs() > 1e-5 && (lon - 114.3).abs() < 0.01,
        "{lon} {lat}"
    );
}

#[test]
fn parse_forms_and_names() {
    let urn = Projection::parse("urn:ogc:def:crs:EPSG::32650").unwrap();
    assert_eq!(urn.name(), "EPSG:32650");
    for text in [
        " epsg:32650 ",
        "EPSG::32650",
        "urn:ogc:def:crs:EPSG:9.8.1:32650",
        "http://www.opengis.net/def/crs/EPSG/0/32650",
        "+proj=utm +zone=50 +datum=WGS84 +units=m +no_defs +type=crs",
        WKT1_32650,
        ESRI_32650,
    ] {
        let p = Projection::parse(text).unwrap();
        let [x, y] = p.from_wgs84([114.30, 30.59]).unwrap();
        assert!(
            (x - 241098.9014).abs() < 1e-3 && (y - 3387270.8627).abs() < 1e-3,
            "{text}: {x} {y}"
        );
    }
    assert_eq!(Projection::parse(WKT1_32650).unwrap().name(), "EPSG:32650");
    assert_eq!(
        Projection::parse(ESRI_32650).unwrap().name(),
        "WGS_1984_UTM_Zone_50N"
    );
    assert_eq!(
        Projection::parse("+proj=utm  +zone=50\t+datum=WGS84")
            .unwrap()
            .name(),
        "+proj=utm +zone=50 +datum=WGS84"
    );
}

#[test]
fn wkt_texts_gdal_writes_match_their_epsg_codes() {
    // `gdalsrsinfo --single-line -o wkt_esri|wkt1|wkt2 EPSG:CODE`.
    let wkt2_without_id = WKT2_3857
        .strip_suffix(r#",ID["EPSG",3857]]"#)
        .unwrap()
        .to_string()
        + "]";
    let cases: [(&str, u32, [f64; 2]); 6] = [
        (ESRI_4547, 4547, [114.30, 30.59]),
        (ESRI_32650, 32650, [114.30, 30.59]),
        (ESRI_3857, 3857, [24.94, 60.17]),
        (ESRI_27700, 27700, [-4.48, 54.15]),
        (WKT2_3857, 3857, [114.30, 30.59]),
        (&wkt2_without_id, 3857, [-70.0, -50.0]),
    ];
    for (text, code, lonlat) in cases {
        let from_wkt = Projection::parse(text).unwrap();
        let from_code = Projection::from_epsg(code).unwrap();
        let a = from_wkt.from_wgs84(lonlat).unwrap();
        let b = from_code.from_wgs84(lonlat).unwrap();
        assert!(
            (a[0] - b[0]).abs() < 1e-3 && (a[1] - b[1]).abs() < 1e-3,
            "{} vs EPSG:{code}: {a:?} {b:?}",
            from_wkt.name()
        );
    }
    assert_eq!(
        Projection::parse(ESRI_4547).unwrap().name(),
        "CGCS2000_3_Degree_GK_CM_114E"
    );
    assert_eq!(Projection::parse(WKT2_3857).unwrap().name(), "EPSG:3857");
}

#[test]
fn refusals_say_what_is_wrong() {
    let reason = |text: &str| match Projection::parse(text).unwrap_err() {
        Error::InvalidParameter { name, reason } => {
            assert_eq!(name, "crs");
            reason
        }
        e => panic!("{e}"),
    };
    assert!(reason("4547").contains("write EPSG:4547"));
    assert!(reason("EPSG:99999").contains("EPSG:99999 is not among"));
    assert!(reason("EPSG:abc").contains("EPSG code number"));
    assert!(reason("utm50").contains("expected EPSG:NNNN"));
    assert!(reason("").contains("unknown coordinate system"));
    // NAD27 and NZGD49 need grid files.
    assert!(
        reason("EPSG:26717").contains("grid shift file"),
        "{}",
        reason("EPSG:26717")
    );
    assert!(reason("EPSG:27200").contains("nzgd2kgrid0005.gsb"));
    assert!(reason("+proj=tmerc +nadgrids=ntv2_0.gsb").contains("ntv2_0.gsb"));
    assert!(reason("+proj=nonesuch").contains("cannot use the definition"));
    assert!(reason("+proj=geocent +datum=WGS84").contains("geocentric"));
    assert!(reason("PROJCS[\"x\"").contains("not well-formed WKT"));
    assert!(reason(r#"{"type":"GeographicCRS","name":"mine"}"#).contains("has no `id`"));
    assert!(
        reason(r#"{"name":"n","id":{"authority":"ESRI","code":102100}}"#).contains("ESRI:102100")
    );
    assert!(reason("{not json").contains("not valid PROJJSON"));
    // A WKT datum with no known shift to WGS84.
    let xian = r#"PROJCS["Xian_1980_3_Degree_GK_CM_114E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    let r = reason(xian);
    assert!(r.contains("D_Xian_1980") && r.contains("EPSG code"), "{r}");
}

#[test]
fn coordinates_outside_are_errors_naming_them() {
    let utm = Projection::from_epsg(32650).unwrap();
    let e = utm.to_wgs84([f64::NAN, 1.0]).unwrap_err();
    assert!(e.contains("(NaN, 1)"), "{e}");
    let e = utm.from_wgs84([500.0, 30.0]).unwrap_err();
    assert!(e.contains("(500, 30)") && e.contains("EPSG:32650"), "{e}");
    let merc = Projection::from_epsg(3857).unwrap();
    let e = merc.from_wgs84([0.0, 90.0]).unwrap_err();
    assert!(e.contains("(0, 90)"), "{e}");
    // Far-off values never panic; they either convert or say why not.
    for xy in [[1e30, 1e30], [-1e12, 5.0], [0.0, 1e9]] {
        if let Ok(lonlat) = utm.to_wgs84(xy) {
            assert!(lonlat.iter().all(|v| v.is_finite()));
        }
    }
}
