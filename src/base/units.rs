//! Units and number formatting exactly as pprof prints them: unit families
//! (bytes, time, GCU), scaling, `ScaledLabel` and percentages with Go's
//! `%5.2f` / `%5.2g` rules.

struct Unit {
    name: &'static str,
    aliases: &'static [&'static str],
    factor: f64,
}

/// A unit: its name, the other names it is known by, and its size in
/// the family's base unit.
const fn unit(name: &'static str, aliases: &'static [&'static str], factor: f64) -> Unit {
    Unit {
        name,
        aliases,
        factor,
    }
}

struct Family {
    units: &'static [Unit],
    default: usize,
}

const BYTES: Family = Family {
    units: &[
        unit("B", &["b", "byte"], 1.0),
        unit("kB", &["kb", "kbyte", "kilobyte"], 1024.0),
        unit("MB", &["mb", "mbyte", "megabyte"], 1048576.0),
        unit("GB", &["gb", "gbyte", "gigabyte"], 1073741824.0),
        unit("TB", &["tb", "tbyte", "terabyte"], 1099511627776.0),
        unit("PB", &["pb", "pbyte", "petabyte"], 1125899906842624.0),
    ],
    default: 0,
};

const TIME: Family = Family {
    units: &[
        unit("ns", &["ns", "nanosecond"], 1.0),
        unit("us", &["μs", "us", "microsecond"], 1e3),
        unit("ms", &["ms", "millisecond"], 1e6),
        unit("s", &["s", "sec", "second"], 1e9),
        unit("hrs", &["hour", "hr"], 3.6e12),
    ],
    default: 3,
};

const GCU: Family = Family {
    units: &[
        unit("n*GCU", &["nanogcu"], 1e-9),
        unit("u*GCU", &["microgcu"], 1e-6),
        unit("m*GCU", &["milligcu"], 1e-3),
        unit("GCU", &["gcu"], 1.0),
        unit("k*GCU", &["kilogcu"], 1e3),
        unit("M*GCU", &["megagcu"], 1e6),
        unit("G*GCU", &["gigagcu"], 1e9),
        unit("T*GCU", &["teragcu"], 1e12),
        unit("P*GCU", &["petagcu"], 1e15),
    ],
    default: 3,
};

const FAMILIES: [&Family; 3] = [&BYTES, &TIME, &GCU];

impl Family {
    fn sniff(&self, unit: &str) -> Option<&Unit> {
        let mut u = unit.to_lowercase();
        if u.len() > 2 {
            if let Some(s) = u.strip_suffix('s') {
                u = s.to_string();
            }
        }
        self.units.iter().find(|x| x.aliases.contains(&u.as_str()))
    }

    fn auto_scale(&self, v: f64) -> Option<(f64, &'static str)> {
        let mut f = 0.0;
        let mut name = "";
        for u in self.units {
            if u.factor >= f && v / u.factor >= 1.0 {
                f = u.factor;
                name = u.name;
            }
        }
        (f != 0.0).then(|| (v / f, name))
    }

    fn convert(&self, value: i64, from: &str, to: &str) -> Option<(f64, String)> {
        let from = self.sniff(from)?;
        let v = value as f64 * from.factor;
        let def = &self.units[self.default];
        if to == "minimum" || to == "auto" {
            if let Some((v, u)) = self.auto_scale(v) {
                return Some((v, u.to_string()));
            }
            return Some((v / def.factor, def.name.to_string()));
        }
        match self.sniff(to) {
            Some(t) => Some((v / t.factor, t.name.to_string())),
            None => Some((v / def.factor, def.name.to_string())),
        }
    }
}

/// Scales `value` from unit `from` to unit `to` (`minimum`/`auto` choose
/// the largest unit that keeps the value ≥ 1). Unknown units leave the value
/// alone; the unit is then `to` itself unless it is a generic word.
pub fn scale(value: i64, from: &str, to: &str) -> (f64, String) {
    if value < 0 && value.wrapping_neg() > 0 {
        let (v, u) = scale(-value, from, to);
        return (-v, u);
    }
    for fam in FAMILIES {
        if let Some(r) = fam.convert(value, from, to) {
            return r;
        }
    }
    match to {
        "count" | "sample" | "unit" | "minimum" | "auto" => (value as f64, String::new()),
        _ => (value as f64, to.to_string()),
    }
}

/// Index of the unit family (bytes, time, GCU) that recognises `unit`.
pub fn family_of(unit: &str) -> Option<usize> {
    FAMILIES.iter().position(|f| f.sniff(unit).is_some())
}

/// `value` in unit `to`, printed with two decimals, `.00` dropped, and the
/// unit appended; zero prints as `0` without a unit.
pub fn scaled_label(value: i64, from: &str, to: &str) -> String {
    let (v, u) = scale(value, from, to);
    let s = format!("{v:.2}");
    let s = s.strip_suffix(".00").unwrap_or(&s);
    if s == "0" || s == "-0" {
        return "0".to_string();
    }
    format!("{s}{u}")
}

/// [`scaled_label`] with automatic unit choice.
pub fn label(value: i64, unit: &str) -> String {
    scaled_label(value, unit, "auto")
}

/// `value` as a percentage of `total`, padded as pprof's text report prints
/// it (`  100%`, `85.38%`, ` 9.53%`, `0.017%`, `    0%`).
pub fn percentage(value: i64, total: i64) -> String {
    let ratio = if total != 0 {
        (value as f64 / total as f64).abs() * 100.0
    } else {
        0.0
    };
    if (99.95..=100.05).contains(&ratio) {
        "  100%".to_string()
    } else if ratio >= 1.0 {
        format!("{ratio:5.2}%")
    } else {
        format!("{:>5}%", go_g2(ratio))
    }
}

/// Go's `%.2g`: two significant digits, trailing zeros dropped, exponent
/// form (at least two exponent digits) below 1e-4.
fn go_g2(x: f64) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let e = format!("{x:.1e}");
    let (mant, exp) = e.split_once('e').expect("exponent form");
    let exp: i32 = exp.parse().expect("exponent");
    let (neg, mant) = match mant.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mant),
    };
    let mut digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    let sign = if neg { "-" } else { "" };
    if !(-4..2).contains(&exp) {
        let m = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits
        };
        let es = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{m}e{es}{:02}", exp.abs());
    }
    // Fixed notation with the decimal point after exp+1 digits.
    let point = exp + 1;
    let s = if point <= 0 {
        format!("0.{}{}", "0".repeat((-point) as usize), digits)
    } else if (point as usize) >= digits.len() {
        format!("{}{}", digits, "0".repeat(point as usize - digits.len()))
    } else {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    };
    format!("{sign}{s}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_match_pprof() {
        assert_eq!(percentage(1, 1), "  100%");
        assert_eq!(percentage(8538, 10000), "85.38%");
        assert_eq!(percentage(953, 10000), " 9.53%");
        assert_eq!(percentage(4, 24029), "0.017%");
        assert_eq!(percentage(5, 1000), "  0.5%");
        assert_eq!(percentage(99949, 100000000), "  0.1%");
        assert_eq!(percentage(1234, 100000000), "0.0012%");
        assert_eq!(percentage(123, 100000000), "0.00012%");
        assert_eq!(percentage(49, 100000000), "4.9e-05%");
        assert_eq!(percentage(7, 100000000), "7e-06%");
        assert_eq!(percentage(1, 100000000), "1e-06%");
        assert_eq!(percentage(0, 10), "    0%");
        assert_eq!(percentage(0, 0), "    0%");
        assert_eq!(percentage(-3942, 100), "3942.00%");
    }

    #[test]
    fn labels_match_pprof() {
        assert_eq!(scaled_label(2010000000, "nanoseconds", "minimum"), "2.01s");
        assert_eq!(scaled_label(1000000000, "nanoseconds", "ms"), "1000ms");
        assert_eq!(scaled_label(1023, "bytes", "kB"), "1kB");
        assert_eq!(scaled_label(-1536, "bytes", "auto"), "-1.50kB");
        assert_eq!(scaled_label(1500000, "μs", "minimum"), "1500000");
        assert_eq!(scaled_label(1500000, "us", "minimum"), "1.50s");
        assert_eq!(scaled_label(2010000, "nanoseconds", "hours"), "0");
        assert_eq!(scaled_label(123, "requests", "requests"), "123requests");
        assert_eq!(scaled_label(123, "count", "kb"), "123kb");
        assert_eq!(scaled_label(0, "bytes", "MB"), "0");
        assert_eq!(label(30_000_000_000, "nanoseconds"), "30s");
        assert_eq!(label(16_488_000_000_000, "nanoseconds"), "4.58hrs");
    }
}
