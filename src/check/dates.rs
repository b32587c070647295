//! Today's date, and the date `--date` names, for the revision deadline.

use crate::model::PartialDate;

/// Today's date (UTC, which is off by at most a day around midnight in Denmark).
pub(crate) fn today() -> PartialDate {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (year, month, day) = civil_from_days((seconds / 86_400) as i64);
    PartialDate {
        year,
        month: Some(month),
        day: Some(day),
    }
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// Parses a full date `ÅÅÅÅ-MM-DD`, e.g. for `--date`.
pub fn parse_reference_date(raw: &str) -> Result<PartialDate, String> {
    let date = PartialDate::parse(raw)?;
    if date.day.is_none() {
        return Err(format!(
            "«{raw}» er ikke en hel dato. Skriv ÅÅÅÅ-MM-DD, fx 2025-06-01"
        ));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_days_since_1970() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_089), (2025, 1, 1));
    }
}
