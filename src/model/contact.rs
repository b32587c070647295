//! How a citizen gets in touch: units with their address, phone number and opening hours.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Markdown;

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Short identifier, used to link offers to the unit ("kontakt"); made from the name when
    /// the file has none ([`super::Municipality::settle`]).
    #[serde(default)]
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<Markdown>,
    /// Who this unit is for, e.g. "Unge under 30 år".
    #[serde(default)]
    pub for_whom: Option<String>,
    #[serde(default)]
    pub address: Option<Address>,
    #[serde(default)]
    pub phone: Option<Phone>,
    /// More numbers, each with what it is for, e.g. "Akut hjælp".
    #[serde(default)]
    pub phones: Vec<LabelledPhone>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub hours: Vec<Hours>,
}

impl Unit {
    /// Whether a citizen can call the unit: it has a number, labelled or not.
    pub(crate) fn has_phone(&self) -> bool {
        self.phone.is_some() || !self.phones.is_empty()
    }
}

/// A phone number with what it is for, as the standard says it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelledPhone {
    /// What the number is for, e.g. "Rådgivning for unge".
    pub label: String,
    pub number: Phone,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub street: String,
    /// Optional because some documents leave it out, and it must not be guessed.
    #[serde(default)]
    pub postcode: Option<String>,
    pub city: String,
    /// E.g. the building: "Sundhedscenteret".
    #[serde(default)]
    pub building: Option<String>,
}

/// The keys of [`Hours`]'s days, in week order, as a file writes them.
pub(crate) const DAY_KEYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A table of hours, e.g. "Telefontid" or "Åbningstid".
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    pub label: String,
    #[serde(default)]
    pub monday: Option<TimeRange>,
    #[serde(default)]
    pub tuesday: Option<TimeRange>,
    #[serde(default)]
    pub wednesday: Option<TimeRange>,
    #[serde(default)]
    pub thursday: Option<TimeRange>,
    #[serde(default)]
    pub friday: Option<TimeRange>,
    #[serde(default)]
    pub saturday: Option<TimeRange>,
    #[serde(default)]
    pub sunday: Option<TimeRange>,
    /// Exceptions, e.g. "Torsdag eftermiddag efter særlig aftale".
    #[serde(default)]
    pub note: Option<String>,
}

/// Templates get the days in week order, ready for a table.
impl Serialize for Hours {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[derive(Serialize)]
        struct Row<'a> {
            day: &'static str,
            time: &'a str,
            iso: Option<String>,
        }
        let rows: Vec<Row> = self
            .days()
            .into_iter()
            .map(|(day, range)| Row {
                day,
                time: &range.text,
                iso: range.iso(),
            })
            .collect();
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("label", &self.label)?;
        map.serialize_entry("rows", &rows)?;
        map.serialize_entry("note", &self.note)?;
        map.end()
    }
}

impl Hours {
    /// The days with hours, in week order, with their Danish names.
    pub fn days(&self) -> Vec<(&'static str, &TimeRange)> {
        [
            ("Mandag", &self.monday),
            ("Tirsdag", &self.tuesday),
            ("Onsdag", &self.wednesday),
            ("Torsdag", &self.thursday),
            ("Fredag", &self.friday),
            ("Lørdag", &self.saturday),
            ("Søndag", &self.sunday),
        ]
        .into_iter()
        .filter_map(|(day, range)| range.as_ref().map(|r| (day, r)))
        .collect()
    }
}

/// A Danish phone number as written in the document, e.g. "96 11 40 50".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(pub String);

impl Phone {
    /// The digits a phone dials, with the country code: `+4596114050`.
    pub fn dial(&self) -> String {
        let digits: String = self.0.chars().filter(|c| c.is_ascii_digit()).collect();
        if self.is_short_number() {
            // 112 is dialled as it is: "+45112" is no number.
            return digits;
        }
        let national = digits
            .strip_prefix("0045")
            .or_else(|| self.0.trim_start().starts_with("+45").then(|| &digits[2..]))
            .unwrap_or(&digits);
        format!("+45{national}")
    }

    /// Whether this is a Danish short number written without a country code: three digits
    /// starting 11 (112, 114) or four starting 18 (1813), as national help lines have.
    pub(crate) fn is_short_number(&self) -> bool {
        let text = self.0.trim();
        let short = |len: usize, prefix: &str| {
            text.len() == len
                && text.starts_with(prefix)
                && text.bytes().all(|b| b.is_ascii_digit())
        };
        short(3, "11") || short(4, "18")
    }

    /// Whether this is a Danish number of eight digits, or a short number
    /// ([`Phone::is_short_number`]).
    pub(crate) fn is_valid(&self) -> bool {
        if self.is_short_number() {
            return true;
        }
        let allowed = self
            .0
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '+' || c == '-');
        allowed && self.dial().len() == 11
    }

    /// Grouped in pairs, as Danes write numbers: "96 11 40 50".
    pub fn display(&self) -> String {
        if self.is_short_number() {
            return self.0.trim().to_string();
        }
        let dial = self.dial();
        let national = &dial[3..];
        if national.len() == 8 {
            national
                .as_bytes()
                .chunks(2)
                .map(|pair| std::str::from_utf8(pair).unwrap_or_default())
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            self.0.clone()
        }
    }
}

impl Phone {
    /// What [`Phone::is_valid`] accepts, as a JSON Schema pattern (ECMA 262 and Python `re`
    /// alike, ASCII digits only): eight digits, or ten after a leading `+45`, or twelve after
    /// `0045`, with spaces, `+` and `-` between them and spaces around.
    pub(crate) const PATTERN: &'static str = concat!(
        r"^(?:",
        r"(?!\s*\+45)(?!\s*[ +-]*0[ +-]*0[ +-]*4[ +-]*5)\s*[ +-]*(?:[0-9][ +-]*){8}\s*",
        r"|\s*\+45[ +-]*(?:[0-9][ +-]*){8}\s*",
        r"|\s*[ +-]*0[ +-]*0[ +-]*4[ +-]*5[ +-]*(?:[0-9][ +-]*){8}\s*",
        r"|\s*11[0-9]\s*|\s*18[0-9]{2}\s*",
        r")$"
    );
}

/// A phone number is written as text matching [`Phone::PATTERN`].
impl JsonSchema for Phone {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Phone".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "pattern": Phone::PATTERN})
    }
}

impl<'de> Deserialize<'de> for Phone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        let phone = Phone(raw.trim().to_string());
        if !phone.is_valid() {
            return Err(serde::de::Error::custom(format!(
                "«{raw}» er ikke et dansk telefonnummer. Skriv otte cifre, fx \"96 11 40 50\""
            )));
        }
        Ok(phone)
    }
}

impl Serialize for Phone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("display", &self.display())?;
        map.serialize_entry("href", &format!("tel:{}", self.dial()))?;
        map.end()
    }
}

/// A time span on one day, e.g. "8-15.30" or "8.00-15.30", or a short text such as "Lukket".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeRange {
    /// Minutes after midnight; `None` where the value is text such as "Lukket".
    pub span: Option<(u16, u16)>,
    pub text: String,
}

impl TimeRange {
    pub fn parse(raw: &str) -> Result<TimeRange, String> {
        let raw = raw.trim();
        let lower = raw.to_lowercase();
        if lower == "lukket" || lower.starts_with("efter aftale") {
            return Ok(TimeRange {
                span: None,
                text: raw.to_string(),
            });
        }
        let cleaned = lower.trim_start_matches("kl.").trim();
        let (from, to) = cleaned.split_once(['-', '–']).ok_or_else(|| {
            format!("«{raw}» er ikke et tidsrum. Skriv fx \"8-15.30\" eller \"Lukket\"")
        })?;
        let from = parse_clock(from.trim()).ok_or_else(|| {
            format!(
                "«{}» er ikke et klokkeslæt. Skriv fx \"8\", \"8.30\" eller \"08:30\"",
                from.trim()
            )
        })?;
        let to = parse_clock(to.trim()).ok_or_else(|| {
            format!(
                "«{}» er ikke et klokkeslæt. Skriv fx \"15\", \"15.30\" eller \"15:30\"",
                to.trim()
            )
        })?;
        if to <= from {
            return Err(format!("I «{raw}» slutter tidsrummet, før det begynder"));
        }
        Ok(TimeRange {
            span: Some((from, to)),
            text: format!("{}-{}", format_clock(from), format_clock(to)),
        })
    }

    /// Machine-readable form for `<time>`-like use: "08:00-15:30".
    pub(crate) fn iso(&self) -> Option<String> {
        self.span
            .map(|(a, b)| format!("{:02}:{:02}-{:02}:{:02}", a / 60, a % 60, b / 60, b % 60))
    }
}

fn parse_clock(s: &str) -> Option<u16> {
    let (h, m) = match s.split_once(['.', ':']) {
        Some((h, m)) => (h, m),
        None => (s, "0"),
    };
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    (h <= 24 && m < 60 && !(h == 24 && m > 0)).then_some(h * 60 + m)
}

/// Danish style: "8", "15.30".
fn format_clock(minutes: u16) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    if m == 0 {
        format!("{h}")
    } else {
        format!("{h}.{m:02}")
    }
}

impl TimeRange {
    /// The forms [`TimeRange::parse`] accepts, as a JSON Schema pattern: "Lukket", "Efter
    /// aftale ...", or two clock times ("8", "8.30", "08:30", up to "24") joined by a hyphen or a
    /// dash, with "kl." before them if you like. That the end comes after the start is checked
    /// by the loader alone.
    pub(crate) const PATTERN: &'static str = concat!(
        r"^(?:\s*(?:[Kk][Ll]\.)*\s*",
        r"(?:\+?0*(?:1?[0-9]|2[0-3])(?:[.:]\+?0*[0-5]?[0-9])?|\+?0*24(?:[.:]\+?0+)?)",
        r"\s*[-–]\s*",
        r"(?:\+?0*(?:1?[0-9]|2[0-3])(?:[.:]\+?0*[0-5]?[0-9])?|\+?0*24(?:[.:]\+?0+)?)",
        r"\s*",
        r"|\s*[Ll][Uu][Kk][Kk][Ee][Tt]\s*",
        r"|\s*[Ee][Ff][Tt][Ee][Rr] [Aa][Ff][Tt][Aa][Ll][Ee][\s\S]*",
        r")$"
    );
}

/// A time range is written as text matching [`TimeRange::PATTERN`].
impl JsonSchema for TimeRange {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TimeRange".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "pattern": TimeRange::PATTERN})
    }
}

impl<'de> Deserialize<'de> for TimeRange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        TimeRange::parse(&raw).map_err(serde::de::Error::custom)
    }
}

impl Serialize for TimeRange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_dial_with_country_code() {
        assert_eq!(Phone("96 11 40 50".into()).dial(), "+4596114050");
        assert_eq!(Phone("+45 96 11 40 50".into()).dial(), "+4596114050");
        assert_eq!(Phone("9611 3620".into()).display(), "96 11 36 20");
        assert!(!Phone("96 11 40".into()).is_valid());
        assert!(!Phone("ring til os".into()).is_valid());
        let emergency = Phone(" 112 ".into());
        assert!(emergency.is_valid());
        assert_eq!(
            (emergency.dial(), emergency.display()),
            ("112".into(), "112".into())
        );
        assert_eq!(Phone("1813".into()).dial(), "1813");
        assert!(!Phone("1234".into()).is_valid() && !Phone("11 2".into()).is_valid());
    }

    #[test]
    fn time_ranges_accept_the_ways_danes_write_them() {
        assert_eq!(TimeRange::parse("8-15.30").unwrap().text, "8-15.30");
        assert_eq!(TimeRange::parse("8.00 - 17.00").unwrap().text, "8-17");
        assert_eq!(
            TimeRange::parse("08:30-13").unwrap().iso().unwrap(),
            "08:30-13:00"
        );
        assert!(TimeRange::parse("Lukket").unwrap().span.is_none());
        assert!(TimeRange::parse("15-8").is_err());
        assert!(TimeRange::parse("hele dagen").is_err());
    }
}
