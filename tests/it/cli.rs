//! The command line as an editor meets it, as readable transcripts in `tests/cmd/`: `check` in
//! text and JSON with its exit codes 0, 1 and 2, and `new`. Each `*.md` holds commands and what
//! they print; `check-json.toml` and `check-json.stdout` are the tested example of the JSON
//! shape in docs/check-json.md. `TRYCMD=overwrite` rewrites them after a deliberate change.

use crate::fixture::repo;

#[test]
fn cli_transcripts() {
    let cases = repo().join("tests/cmd");
    trycmd::TestCases::new()
        .register_bin(
            "kvalitet",
            std::path::Path::new(env!("CARGO_BIN_EXE_kvalitet")),
        )
        .env("NO_COLOR", "1")
        .case(cases.join("*.md"))
        .case(cases.join("*.toml"));
}
