//! `kvalitet check`: what the regulation requires, and whether citizens can read it.
