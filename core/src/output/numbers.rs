//! Numbers as a reader expects them: thousands grouped, fixed decimals.

/// `x` with its thousands grouped by commas (both English and Chinese usage), no
/// decimals for a whole number and one otherwise: `208,000`, `1,234.5`, `-12`.
///
/// ```
/// use lifecircle::output::grouped;
/// assert_eq!(grouped(1_234_567.0), "1,234,567");
/// assert_eq!(grouped(1234.46), "1,234.5");
/// assert_eq!(grouped(-999.0), "-999");
/// ```
pub fn grouped(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let whole = (x - x.round()).abs() < 1e-9;
    let text = if whole {
        format!("{:.0}", x.round())
    } else {
        format!("{x:.1}")
    };
    let (sign, digits) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |d| ("-", d));
    let (int, frac) = digits.split_once('.').map_or((digits, ""), |(i, f)| (i, f));
    let mut out = String::with_capacity(text.len() + int.len() / 3);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_three_from_the_right() {
        for (x, want) in [
            (0.0, "0"),
            (7.0, "7"),
            (999.0, "999"),
            (1000.0, "1,000"),
            (12_203.0, "12,203"),
            (208_000.0, "208,000"),
            (1_400_000_000.0, "1,400,000,000"),
            (999.96, "1,000.0"),
            (0.25, "0.2"),
            (-1234.0, "-1,234"),
            (f64::INFINITY, "inf"),
        ] {
            assert_eq!(grouped(x), want, "{x}");
        }
    }
}
