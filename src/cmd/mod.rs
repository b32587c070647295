pub mod build;
pub mod new;
