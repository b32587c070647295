//! Deterministic synthetic content for benchmarks.
