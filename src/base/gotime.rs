//! Go's time layouts for the profile's time.

/// The profile time in the local zone, as Go's `2006-01-02 15:04:05 MST`
/// (the current pprof's `Time:` line).
pub fn format_time(nanos: i64) -> String {
    let ts = match jiff::Timestamp::from_nanosecond(nanos as i128) {
        Ok(ts) => ts,
        Err(_) => return nanos.to_string(),
    };
    let zoned = ts.to_zoned(jiff::tz::TimeZone::system());
    let abbrev = zoned
        .time_zone()
        .to_offset_info(ts)
        .abbreviation()
        .to_string();
    format!("{} {abbrev}", zoned.strftime("%Y-%m-%d %H:%M:%S"))
}
