//! Go's time layouts for the profile's time.

/// `nanos` in the local zone with its zone abbreviation, or `None` when
/// out of range.
fn local(nanos: i64) -> Option<(jiff::Zoned, String)> {
    let ts = jiff::Timestamp::from_nanosecond(nanos as i128).ok()?;
    let zoned = ts.to_zoned(jiff::tz::TimeZone::system());
    let abbrev = zoned
        .time_zone()
        .to_offset_info(ts)
        .abbreviation()
        .to_string();
    Some((zoned, abbrev))
}

/// The profile time in the local zone, as Go's `2006-01-02 15:04:05 MST`
/// (the current pprof's `Time:` line).
pub fn format_time(nanos: i64) -> String {
    let Some((zoned, abbrev)) = local(nanos) else {
        return nanos.to_string();
    };
    format!("{} {abbrev}", zoned.strftime("%Y-%m-%d %H:%M:%S"))
}

/// Go's `time.Time.String` of the profile's time in the local zone:
/// `2006-01-02 15:04:05.999999999 -0700 MST` (the fraction without
/// trailing zeros).
pub fn format_time_exact(nanos: i64) -> String {
    let Some((zoned, abbrev)) = local(nanos) else {
        return nanos.to_string();
    };
    let (frac, _) = fraction(zoned.subsec_nanosecond().unsigned_abs().into(), 9);
    format!(
        "{}{frac} {} {abbrev}",
        zoned.strftime("%Y-%m-%d %H:%M:%S"),
        zoned.strftime("%z")
    )
}

/// `u / 10^prec` as Go prints fractions: `.5`, `.012`, nothing for none
/// (trailing zeros dropped); and the integer part.
fn fraction(u: u64, prec: u32) -> (String, u64) {
    let div = 10u64.pow(prec);
    let digits = format!("{:0width$}", u % div, width = prec as usize);
    let digits = digits.trim_end_matches('0');
    let s = if digits.is_empty() {
        String::new()
    } else {
        format!(".{digits}")
    };
    (s, u / div)
}

/// Go's `time.Duration.String`: `1h2m3.5s`, `1.5s`, `250ms`, `1.2µs`,
/// `0s`.
pub fn format_duration(nanos: i64) -> String {
    let neg = nanos < 0;
    let mut u = nanos.unsigned_abs();
    let mut out = String::new();
    if u < 1_000_000_000 {
        let (unit, prec) = match u {
            0 => return "0s".to_string(),
            1..=999 => ("ns", 0),
            1_000..=999_999 => ("µs", 3),
            _ => ("ms", 6),
        };
        let (f, whole) = fraction(u, prec);
        out.push_str(&format!("{whole}{f}{unit}"));
    } else {
        let (f, secs) = fraction(u, 9);
        u = secs;
        let s = format!("{}{f}s", u % 60);
        u /= 60;
        if u > 0 {
            let m = format!("{}m", u % 60);
            u /= 60;
            if u > 0 {
                out.push_str(&format!("{u}h"));
            }
            out.push_str(&m);
        }
        out.push_str(&s);
    }
    if neg {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_go_prints_them() {
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(1_500), "1.5µs");
        assert_eq!(format_duration(250_000_000), "250ms");
        assert_eq!(format_duration(30_000_000_000), "30s");
        assert_eq!(format_duration(10_012_345_678), "10.012345678s");
        assert_eq!(format_duration(3_723_500_000_000), "1h2m3.5s");
        assert_eq!(format_duration(-60_000_000_000), "-1m0s");
    }
}
