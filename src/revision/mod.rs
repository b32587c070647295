//! The council's revision: what changed between a municipality's latest approved copy and its
//! working file. It reads the model and the check, below `render`, which turns its
//! [`changes::ChangeReport`] into the page `/<kommune>/aendringer/` of a draft build.

mod changes;
mod facts;
mod redline;

pub(crate) use changes::compare;
