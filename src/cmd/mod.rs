pub mod approve;
pub mod build;
pub mod check;
pub mod help;
pub mod new;
pub mod schema;
pub mod serve;
