//! Go's time layouts for the profile's time.

/// The profile time in the local zone, as Go's `Jan 2, 2006 at 3:04pm (MST)`.
pub fn format_time(nanos: i64) -> String {
    let ts = match jiff::Timestamp::from_nanosecond(nanos as i128) {
        Ok(ts) => ts,
        Err(_) => return nanos.to_string(),
    };
    let zoned = ts.to_zoned(jiff::tz::TimeZone::system());
    let hour = zoned.hour();
    let h12 = match hour % 12 {
        0 => 12,
        h => h,
    };
    let ampm = if hour < 12 { "am" } else { "pm" };
    let abbrev = zoned
        .time_zone()
        .to_offset_info(ts)
        .abbreviation()
        .to_string();
    format!(
        "{} {}, {} at {}:{:02}{} ({})",
        zoned.strftime("%b"),
        zoned.day(),
        zoned.year(),
        h12,
        zoned.minute(),
        ampm,
        abbrev
    )
}
