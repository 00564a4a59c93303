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
    let s = raw.trim();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_normalise() {
        assert_eq!(normalise_date("2026-11-20").unwrap(), "2026-11-20");
        assert_eq!(normalise_date("19950103").unwrap(), "1995-01-03");
        assert_eq!(normalise_date("2024-02-29").unwrap(), "2024-02-29");
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
