//! Dates as a standard writes them: a day, a month or a year.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A date that may be known only to the month or year: the documents say "december 2026".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// The months in Danish, as dates are written in words ("17. december 2024").
pub(crate) const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

impl PartialDate {
    pub(crate) const FORMAT_HINT: &'static str = "Skriv datoen som ÅÅÅÅ-MM-DD (fx 2024-12-17), eller som \"ÅÅÅÅ-MM\" (fx \"2026-12\") hvis kun måneden er kendt";

    pub fn parse(raw: &str) -> Result<PartialDate, String> {
        let bad = || format!("«{raw}» er ikke en dato. {}", Self::FORMAT_HINT);
        let parts: Vec<&str> = raw.trim().split('-').collect();
        let number = |s: &str, len: usize| -> Option<u32> {
            (s.len() == len && s.chars().all(|c| c.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let year = parts.first().and_then(|y| number(y, 4)).ok_or_else(bad)? as i32;
        let month = match parts.get(1) {
            Some(m) => {
                let m = number(m, 2).ok_or_else(bad)?;
                if !(1..=12).contains(&m) {
                    return Err(format!(
                        "Måned {m} findes ikke i «{raw}». {}",
                        Self::FORMAT_HINT
                    ));
                }
                Some(m as u8)
            }
            None => None,
        };
        let day = match parts.get(2) {
            Some(d) => {
                let d = number(d, 2).ok_or_else(bad)?;
                let max = days_in_month(year, u32::from(month.unwrap_or(1)));
                if d == 0 || d > max {
                    return Err(format!(
                        "Dag {d} findes ikke i «{raw}». {}",
                        Self::FORMAT_HINT
                    ));
                }
                Some(d as u8)
            }
            None => None,
        };
        if parts.len() > 3 {
            return Err(bad());
        }
        Ok(PartialDate { year, month, day })
    }

    /// "17. december 2024", "december 2026" or "2026".
    pub fn danish(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d}. {} {}", MONTHS[m as usize - 1], self.year),
            (Some(m), None) => format!("{} {}", MONTHS[m as usize - 1], self.year),
            _ => format!("{}", self.year),
        }
    }

    /// The numeric form the documents use: "17.12.2024".
    pub(crate) fn numeric(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d:02}.{m:02}.{}", self.year),
            (Some(m), None) => format!("{m:02}.{}", self.year),
            _ => format!("{}", self.year),
        }
    }

    pub(crate) fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{}-{m:02}", self.year),
            _ => format!("{}", self.year),
        }
    }

    /// The last day the date can mean: "december 2026" lasts until 31 December.
    pub(crate) fn last_day(&self) -> (i32, u8, u8) {
        let month = self.month.unwrap_or(12);
        let day = self
            .day
            .unwrap_or_else(|| days_in_month(self.year, month as u32) as u8);
        (self.year, month, day)
    }

    /// The first day the date can mean.
    pub(crate) fn first_day(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }
}

pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl PartialDate {
    /// The forms [`PartialDate::parse`] accepts, as a JSON Schema pattern: ÅÅÅÅ, ÅÅÅÅ-MM or
    /// ÅÅÅÅ-MM-DD with a day the month has. A TOML date (written without quotes) is checked as
    /// its text. That 29 February falls in a leap year is checked by the loader alone.
    pub(crate) const PATTERN: &'static str = concat!(
        r"^\s*[0-9]{4}(?:-(?:",
        r"(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|1[0-9]|2[0-8]))?",
        r"|(?:0[13-9]|1[0-2])-(?:29|30)",
        r"|(?:0[13578]|1[02])-31",
        r"|02-29",
        r"))?\s*$"
    );
}

/// A date is a TOML date or text; either way its text matches [`PartialDate::PATTERN`].
impl schemars::JsonSchema for PartialDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PartialDate".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "pattern": PartialDate::PATTERN})
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A TOML date (2024-12-17, unquoted) arrives as a datetime; "2026-12" as a string.
        let value = toml::Value::deserialize(d)?;
        let raw = match &value {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
            toml::Value::Datetime(dt) => {
                return Err(serde::de::Error::custom(format!(
                    "«{dt}» har et klokkeslæt. {}",
                    PartialDate::FORMAT_HINT
                )));
            }
            other => {
                return Err(serde::de::Error::custom(format!(
                    "forventede en dato, men fandt {}. {}",
                    crate::diagnostic::danish_type_name(other),
                    PartialDate::FORMAT_HINT
                )));
            }
        };
        PartialDate::parse(&raw).map_err(serde::de::Error::custom)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("danish", &self.danish())?;
        map.serialize_entry("numeric", &self.numeric())?;
        map.serialize_entry("iso", &self.iso())?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_keep_their_precision() {
        let d = PartialDate::parse("2024-12-17").unwrap();
        assert_eq!(d.numeric(), "17.12.2024");
        assert_eq!(d.danish(), "17. december 2024");
        let m = PartialDate::parse("2026-12").unwrap();
        assert_eq!(m.danish(), "december 2026");
        assert_eq!(m.last_day(), (2026, 12, 31));
        assert!(PartialDate::parse("17.12.2024").is_err());
        assert!(PartialDate::parse("2024-02-30").is_err());
        assert!(PartialDate::parse("2024-13").is_err());
    }
}
