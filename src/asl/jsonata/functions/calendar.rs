//! Calendar arithmetic reproducing JavaScript `Date` in UTC (proleptic Gregorian,
//! `Date.UTC` overflow rules, years 0-99 meaning 1900-1999) and the date/time component
//! values of XPath pictures (ISO week numbering as jsonata-js computes it).

pub(crate) const MILLIS_IN_DAY: f64 = 86_400_000.0;
const MAX_TIME: f64 = 8.64e15;

pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// JavaScript `Date.UTC(year, month0, day, h, m, s, ms)`; NaN if any part is NaN.
pub(crate) fn date_utc(year: f64, month0: f64, day: f64, h: f64, mi: f64, s: f64, ms: f64) -> f64 {
    let parts = [year, month0, day, h, mi, s, ms];
    if parts.iter().any(|p| !p.is_finite()) {
        return f64::NAN;
    }
    let mut year = year.trunc();
    if (0.0..=99.0).contains(&year) {
        year += 1900.0;
    }
    let month0 = month0.trunc();
    let y = year + (month0 / 12.0).floor();
    let m = month0.rem_euclid(12.0);
    if y.abs() > 400_000.0 {
        return f64::NAN;
    }
    let days = days_from_civil(y as i64, m as i64 + 1, 1) as f64 + day.trunc() - 1.0;
    let t = days * MILLIS_IN_DAY
        + h.trunc() * 3_600_000.0
        + mi.trunc() * 60_000.0
        + s.trunc() * 1000.0
        + ms.trunc();
    if t.abs() > MAX_TIME { f64::NAN } else { t }
}

/// UTC fields of a time value (what the `getUTC*` methods return).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub year: i64,
    pub month0: i64,
    pub day: i64,
    pub weekday: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
    pub millis: i64,
    pub time: f64,
}

pub(crate) fn fields(t: f64) -> Option<Fields> {
    if !t.is_finite() || t.abs() > MAX_TIME {
        return None;
    }
    let t = t.trunc();
    let days = (t / MILLIS_IN_DAY).floor();
    let ms_in_day = (t - days * MILLIS_IN_DAY) as i64;
    let days = days as i64;
    let (y, m, d) = civil_from_days(days);
    Some(Fields {
        year: y,
        month0: m - 1,
        day: d,
        weekday: (days + 4).rem_euclid(7),
        hour: ms_in_day / 3_600_000,
        minute: (ms_in_day / 60_000) % 60,
        second: (ms_in_day / 1000) % 60,
        millis: ms_in_day % 1000,
        time: t,
    })
}

fn weekday_of(t: f64) -> i64 {
    ((t / MILLIS_IN_DAY).floor() as i64 + 4).rem_euclid(7)
}

/// Monday of ISO week 1 of the given year/month (jsonata-js `startOfFirstWeek`).
fn start_of_first_week(year: i64, month0: i64) -> f64 {
    let jan1 = date_utc(year as f64, month0 as f64, 1.0, 0.0, 0.0, 0.0, 0.0);
    let mut dow = weekday_of(jan1);
    if dow == 0 {
        dow = 7;
    }
    if dow > 4 {
        jan1 + (8 - dow) as f64 * MILLIS_IN_DAY
    } else {
        jan1 - (dow - 1) as f64 * MILLIS_IN_DAY
    }
}

fn next_month(y: i64, m: i64) -> (i64, i64) {
    if m == 11 { (y + 1, 0) } else { (y, m + 1) }
}
fn previous_month(y: i64, m: i64) -> (i64, i64) {
    if m == 0 { (y - 1, 11) } else { (y, m - 1) }
}

fn delta_weeks(start: f64, end: f64) -> f64 {
    (end - start) / (MILLIS_IN_DAY * 7.0) + 1.0
}

/// A component value: numeric, or the text of `P` / `C` / `E`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fragment {
    Number(f64),
    Text(&'static str),
    None,
}

pub(crate) fn fragment(f: &Fields, component: char) -> Fragment {
    let num = |n: i64| Fragment::Number(n as f64);
    match component {
        'Y' => num(f.year),
        'M' => num(f.month0 + 1),
        'D' => num(f.day),
        'd' => {
            let today = date_utc(
                f.year as f64,
                f.month0 as f64,
                f.day as f64,
                0.0,
                0.0,
                0.0,
                0.0,
            );
            let first = date_utc(f.year as f64, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0);
            Fragment::Number((today - first) / MILLIS_IN_DAY + 1.0)
        }
        'F' => num(if f.weekday == 0 { 7 } else { f.weekday }),
        'W' => {
            let start = start_of_first_week(f.year, 0);
            let today = date_utc(
                f.year as f64,
                f.month0 as f64,
                f.day as f64,
                0.0,
                0.0,
                0.0,
                0.0,
            );
            let mut week = delta_weeks(start, today);
            if week > 52.0 {
                if today >= start_of_first_week(f.year + 1, 0) {
                    week = 1.0;
                }
            } else if week < 1.0 {
                week = delta_weeks(start_of_first_week(f.year - 1, 0), today);
            }
            Fragment::Number(week.floor())
        }
        'w' => {
            let start = start_of_first_week(f.year, f.month0);
            let today = date_utc(
                f.year as f64,
                f.month0 as f64,
                f.day as f64,
                0.0,
                0.0,
                0.0,
                0.0,
            );
            let mut week = delta_weeks(start, today);
            if week > 4.0 {
                let (ny, nm) = next_month(f.year, f.month0);
                if today >= start_of_first_week(ny, nm) {
                    week = 1.0;
                }
            } else if week < 1.0 {
                let (py, pm) = previous_month(f.year, f.month0);
                week = delta_weeks(start_of_first_week(py, pm), today);
            }
            Fragment::Number(week.floor())
        }
        'X' => {
            let start = start_of_first_week(f.year, 0);
            let end = start_of_first_week(f.year + 1, 0);
            num(if f.time < start {
                f.year - 1
            } else if f.time >= end {
                f.year + 1
            } else {
                f.year
            })
        }
        'x' => {
            let start = start_of_first_week(f.year, f.month0);
            let (ny, nm) = next_month(f.year, f.month0);
            let end = start_of_first_week(ny, nm);
            num(if f.time < start {
                previous_month(f.year, f.month0).1 + 1
            } else if f.time >= end {
                nm + 1
            } else {
                f.month0 + 1
            })
        }
        'H' => num(f.hour),
        'h' => {
            let h = f.hour % 12;
            num(if h == 0 { 12 } else { h })
        }
        'P' => Fragment::Text(if f.hour >= 12 { "pm" } else { "am" }),
        'm' => num(f.minute),
        's' => num(f.second),
        'f' => num(f.millis),
        'C' | 'E' => Fragment::Text("ISO"),
        _ => Fragment::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_conversions_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        let overflow = date_utc(2018.0, 12.0, 1.0, 0.0, 0.0, 0.0, 0.0);
        assert_eq!(overflow, date_utc(2019.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0));
        // Date.UTC maps two-digit years to the 1900s
        assert_eq!(
            date_utc(99.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0),
            date_utc(1999.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0)
        );
    }

    #[test]
    fn iso_week_components() {
        // 2021-01-03 is a Sunday in ISO week 53 of 2020
        let t = date_utc(2021.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0);
        let f = fields(t);
        assert_eq!(f.map(|f| fragment(&f, 'W')), Some(Fragment::Number(53.0)));
        assert_eq!(f.map(|f| fragment(&f, 'X')), Some(Fragment::Number(2020.0)));
        assert_eq!(f.map(|f| fragment(&f, 'F')), Some(Fragment::Number(7.0)));
    }
}
