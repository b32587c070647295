pub mod approve;
pub mod build;
pub mod check;
pub mod help;
pub mod init;
pub mod new;
pub mod serve;
pub mod theme;
