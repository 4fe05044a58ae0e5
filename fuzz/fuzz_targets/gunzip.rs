//! Gzip detection and decompression with a size limit on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lifecircle::input::{maybe_gunzip_with_limits, InputLimits};

fuzz_target!(|data: &[u8]| {
    let limits = InputLimits {
        max_bytes: 1 << 20,
        max_features: 1,
    };
    if let Ok(bytes) = maybe_gunzip_with_limits("fuzz.gz", data, &limits) {
        assert!(bytes.len() as u64 <= limits.max_bytes);
    }
});
