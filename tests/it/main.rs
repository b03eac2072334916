//! The integration tests, as one test binary (one link, shared helpers in `common`): each
//! module covers one area through the library API or the `wattsim` binary.

mod common;

mod bad_data;
mod bad_input;
mod billing;
mod bundled;
mod carbon_facility;
mod charts;
mod cli;
mod determinism;
mod flops;
mod folders;
mod golden;
mod hand_derived;
mod large_power;
mod limits;
mod mutants;
mod parquet;
mod plan;
mod policies;
mod power;
mod properties;
mod queueing;
mod real_data;
mod refresh;
mod scheduler;
mod streaming;
mod sweep;
mod tco;
mod traces;
mod unknown_keys;
mod validation;
mod workloads;
