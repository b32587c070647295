//! The council's revision: what changed between a municipality's latest approved copy and its
//! working file. It reads the model and the check, below `render`, which turns its
//! [`changes::ChangeReport`] into the page `/<kommune>/aendringer/` of a draft build.

use std::path::Path;

use rayon::prelude::*;

use crate::load::approved::latest_approved;
use crate::load::{ApprovedVersion, LoadedMunicipality, load_approved_copy};

mod changes;
mod facts;
mod redline;

pub(crate) use changes::compare;

/// Reads the latest approved copy of each of `municipalities` from the content folder `dir`
/// (`godkendt/<slug>/<date>.toml`), for a draft build's change reports. A copy that cannot be
/// read is kept as its errors, which the report shows: the draft still builds.
pub(crate) fn attach_approved(dir: &Path, municipalities: &mut [LoadedMunicipality]) {
    municipalities.par_iter_mut().for_each(|lm| {
        lm.approved = latest_approved(dir, &lm.slug).map(|copy| {
            Box::new(ApprovedVersion {
                loaded: load_approved_copy(&copy.path, &lm.slug),
                date: copy.date,
            })
        });
    });
}
