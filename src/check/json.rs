//! The JSON document `kvalitet check --format json` prints (shape: see `cmd/check.rs`).

use std::path::Path;

use serde::Serialize;

use super::report::{rule_runs, rule_status};
use super::{Counts, Findings, Report, SectionLix, Status};

impl Report {
    /// The JSON document `kvalitet check --format json` prints (shape: see `cmd/check.rs`).
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            version: u32,
            reference_date: String,
            lix_warning: f64,
            passed: bool,
            counts: Counts,
            findings: Findings<'a>,
            municipalities: Vec<JsonMunicipality<'a>>,
        }
        #[derive(Serialize)]
        struct JsonMunicipality<'a> {
            slug: &'a str,
            name: &'a str,
            file: &'a Path,
            counts: Counts,
            rules: Vec<JsonRule>,
            lix_total: &'a SectionLix,
            lix: &'a [SectionLix],
        }
        #[derive(Serialize)]
        struct JsonRule {
            rule: &'static str,
            status: Status,
        }
        let doc = Json {
            version: 3,
            reference_date: self.reference_date.iso(),
            lix_warning: self.lix_warning,
            passed: !self.has_errors(),
            counts: self.counts(),
            findings: self.findings(),
            municipalities: self
                .findings_by_municipality()
                .map(|(m, mine)| JsonMunicipality {
                    slug: &m.slug,
                    name: &m.name,
                    file: &m.file,
                    counts: m.counts,
                    rules: rule_runs(mine)
                        .map(|(r, findings)| JsonRule {
                            rule: r.id,
                            status: rule_status(m, r.id, findings),
                        })
                        .collect(),
                    lix_total: &m.lix_total,
                    lix: &m.lix,
                })
                .collect(),
        };
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}
