//! Help now: lines for urgent and out-of-hours help, kept as content (`[[help_now]]` in
//! `site.toml` and in a municipality's file), shown first on the front page, in the contact
//! block and on the 404 page.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{PartialDate, Phone};

/// A line a citizen can call now, e.g. 112 "ved livsfare".
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HelpLine {
    /// The line's name, e.g. "Alarmcentralen".
    pub name: String,
    pub phone: Phone,
    /// When to use it, in Danish, e.g. "ved livsfare".
    pub when: String,
    /// When the line answers, as free text, e.g. "Hverdage 9-21".
    #[serde(default)]
    pub hours: Option<String>,
    /// Whether the line answers around the clock; `kvalitet check` reads this, never `hours`.
    #[serde(default)]
    pub always_open: bool,
    /// The day someone last checked the number and the hours.
    #[serde(default)]
    pub verified_on: Option<PartialDate>,
}
