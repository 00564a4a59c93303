//! Article dates: the two input forms the contract accepts, checked and normalised.

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("date {0:?} is not YYYY-MM-DD or YYYYMMDD")]
    Format(String),
    #[error("date {0:?} does not exist")]
    Calendar(String),
}

/// Accepts `YYYY-MM-DD` or `YYYYMMDD` and returns `YYYY-MM-DD`.
pub fn normalise_date(raw: &str) -> Result<String, DateError> {
    let mut s = raw.trim();
    if !s.is_ascii() {
        return Err(DateError::Format(raw.to_string()));
    }
    // A timestamp ("2025-03-14 20:30:26Z", "2025-03-14T20:30:26+00:00"): its date.
    if s.len() > 10 && matches!(s.as_bytes()[10], b' ' | b'T') {
        s = &s[..10];
    }
    let digits: String = match s.len() {
        10 if s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' => {
            format!("{}{}{}", &s[0..4], &s[5..7], &s[8..10])
        }
        8 => s.to_string(),
        _ => return Err(DateError::Format(raw.to_string())),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError::Format(raw.to_string()));
    }
    let year: u32 = digits[0..4].parse().unwrap();
    let month: u32 = digits[4..6].parse().unwrap();
    let day: u32 = digits[6..8].parse().unwrap();
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(DateError::Calendar(raw.to_string())),
    };
    if day == 0 || day > days {
        return Err(DateError::Calendar(raw.to_string()));
    }
    Ok(format!("{year:04}-{month:02}-{day:02}"))
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn parse_ymd(date: &str) -> Option<(i64, i64, i64)> {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    Some((
        date[0..4].parse().ok()?,
        date[5..7].parse().ok()?,
        date[8..10].parse().ok()?,
    ))
}

fn format_days(z: i64) -> String {
    let (y, m, d) = civil_from_days(z);
    format!("{y:04}-{m:02}-{d:02}")
}

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_of(word: &str) -> Option<i64> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() <= 4 && m.starts_with(&w) && w != "may"))
        .or_else(|| (w == "may").then_some(4))
        .or_else(|| (w == "sept").then_some(8))
        .map(|i| i as i64 + 1)
}

/// How precise a resolved date is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Day,
    Week,
    Month,
    Year,
}

/// Resolves the date expression that starts at `words[0]` against the article date
/// (`YYYY-MM-DD`): "today", "yesterday", "tomorrow", "last night", a weekday ("on Friday":
/// the latest such day on or before the article date, "next Friday" the one after),
/// "last week/month/year", and explicit days ("Nov. 14", "14 November", "November 14,
/// 2025"; without a year, the latest such day not after the article date plus a week).
/// Returns the resolved date, its precision and the number of words used.
pub fn resolve_date_at(article: &str, words: &[&str]) -> Option<(String, DatePrecision, usize)> {
    let (y, m, d) = parse_ymd(article)?;
    let today = days_from_civil(y, m, d);
    // Most words start no date expression: decide that before lowercasing anything.
    let first = words.first()?;
    let may_start = first.starts_with(|c: char| c.is_ascii_digit())
        || first.len() >= 3 && first.trim_end_matches('.').chars().all(char::is_alphabetic);
    if !may_start {
        return None;
    }
    let lower: Vec<String> = words.iter().take(2).map(|w| w.to_lowercase()).collect();
    let w0 = lower.first()?.as_str();
    let w1 = lower.get(1).map(String::as_str).unwrap_or("");
    let day = |z: i64| Some((format_days(z), DatePrecision::Day));
    let with_len = |r: Option<(String, DatePrecision)>, n: usize| r.map(|(a, b)| (a, b, n));
    match w0 {
        "today" | "tonight" => return with_len(day(today), 1),
        "yesterday" => return with_len(day(today - 1), 1),
        "tomorrow" => return with_len(day(today + 1), 1),
        "last" if w1 == "night" => return with_len(day(today - 1), 2),
        _ => {}
    }
    let weekday_of = |z: i64| (z + 3).rem_euclid(7); // 1970-01-01 was a Thursday (3).
    if let Some(wd) = WEEKDAYS.iter().position(|x| *x == w0) {
        let back = (weekday_of(today) - wd as i64).rem_euclid(7);
        return with_len(day(today - back), 1);
    }
    if matches!(w0, "last" | "next" | "this") {
        if let Some(wd) = WEEKDAYS.iter().position(|x| *x == w1) {
            let z = match w0 {
                "next" => today + 1 + (wd as i64 - weekday_of(today + 1)).rem_euclid(7),
                "last" => today - 1 - (weekday_of(today - 1) - wd as i64).rem_euclid(7),
                _ => today + (wd as i64 - weekday_of(today)),
            };
            return with_len(day(z), 2);
        }
        let sign = match w0 {
            "last" => -1,
            "next" => 1,
            _ => 0,
        };
        match w1 {
            "week" => {
                let monday = today - weekday_of(today) + 7 * sign;
                return Some((format_days(monday), DatePrecision::Week, 2));
            }
            "month" => {
                let total = y * 12 + (m - 1) + sign;
                let (yy, mm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
                return Some((format!("{yy:04}-{mm:02}-01"), DatePrecision::Month, 2));
            }
            "year" => return Some((format!("{:04}-01-01", y + sign), DatePrecision::Year, 2)),
            _ => {}
        }
    }
    // "Nov. 14[, 2025]" or "14 November [2025]".
    let year_at = |k: usize| -> Option<i64> {
        let w = words.get(k)?.trim_matches(',');
        (w.len() == 4)
            .then(|| w.parse::<i64>().ok())
            .flatten()
            .filter(|y| (1900..=2100).contains(y))
    };
    let number = |w: &str| -> Option<i64> {
        let w = w.trim_end_matches(',');
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        digits.parse::<i64>().ok().filter(|d| (1..=31).contains(d))
    };
    let (month, dom, used) = if let Some(mo) = month_of(words[0]) {
        let dd = words.get(1).and_then(|w| number(w))?;
        (mo, dd, 2)
    } else if let Some(dd) = number(words[0]) {
        let mo = words.get(1).and_then(|w| month_of(w))?;
        (mo, dd, 2)
    } else {
        return None;
    };
    let (year, used) = match year_at(used).or_else(|| {
        // "November 14, 2025": the comma may sit on the day.
        words
            .get(used)
            .and_then(|w| w.trim_start_matches(',').parse().ok())
            .filter(|y: &i64| (1900..=2100).contains(y))
    }) {
        Some(yy) => (yy, used + 1),
        None => {
            // No year: the latest such day not more than a week after the article date.
            let this = days_from_civil(y, month, dom);
            let yy = if this > today + 7 { y - 1 } else { y };
            (yy, used)
        }
    };
    let z = days_from_civil(year, month, dom);
    // Reject impossible days ("February 31").
    if civil_from_days(z) != (year, month, dom) {
        return None;
    }
    Some((format_days(z), DatePrecision::Day, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_dates_resolve_against_the_article_date() {
        // 2026-11-20 is a Friday.
        let a = "2026-11-20";
        let r = |s: &str| {
            let w: Vec<&str> = s.split_whitespace().collect();
            resolve_date_at(a, &w)
        };
        assert_eq!(r("yesterday").unwrap().0, "2026-11-19");
        assert_eq!(r("today").unwrap().0, "2026-11-20");
        assert_eq!(r("Friday").unwrap().0, "2026-11-20");
        assert_eq!(r("Wednesday").unwrap().0, "2026-11-18");
        assert_eq!(r("Saturday").unwrap().0, "2026-11-14");
        assert_eq!(r("next Monday").unwrap().0, "2026-11-23");
        assert_eq!(r("last Friday").unwrap().0, "2026-11-13");
        assert_eq!(
            r("last night").unwrap(),
            ("2026-11-19".into(), DatePrecision::Day, 2)
        );
        assert_eq!(
            r("last week").unwrap(),
            ("2026-11-09".into(), DatePrecision::Week, 2)
        );
        assert_eq!(
            r("last month").unwrap(),
            ("2026-10-01".into(), DatePrecision::Month, 2)
        );
        assert_eq!(
            r("Nov. 14").unwrap(),
            ("2026-11-14".into(), DatePrecision::Day, 2)
        );
        assert_eq!(r("14 November").unwrap().0, "2026-11-14");
        assert_eq!(r("December 30").unwrap().0, "2025-12-30");
        assert_eq!(
            r("March 3, 2024").unwrap(),
            ("2024-03-03".into(), DatePrecision::Day, 3)
        );
        assert_eq!(r("February 31"), None);
        assert_eq!(r("the talks"), None);
        assert_eq!(r("May"), None);
    }

    #[test]
    fn both_forms_normalise() {
        assert_eq!(normalise_date("2026-11-20").unwrap(), "2026-11-20");
        assert_eq!(normalise_date("19950103").unwrap(), "1995-01-03");
        assert_eq!(normalise_date("2024-02-29").unwrap(), "2024-02-29");
        assert_eq!(
            normalise_date("2025-03-14 20:30:26Z").unwrap(),
            "2025-03-14"
        );
        assert_eq!(
            normalise_date("2025-03-14T20:30:26+00:00").unwrap(),
            "2025-03-14"
        );
        // Not ASCII: refused, never sliced inside a character.
        assert!(normalise_date("2025-0é-1").is_err());
    }

    #[test]
    fn bad_dates_are_refused_with_the_reason() {
        assert_eq!(
            normalise_date("2026/11/20").unwrap_err().to_string(),
            "date \"2026/11/20\" is not YYYY-MM-DD or YYYYMMDD"
        );
        assert!(matches!(
            normalise_date("2023-02-29"),
            Err(DateError::Calendar(_))
        ));
        assert!(matches!(
            normalise_date("20261301"),
            Err(DateError::Calendar(_))
        ));
        assert!(matches!(
            normalise_date("yesterday"),
            Err(DateError::Format(_))
        ));
    }
}
